#!/usr/bin/env python3
"""OpenBLAS sgemm (through NumPy) on bench_gemm's shapes and layouts, measured the way
bench_gemm and ../shared/anchors/bench_sgemm.py measure: median/min/max GFLOP/s over
`samples` timings, each of `inner` calls lasting >= min-time seconds. Transposed operands are
NumPy transposed views, which reach sgemm as transposes (no copy), as in the backward pass.

Usage: /usr/bin/python3 bench_openblas.py --threads N [--samples 7] [--min-time 0.15] [--only a,b]
For OpenBLAS's AVX-512 kernel: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 ...
"""
import argparse, json, os, re, statistics, time
import numpy as np
from threadpoolctl import threadpool_limits, threadpool_info

HERE = os.path.dirname(os.path.abspath(__file__))

def shapes():
    text = open(os.path.join(HERE, "bench_shapes.h")).read()
    pat = r'\{"(\w+)", (\d+), (\d+), (\d+), (true|false), (true|false)\}'
    return [(n, int(m), int(k), int(nn), ta == "true", tb == "true") for n, m, k, nn, ta, tb in re.findall(pat, text)]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--samples", type=int, default=7)
    ap.add_argument("--min-time", type=float, default=0.15)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    with threadpool_limits(limits=a.threads):
        info = [{k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads")} for d in threadpool_info()]
        print(json.dumps({"lib": "openblas", "threads": a.threads, "threadpool_info": info,
                          "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                          "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}), flush=True)
        for name, M, K, N, ta, tb in shapes():
            if a.only and name not in a.only.split(","):
                continue
            A = rng.random((K, M), dtype=np.float32).T if ta else rng.random((M, K), dtype=np.float32)
            B = rng.random((N, K), dtype=np.float32).T if tb else rng.random((K, N), dtype=np.float32)
            out = np.empty((M, N), dtype=np.float32)
            f = lambda: np.matmul(A, B, out=out)
            flop = 2.0 * M * N * K
            for _ in range(3): f()
            n = 1
            while True:
                t0 = time.perf_counter()
                for _ in range(n): f()
                if time.perf_counter() - t0 >= a.min_time: break
                n *= 2
            g = []
            for _ in range(a.samples):
                t0 = time.perf_counter()
                for _ in range(n): f()
                g.append(flop * n / (time.perf_counter() - t0) / 1e9)
            print(json.dumps({"lib": "openblas", "threads": a.threads, "shape": name, "M": M, "K": K, "N": N,
                              "gflops_median": round(statistics.median(g), 1), "gflops_min": round(min(g), 1),
                              "gflops_max": round(max(g), 1),
                              "us_per_call_median": round(flop / statistics.median(g) / 1e3, 2), "inner": n}), flush=True)

if __name__ == "__main__":
    main()
