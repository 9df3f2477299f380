#!/usr/bin/env python3
"""Markdown table from bench_gemm's JSON lines: GFLOP/s median (and max) per kernel and
thread count, and each kernel's ratio to OpenBLAS measured in the same rounds.
Usage: python3 summarize.py results.jsonl [more.jsonl ...]"""
import json, sys
from collections import OrderedDict

rows = OrderedDict()   # (shape, threads) -> {kernel: record}
kernels = []
for path in sys.argv[1:]:
    for line in open(path):
        d = json.loads(line)
        if "shape" not in d:
            continue
        rows.setdefault((d["shape"], d["threads"]), {})[d["kernel"]] = d
        if d["kernel"] not in kernels:
            kernels.append(d["kernel"])
hebb = [k for k in kernels if k != "openblas"]
head = ["shape (M x K x N)", "threads"] + [f"{k} med (max)" for k in kernels] + [f"{k} / openblas" for k in hebb]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
ratios = {k: [] for k in hebb}
for (shape, t), rec in rows.items():
    any_ = next(iter(rec.values()))
    cells = [f"{shape} ({any_['M']}x{any_['K']}x{any_['N']})", str(t)]
    for k in kernels:
        cells.append(f"{rec[k]['gflops_median']:.0f} ({rec[k]['gflops_max']:.0f})" if k in rec else "")
    for k in hebb:
        if k in rec and "openblas" in rec:
            r = rec[k]["gflops_median"] / rec["openblas"]["gflops_median"]
            ratios[k].append(r)
            cells.append(f"{r:.2f}")
        else:
            cells.append("")
    print("| " + " | ".join(cells) + " |")
for k, rs in ratios.items():
    if rs:
        rs = sorted(rs)
        print(f"\n{k} / openblas over {len(rs)} rows: median {rs[len(rs)//2]:.2f}, min {rs[0]:.2f}, max {rs[-1]:.2f}")
