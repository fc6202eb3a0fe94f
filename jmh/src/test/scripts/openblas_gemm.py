#!/usr/bin/env python3
"""OpenBLAS fp32 GEMM throughput through numpy, for ratios against GemmBenchmark run beside it.

Times Y = X @ W.T (GemmLayout.FORWARD) and, with --skinny, the m = 1 and m = 8 products
with n = k = 2048, as GemmBenchmark does. The thread count and the kernel OpenBLAS uses are
fixed by the environment, which must be set before numpy loads OpenBLAS, so this script
re-executes itself once per (threads, coretype) pair:

    python3 jmh/src/test/scripts/openblas_gemm.py --threads 1,2 --coretypes Haswell,SkylakeX,Nehalem

Prints one line per case: coretype, threads, m×n×k, best and median GFLOP/s over --repeats
timed runs of at least --min-seconds each. Debian's python3-numpy links whichever BLAS the
alternatives system points at, the reference BLAS (about 3 GFLOP/s) unless OpenBLAS is installed:
`apt-get install -y python3-numpy libopenblas0-pthread`. The script checks that the library it
timed is OpenBLAS and exits 1 if not, rather than print the reference BLAS's rates as OpenBLAS's.
OPENBLAS_VERBOSE=2 makes OpenBLAS name the core it chose.
"""
import argparse
import os
import subprocess
import sys
import time


def loaded_openblas():
    """The OpenBLAS library numpy's BLAS calls reach, or None (numpy on the reference BLAS).

    Debian's numpy links libblas.so.3, which the alternatives system resolves either to OpenBLAS's
    copy (under an openblas directory) or to the reference BLAS, while OpenBLAS itself may still be
    mapped through LAPACK; so a mapped libblas decides, and without one (a wheel's bundled
    OpenBLAS) a mapped libopenblas does."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    blas = [p for p in paths if os.path.basename(p).startswith("libblas.so")]
    if blas:
        return next((p for p in blas if "openblas" in p), None)
    return next((p for p in paths if "libopenblas" in os.path.basename(p)), None)


def measure(m, n, k, repeats, min_seconds):
    import numpy as np
    rng = np.random.default_rng(1)
    x = (rng.random((m, k), dtype=np.float32) - 0.5)
    w = (rng.random((n, k), dtype=np.float32) - 0.5)
    y = np.empty((m, n), dtype=np.float32)
    wt = w.T
    for _ in range(3):
        np.matmul(x, wt, out=y)
    rates = []
    for _ in range(repeats):
        calls = 0
        start = time.perf_counter()
        while True:
            np.matmul(x, wt, out=y)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        rates.append(2.0 * m * n * k * calls / elapsed / 1e9)
    rates.sort()
    return rates[-1], rates[len(rates) // 2]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1", help="comma-separated OPENBLAS_NUM_THREADS values")
    p.add_argument("--coretypes", default="", help="comma-separated OPENBLAS_CORETYPE values (empty: OpenBLAS's own choice)")
    p.add_argument("--size", type=int, default=1024, help="n of the n×n×n GEMM")
    p.add_argument("--skinny", action="store_true", help="also time m = 1 and m = 8 with n = k = 2048")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=1.0)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        try:
            import numpy as np
        except ImportError:
            sys.exit("openblas_gemm.py: numpy is missing; apt-get install -y python3-numpy libopenblas0-pthread")
        np.matmul(np.ones((64, 64), dtype=np.float32), np.ones((64, 64), dtype=np.float32))
        if loaded_openblas() is None:
            sys.exit("openblas_gemm.py: numpy's BLAS is not OpenBLAS (libblas.so.3 is the reference BLAS); "
                     "apt-get install -y libopenblas0-pthread")
        shapes = [(a.size, a.size, a.size)]
        if a.skinny:
            shapes += [(1, 2048, 2048), (8, 2048, 2048)]
        for m, n, k in shapes:
            best, median = measure(m, n, k, a.repeats, a.min_seconds)
            print(f"{os.environ.get('OPENBLAS_CORETYPE') or 'default'}\t{os.environ['OPENBLAS_NUM_THREADS']}\t"
                  f"{m}x{n}x{k}\tbest {best:.1f}\tmedian {median:.1f} GFLOP/s", flush=True)
        return
    for coretype in a.coretypes.split(","):
        for threads in a.threads.split(","):
            env = dict(os.environ, OPENBLAS_NUM_THREADS=threads)
            if coretype:
                env["OPENBLAS_CORETYPE"] = coretype
            else:
                env.pop("OPENBLAS_CORETYPE", None)
            args = [sys.executable, __file__, "--child", "--size", str(a.size), "--repeats", str(a.repeats),
                    "--min-seconds", str(a.min_seconds)] + (["--skinny"] if a.skinny else [])
            child = subprocess.run(args, env=env)
            if child.returncode != 0:
                sys.exit(child.returncode)


if __name__ == "__main__":
    main()
