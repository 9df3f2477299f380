#!/usr/bin/env bash
# Issue 11 "Speed": every optimizer on the book's MLP (784-300-100-10, batch 32, 55,000
# synthetic samples per epoch), and SGD with batch normalization / dropout(0.2) after each
# hidden layer — hebb (bench/mlp.ts, wasm, HEBB_WASM_THREADS=1) and PyTorch on one thread
# (bench/torch_optimizers.py), one process per run, the two systems back to back for each case
# (hebb first in odd rounds, PyTorch first in even ones, so a drift in load hits both); then
# bench/optimizers_report.ts's tables: hebb / hebb plain SGD (target <= 1.10), hebb / PyTorch
# (target <= 1), and the extra seconds per epoch of BN and dropout (hebb's <= PyTorch's).
#
# Usage: bash bench/optimizers.sh [RESULTS]
#   RESULTS  output folder (default /tmp/hebb-optimizers-<UTC time>): NAME.json/.err/.time per run
#            (bench/bench_lib.sh), commands.log, machine.txt, report.md.
#   EPOCHS=3 timed epochs per run (median reported); ROUNDS=1 repetitions of the whole list
#   SAMPLES=55000 per timed epoch (fewer are extrapolated to 55,000 and marked so)
#   WARMUP=100 warm-up batches; BATCH=32
#   OPTS="sgd adam ..." plain-MLP cases (default: every case, `torch_optimizers.py --list`)
#   ARCH_OPTS="sgd" optimizers also run with --arch bn and --arch dropout
#   TORCH_IMPL=default|foreach  PyTorch's per-tensor loop (its CPU default) or multi-tensor kernels
#   BACKEND=wasm|native the hebb backend (one thread either way: HEBB_WASM_THREADS=1, HEBB_NATIVE_THREADS=1)
#   NO_ACCURACY=1 compiles hebb without metrics: ['accuracy'] (PyTorch computes none)
#   ONLY='hebb*' (a glob on run names) runs a subset
#   QUICK=1 smoke test: EPOCHS=1 SAMPLES=2200 WARMUP=10 (the numbers mean nothing)
# One round: 13 cases x 2 systems, each ~100 warm-up batches + 3 epochs of 1-3 s + start-up: about
# 5 minutes on the 2-core machine. Build first (npx tsc -p .). Keep the machine quiet.
set -u
REPO="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-/tmp/hebb-optimizers-$(date -u +%Y%m%dT%H%M%S)}"; mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
PY=/usr/bin/python3
if [ -n "${QUICK:-}" ]; then : "${EPOCHS:=1}" "${SAMPLES:=2200}" "${WARMUP:=10}"; fi
EPOCHS="${EPOCHS:-3}"; SAMPLES="${SAMPLES:-55000}"; WARMUP="${WARMUP:-100}"; BATCH="${BATCH:-32}"; ROUNDS="${ROUNDS:-1}"
TORCH_IMPL="${TORCH_IMPL:-default}"; ARCH_OPTS="${ARCH_OPTS:-sgd}"; BACKEND="${BACKEND:-wasm}"
OPTS="${OPTS:-$($PY "$REPO/bench/torch_optimizers.py" --list | tr '\n' ' ')}"
[ -n "$OPTS" ] || { echo "bench/optimizers.sh: no optimizer cases (is PyTorch importable by $PY?)" >&2; exit 2; }
[ -f "$REPO/dist/bench/mlp.js" ] || { echo "bench/optimizers.sh: build first (npx tsc -p .)" >&2; exit 2; }
. "$REPO/bench/bench_lib.sh"

machine_info > "$OUT/machine.txt"
echo "settings: BACKEND=$BACKEND EPOCHS=$EPOCHS SAMPLES=$SAMPLES WARMUP=$WARMUP BATCH=$BATCH ROUNDS=$ROUNDS TORCH_IMPL=$TORCH_IMPL NO_ACCURACY=${NO_ACCURACY:-} OPTS='$OPTS' ARCH_OPTS='$ARCH_OPTS'" >> "$OUT/machine.txt"
echo "results: $OUT"; cat "$OUT/machine.txt"

COMMON=(--mode train --batch "$BATCH" --epochs "$EPOCHS" --samples "$SAMPLES" --warmup-batches "$WARMUP")
ACC=(); [ -n "${NO_ACCURACY:-}" ] && ACC=(--no-accuracy)
hebb()  { only "hebb_$1_$2_r$3"  && run "hebb_$1_$2_r$3"  env HEBB_WASM_THREADS=1 HEBB_NATIVE_THREADS=1 node "$REPO/dist/bench/mlp.js" --backend "$BACKEND" "${COMMON[@]}" --opt "$1" --arch "$2" "${ACC[@]}"; }
torch() { only "torch_$1_$2_r$3" && run "torch_$1_$2_r$3" "$PY" "$REPO/bench/torch_optimizers.py" --threads 1 --impl "$TORCH_IMPL" "${COMMON[@]}" --opt "$1" --arch "$2"; }
pair()  { if (( $3 % 2 )); then hebb "$@"; torch "$@"; else torch "$@"; hebb "$@"; fi; }

PLAIN="$OPTS"; for o in $ARCH_OPTS; do [[ " $OPTS " == *" $o "* ]] || PLAIN="$PLAIN $o"; done  # BN/dropout extra needs the plain run
for ((r = 1; r <= ROUNDS; r++)); do
  for o in $PLAIN; do pair "$o" plain "$r"; done
  for o in $ARCH_OPTS; do for a in bn dropout; do pair "$o" "$a" "$r"; done; done
done
{ date -u; uptime; } >> "$OUT/machine.txt"
echo "[$(date -u +%T)] all done; load after: $(uptime)" | tee -a "$OUT/commands.log"
node "$REPO/dist/bench/optimizers_report.js" "$OUT" | tee "$OUT/report.md"
