#!/usr/bin/env python3
"""Times Holistic Trace Analysis (HTA) beside parabench on the trace TraceReadBenchmark reads.

Generates the real-shaped trace of TraceReadBenchmark (same generator, same seed, so the same
bytes as the benchmark's fork reads) with `RealShapedTrace` from jmh/target/benchmarks.jar, then,
one after the other on that one file:

  1. HTA: `TraceAnalysis` load (parse + preprocessing) and the analyses `trace-stats` also
     reports: temporal breakdown, comm/comp overlap, kernel breakdown, idle-time breakdown,
     queue-length summary, CUDA kernel launch statistics (in a child python, so its RSS is its own);
  2. parabench cold: `./parabench trace-stats FILE --format json` (a new JVM each run: start-up,
     JIT, read, every analysis, the JSON document — what a user waits for);
  3. with --jmh, JMH's `TraceReadBenchmark.readAndAnalyse` (warm, in-process) from the benchmarks jar.

Prints wall seconds, user+sys CPU seconds, MB/s and peak RSS per tool, and the ratios. Run from
the repository root after `mvn -pl jmh package -DskipTests`, with a HolisticTraceAnalysis
checkout (v0.6.0 was used for ../shared/data/hta) and Debian's pandas
(`apt-get install -y python3-pandas python3-plotly python3-networkx`):

    python3 jmh/src/test/scripts/hta_trace_read.py --hta /path/to/HolisticTraceAnalysis --size-mb 200 --jmh

On a shared machine run it under the measure lock and note `uptime`; all numbers it prints come
from the same invocation, so their ratios are comparable even when the absolute ones are not.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time


def hta_child(path, hta_dir):
    """Runs in a child python: HTA's load and analyses on one trace, one line of timings."""
    sys.path.insert(0, hta_dir)
    import logging
    logging.disable(logging.WARNING)
    from hta.trace_analysis import TraceAnalysis
    t0 = time.perf_counter()
    ta = TraceAnalysis(trace_files={0: path}, trace_dir=os.path.dirname(os.path.abspath(path)))
    t1 = time.perf_counter()
    temporal = ta.get_temporal_breakdown(visualize=False)
    ta.get_comm_comp_overlap(visualize=False)
    ta.get_gpu_kernel_breakdown(visualize=False, num_kernels=1000)
    ta.get_idle_time_breakdown(ranks=[0], visualize=False)
    ta.get_queue_length_summary(ranks=[0])
    ta.get_cuda_kernel_launch_stats(ranks=[0], visualize=False)
    t2 = time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = ta.t.get_trace(0).shape[0]
    kernel_us = float(temporal["kernel_time(us)"].iloc[0])
    print(f"HTA_TIMES load_s={t1 - t0:.3f} analyses_s={t2 - t1:.3f} rss_mb={rss_mb:.0f} events={events}"
          f" kernel_time_us={kernel_us:.0f}")


def timed(cmd, **kw):
    """Wall seconds, user+sys CPU seconds and stdout of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hta", required=True, help="HolisticTraceAnalysis checkout (the directory holding hta/)")
    p.add_argument("--size-mb", type=int, default=200, help="size of the generated trace (TraceReadBenchmark's sizeMb)")
    p.add_argument("--trace", help="time this trace instead of generating one")
    p.add_argument("--repeats", type=int, default=3, help="cold parabench runs (best and median are printed)")
    p.add_argument("--jmh", action="store_true", help="also run TraceReadBenchmark.readAndAnalyse (about 30 s)")
    p.add_argument("--python", default="/usr/bin/python3", help="python with pandas for HTA (Debian's)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        hta_child(a.child, a.hta)
        return

    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
    jar = os.path.join(root, "jmh", "target", "benchmarks.jar")
    if not os.path.isfile(jar):
        sys.exit(f"{jar} is missing: run mvn -pl jmh package -DskipTests first")
    if not os.path.isdir(os.path.join(a.hta, "hta")):
        sys.exit(f"--hta ({a.hta}) must be a HolisticTraceAnalysis checkout with an hta/ package")

    with tempfile.TemporaryDirectory(prefix="parabench-hta-") as tmp:
        trace = a.trace
        if trace is None:
            trace = os.path.join(tmp, "real-shaped.json")
            subprocess.run(["java", "-cp", jar, "io.parabench.jmh.RealShapedTrace", trace, str(a.size_mb)], check=True)
        mb = os.path.getsize(trace) / 1e6
        print(f"trace {trace}: {mb:.1f} MB; uptime: {open('/proc/loadavg').read().split()[:3]}")

        runs = []
        for _ in range(a.repeats):
            wall, cpu, _ = timed([os.path.join(root, "parabench"), "trace-stats", trace, "--format", "json"])
            runs.append((wall, cpu))
        pb_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far: these runs
        runs.sort()
        best, median = runs[0], runs[len(runs) // 2]
        print(f"parabench trace-stats (cold JVM, {a.repeats} runs): best {best[0]:.2f} s wall ({mb / best[0]:.0f} MB/s),"
              f" median {median[0]:.2f} s, {median[1]:.2f} s CPU; peak RSS {pb_rss:.0f} MB")

        jmh_mbs = None
        if a.jmh:
            size = max(1, round(mb)) if a.trace else a.size_mb
            _, _, out = timed(["java", "-jar", jar, "TraceReadBenchmark.readAndAnalyse", "-p", f"sizeMb={size}",
                                  "-wi", "3", "-w", "1", "-i", "5", "-r", "1", "-f", "1"])
            m = re.search(r"readAndAnalyse:megabytes\s+\S+\s+thrpt\s+\d+\s+([0-9.]+)", out)
            jmh_mbs = float(m.group(1)) if m else None
            print(f"JMH TraceReadBenchmark.readAndAnalyse (warm, sizeMb={size}): {jmh_mbs} MB/s")

        wall, cpu, out = timed([a.python, os.path.abspath(__file__), "--hta", a.hta, "--child", trace])
        m = re.search(r"HTA_TIMES load_s=([0-9.]+) analyses_s=([0-9.]+) rss_mb=([0-9]+) (.*)", out)
        load_s, analyses_s, rss = float(m.group(1)), float(m.group(2)), float(m.group(3))
        print(f"HTA kept {m.group(4)} (a check that it read the trace)")
        print(f"HTA: load {load_s:.2f} s + analyses {analyses_s:.2f} s ({mb / (load_s + analyses_s):.1f} MB/s);"
              f" whole process {wall:.2f} s wall, {cpu:.2f} s CPU; peak RSS {rss:.0f} MB")
        print(f"ratio, HTA load+analyses / parabench cold best: {(load_s + analyses_s) / best[0]:.1f}x;"
              f" HTA process / parabench cold median: {wall / median[0]:.1f}x")
        if jmh_mbs:
            print(f"ratio, JMH readAndAnalyse MB/s / HTA load+analyses MB/s: {jmh_mbs / (mb / (load_s + analyses_s)):.0f}x")


if __name__ == "__main__":
    main()
