#!/usr/bin/env python3
"""Independent reference numbers for the trace-analysis tests (TraceAnalysisReferenceTest).

Reads the raw Chrome-trace JSON with the standard library only (no parabench code) and prints
the per-device metrics of ../shared/data/profile-data/train.json and the pipeline bubbles of
../shared/data/gpu-traces/{1f1b,torch_zbv}. The Java tests hard-code what this script prints.

Usage: python3 analysis/src/test/scripts/trace_reference.py [SHARED_DATA_DIR]
"""
import glob, gzip, json, re, sys

DATA = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
COMM = re.compile(r"(^|[^A-Za-z0-9_])(nccl|dpsk::ep::|deep_ep::)")
GPU_CATS = ("kernel", "gpu_memcpy", "gpu_memset")


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def union(intervals):
    """Length of the union of [start, end) intervals."""
    total, cur_s, cur_e = 0.0, None, None
    for s, e in sorted(intervals):
        if cur_s is None or s > cur_e:
            if cur_s is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_s is not None:
        total += cur_e - cur_s
    return total


def merged(intervals):
    out = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def intersection(a, b):
    a, b, i, j, total = merged(a), merged(b), 0, 0, 0.0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def device_metrics(trace):
    num_sms = {d["id"]: d["numSms"] for d in trace.get("deviceProperties", [])}
    gpu = [e for e in trace["traceEvents"] if e.get("ph") == "X" and e.get("cat") in GPU_CATS]
    for dev in sorted({e["pid"] for e in gpu}):
        ev = [e for e in gpu if e["pid"] == dev]
        iv = lambda es: [(e["ts"], e["ts"] + e["dur"]) for e in es]
        kernels = [e for e in ev if e["cat"] == "kernel"]
        comm = [e for e in kernels if COMM.search(e["name"])]
        comp = [e for e in kernels if not COMM.search(e["name"])]
        start, end = min(e["ts"] for e in ev), max(e["ts"] + e["dur"] for e in ev)
        span, busy = end - start, union(iv(ev))
        sms = num_sms[dev]
        # SM occupancy: each kernel holds min(grid blocks, numSms); concurrent kernels add up, capped.
        points = []
        for e in kernels:
            g = e["args"]["grid"]
            n = min(g[0] * g[1] * g[2], sms)
            points += [(e["ts"], n), (e["ts"] + e["dur"], -n)]
        points.sort()
        level, last, area = 0, start, 0.0
        for t, d in points:
            area += min(level, sms) * (t - last)
            level, last = level + d, t
        streams = {}
        for e in ev:
            streams.setdefault(e["tid"], []).append((e["ts"], e["ts"] + e["dur"]))
        stream27_ep = sorted({min(e["args"]["grid"][0], sms) for e in comm if e["tid"] == 27})
        print(f"device {dev}: span_us={span} busy_us={busy} idle_ratio={(span - busy) / span!r}")
        print(f"  compute_busy_us={union(iv(comp))} comm_busy_us={union(iv(comm))}"
              f" overlap_us={intersection(iv(comp), iv(comm))}"
              f" comm_overlap_ratio={intersection(iv(comp), iv(comm)) / union(iv(comm))!r}")
        print(f"  sm_occupancy_avg={area / span / sms!r} comm_kernels={len(comm)}"
              f" comm_on_stream27={sum(1 for e in comm if e['tid'] == 27)} their_sms={stream27_ep}")
        print("  streams=" + ", ".join(f"{s}:{union(v)}" for s, v in sorted(streams.items())))


def pipeline(folder, step="sim:STEP"):
    ranks, step_start = {}, None
    for path in sorted(glob.glob(f"{folder}/*.json.gz")):
        trace = load(path)
        rank = trace["distributedInfo"]["rank"]
        starts = [e["ts"] for e in trace["traceEvents"] if e.get("cat") == "user_annotation" and e["name"] == step]
        step_start = min(starts + ([step_start] if step_start is not None else []))
        ranks[rank] = [(e["ts"], e["ts"] + e["dur"]) for e in trace["traceEvents"]
                       if e.get("cat") == "kernel" and not COMM.search(e["name"])]
    after = [k for r in ranks.values() for k in r if k[0] >= step_start]
    w0, w1 = min(k[0] for k in after), max(k[1] for k in after)
    window = w1 - w0
    bubbles = [window - union([(max(s, w0), min(e, w1)) for s, e in ranks[r] if e > w0 and s < w1])
               for r in sorted(ranks)]
    print(f"{folder}: step_us={window!r} window=[{w0!r}, {w1!r}]")
    print(f"  bubble_us={bubbles!r} bubble_rate={sum(bubbles) / len(bubbles) / window!r}")


device_metrics(load(f"{DATA}/profile-data/train.json"))
pipeline(f"{DATA}/gpu-traces/1f1b")
pipeline(f"{DATA}/gpu-traces/torch_zbv")
