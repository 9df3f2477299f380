#!/usr/bin/env bash
# The native GEMM benchmark against OpenBLAS, as recorded in docs/NATIVE_GEMM.md.
#   bash native/bench/run_bench.sh [outdir] [threads...]     (default: results-<date>, 1 2)
# For each thread count: bench_gemm with hebb's default kernel, the alternative AVX-512 tiles,
# AVX2, and OpenBLAS's cblas_sgemm interleaved in the same rounds, OpenBLAS with
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (its own, AVX-512, kernel choice). Then the
# project's anchor (../shared/anchors/bench_sgemm.py through NumPy) when it is there. Runs one
# thing at a time; the machine's load (uptime) is recorded before and after each step.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/results-$(date -u +%Y%m%d-%H%M)}"; shift || true
THREADS="${*:-1 2}"
mkdir -p "$OUT"
make -s -C "$HERE" build/bench_gemm || exit 1
KERNELS="${KERNELS:-auto,avx512:14x32,avx512:6x64,avx2,openblas}"
{ date -u; lscpu | grep -E "Model name|^CPU\(s\)|Flags" | cut -c1-200; g++ --version | head -1; } > "$OUT/machine.txt"
for t in $THREADS; do
  uptime >> "$OUT/load.txt"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$HERE/build/bench_gemm" --kernels "$KERNELS" --threads "$t" \
    --rounds "${ROUNDS:-15}" --min-time "${MIN_TIME:-0.03}" > "$OUT/bench_t$t.jsonl"
  uptime >> "$OUT/load.txt"
done
ANCHOR="$HERE/../../../shared/anchors/bench_sgemm.py"
if [ -z "${NO_ANCHOR:-}" ] && [ -f "$ANCHOR" ] && /usr/bin/python3 -c "import numpy, threadpoolctl" 2>/dev/null; then
  for t in $THREADS; do
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ANCHOR" --lib numpy --threads "$t" --samples 7 \
      >> "$OUT/anchor_numpy.jsonl"
    uptime >> "$OUT/load.txt"
  done
fi
python3 "$HERE/summarize.py" "$OUT"/bench_t*.jsonl > "$OUT/table.md"
cat "$OUT/table.md"
echo "results in $OUT"
