#!/usr/bin/env python3
"""Markdown table from bench_gemm's JSON lines: GFLOP/s per kernel and thread count, and each
kernel's ratio to OpenBLAS measured in the same rounds. Several files of the same thread count
are separate runs: the table shows the median over runs of each median (and the best max), and
the median over runs of the per-run ratio.
Usage: python3 summarize.py run1/bench_t1.jsonl run2/bench_t1.jsonl ..."""
import json, statistics, sys
from collections import OrderedDict

cells = OrderedDict()   # (shape, threads) -> kernel -> list of records (one per run)
dims = {}
kernels = []
for fi, path in enumerate(sys.argv[1:]):
    for line in open(path):
        d = json.loads(line)
        d["_run"] = fi
        if "shape" not in d:
            continue
        key = (d["shape"], d["threads"])
        dims[d["shape"]] = (d["M"], d["K"], d["N"])
        cells.setdefault(key, {}).setdefault(d["kernel"], []).append(d)
        if d["kernel"] not in kernels:
            kernels.append(d["kernel"])
hebb = [k for k in kernels if k != "openblas"]
runs = max(len(v) for rec in cells.values() for v in rec.values())
head = ["shape (M x K x N)", "threads"] + [f"{k} GFLOP/s" for k in kernels] + [f"{k} / openblas" for k in hebb]
print(f"GFLOP/s: median over rounds (max in parentheses); {runs} run(s), median over runs.\n")
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
ratios = {(k, t): [] for k in hebb for t in (1, 2, 3, 4, 8, 16)}
for (shape, t), rec in cells.items():
    m, k_, n = dims[shape]
    row = [f"{shape} ({m}x{k_}x{n})", str(t)]
    for k in kernels:
        rs = rec.get(k, [])
        row.append(f"{statistics.median(r['gflops_median'] for r in rs):.0f} ({max(r['gflops_max'] for r in rs):.0f})" if rs else "")
    for k in hebb:
        mine, ob = rec.get(k, []), rec.get("openblas", [])
        obr = {b["_run"]: b for b in ob}
        pairs = [(a, obr[a["_run"]]) for a in mine if a["_run"] in obr]
        if pairs:
            r = statistics.median(a["gflops_median"] / b["gflops_median"] for a, b in pairs)
            ratios.setdefault((k, t), []).append(r)
            row.append(f"{r:.2f}")
        else:
            row.append("")
    print("| " + " | ".join(row) + " |")
print()
for (k, t), rs in ratios.items():
    if rs:
        rs = sorted(rs)
        low = sum(1 for r in rs if r < 0.85)
        print(f"- {k} / openblas, {t} thread(s), {len(rs)} shapes: median {statistics.median(rs):.2f}, "
              f"min {rs[0]:.2f}, max {rs[-1]:.2f}; {low} below 0.85")
