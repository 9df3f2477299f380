#!/usr/bin/env bash
# End-to-end comparison in one go: hebb's Fashion-MNIST MLP (bench/mlp.ts) and the anchors of
# ../shared/anchors (PyTorch 1 thread, hand-written NumPy 1 thread, TensorFlow.js wasm and
# cpu), same workload, same machine, one after the other; then the ratios vs the issue's targets
# (bench/anchors_report.ts).
#
# Usage: bash bench/anchors.sh [DEPS] [RESULTS]
#   DEPS    made by `bash ../shared/anchors/setup.sh DEPS` (default /tmp/anchor-deps);
#           never inside the repository.
#   RESULTS output folder (default /tmp/hebb-anchors-<UTC time>): <name>.json (one JSON object
#           per line), <name>.err, <name>.time (/usr/bin/time -v: "Maximum resident set size"
#           is the peak RSS of the whole process, for every system alike), commands.log.
#   ANCHORS the anchors' folder; default ../shared/anchors beside the repository (the layout
#           src/io/datasets/files.ts also assumes for ../shared/datasets).
#   ONLY='hebb*' (a glob on run names) runs a subset; QUICK=1 shortens every run (a smoke test).
#   The native/wasm capture/ORT/AVX-512 runs of issue 16 are named native_*, wasm_*, torch_avx512_*,
#   numpy_t2_*, numpy_avx512_*, ort_*: ONLY='native*' etc.
# Takes ~5-6 minutes on the 2-core machine (tfjs cpu alone: ~70-90 s for its one epoch). Build first
# (npx tsc -p .). Keep the machine as quiet as possible; the load is recorded before and after.
set -u
REPO="$(cd "$(dirname "$0")/.." && pwd)"
ANCHORS="${ANCHORS:-$REPO/../shared/anchors}"
[ -f "$ANCHORS/bench_torch.py" ] || { echo "bench/anchors.sh: no anchors in $ANCHORS (set ANCHORS to the folder with bench_torch.py)" >&2; exit 2; }
ANCHORS="$(cd "$ANCHORS" && pwd)"
DEPS="$(cd "${1:-/tmp/anchor-deps}" && pwd)"
OUT="${2:-/tmp/hebb-anchors-$(date -u +%Y%m%dT%H%M%S)}"; mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
PY=/usr/bin/python3
export DEPS
E3=3; E5=5; E30=30; CPU_MAX=""
if [ -n "${QUICK:-}" ]; then E3=1; E5=1; E30=2; CPU_MAX="--max-batches 50 --warmup-batches 10"; fi

. "$REPO/bench/bench_lib.sh"

machine_info > "$OUT/machine.txt"
echo "results: $OUT"; cat "$OUT/machine.txt"

H="node $REPO/dist/bench/mlp.js"
if only 'hebb*'; then
  for o in sgd adam; do for b in 32 256; do
    run hebb_wasm_${o}_b$b $H --backend wasm --mode train --opt $o --batch $b --epochs $E3
  done; done
  # one thread, like the PyTorch anchor (the wasm GEMM worker is off on a busy machine anyway)
  run hebb_wasm_t1_sgd_b32 env HEBB_WASM_THREADS=1 $H --backend wasm --mode train --opt sgd --batch 32 --epochs $E3
  run hebb_wasm_predict $H --backend wasm --mode predict
  # the reference backend: a fifth of an epoch, extrapolated
  run hebb_cpu_sgd_b32 $H --backend cpu --mode train --opt sgd --batch 32 --epochs 1 --samples 11000 --warmup-batches 20
  run hebb_cpu_predict $H --backend cpu --mode predict --reps 3
  # memory growth: 30 epochs, RSS and tensor/buffer counts at each epoch's end
  run hebb_wasm_sgd_b32_e30 $H --backend wasm --mode train --opt sgd --batch 32 --epochs $E30
fi
# issue 16: the native backend (2 threads by default, HEBB_NATIVE_THREADS=1 for one), with
# captured steps (the default) and, for SGD b32, without (HEBB_CAPTURE=0); wasm with and without
# captured steps at the same settings.
for o in sgd adam; do for b in 32 256; do
  only "native_${o}_b$b" && run native_${o}_b$b $H --backend native --mode train --opt $o --batch $b --epochs $E3
  only "native_t1_${o}_b$b" && run native_t1_${o}_b$b env HEBB_NATIVE_THREADS=1 $H --backend native --mode train --opt $o --batch $b --epochs $E3
done; done
only native_nocapture_sgd_b32 && run native_nocapture_sgd_b32 env HEBB_CAPTURE=0 $H --backend native --mode train --opt sgd --batch 32 --epochs $E3
only native_predict && run native_predict $H --backend native --mode predict
only native_t1_predict && run native_t1_predict env HEBB_NATIVE_THREADS=1 $H --backend native --mode predict
only native_sgd_b32_e30 && run native_sgd_b32_e30 $H --backend native --mode train --opt sgd --batch 32 --epochs $E30
only wasm_nocapture_sgd_b32 && run wasm_nocapture_sgd_b32 env HEBB_CAPTURE=0 $H --backend wasm --mode train --opt sgd --batch 32 --epochs $E3
only wasm_t1_nocapture_sgd_b32 && run wasm_t1_nocapture_sgd_b32 env HEBB_CAPTURE=0 HEBB_WASM_THREADS=1 $H --backend wasm --mode train --opt sgd --batch 32 --epochs $E3
only wasm_t1_predict && run wasm_t1_predict env HEBB_WASM_THREADS=1 $H --backend wasm --mode predict
# PyTorch with OpenBLAS's own AVX-512 kernel (the environment's OPENBLAS_CORETYPE=Haswell and
# OPENBLAS_L2_SIZE unset for these commands alone), NumPy on two threads, ONNX Runtime predict.
only torch_avx512_t1_sgd_b32 && run torch_avx512_t1_sgd_b32 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY "$ANCHORS/bench_torch.py" --mode train --threads 1 --opt sgd --batch 32 --epochs $E5
only torch_avx512_t1_predict && run torch_avx512_t1_predict env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY "$ANCHORS/bench_torch.py" --mode predict --threads 1
only numpy_t2_sgd_b32 && run numpy_t2_sgd_b32 $PY "$ANCHORS/bench_numpy_mlp.py" --threads 2 --opt sgd --batch 32 --epochs $E5
only numpy_avx512_t2_sgd_b32 && run numpy_avx512_t2_sgd_b32 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY "$ANCHORS/bench_numpy_mlp.py" --threads 2 --opt sgd --batch 32 --epochs $E5
if [ -f "$DEPS/mlp_784_300_100_10.onnx" ]; then
  only ort_t1_predict && run ort_t1_predict node "$ANCHORS/bench_ort.mjs" --threads 1 --model "$DEPS/mlp_784_300_100_10.onnx"
  only ort_t2_predict && run ort_t2_predict node "$ANCHORS/bench_ort.mjs" --threads 2 --model "$DEPS/mlp_784_300_100_10.onnx"
fi
if only 'torch*'; then
  for o in sgd adam; do for b in 32 256; do
    run torch_t1_${o}_b$b $PY "$ANCHORS/bench_torch.py" --mode train --threads 1 --opt $o --batch $b --epochs $E5
  done; done
  run torch_t1_predict $PY "$ANCHORS/bench_torch.py" --mode predict --threads 1
fi
if only 'numpy*'; then
  for o in sgd adam; do for b in 32 256; do
    run numpy_t1_${o}_b$b $PY "$ANCHORS/bench_numpy_mlp.py" --threads 1 --opt $o --batch $b --epochs $E5
  done; done
fi
if only 'tfjs*'; then
  T="node $ANCHORS/bench_tfjs.mjs"
  run tfjs_wasm_sgd_b32  $T --backend wasm --mode train --opt sgd  --batch 32 --epochs $E3
  run tfjs_wasm_adam_b32 $T --backend wasm --mode train --opt adam --batch 32 --epochs $E3
  run tfjs_wasm_predict  $T --backend wasm --mode predict
  # tfjs's pure-JS backend is ~71 s per epoch: one epoch
  run tfjs_cpu_sgd_b32   $T --backend cpu --mode train --opt sgd --batch 32 --epochs 1 $CPU_MAX
  run tfjs_cpu_predict   $T --backend cpu --mode predict --reps 3
fi
{ date -u; uptime; } >> "$OUT/machine.txt"
echo "[$(date -u +%T)] all done; load after: $(uptime)" | tee -a "$OUT/commands.log"
node "$REPO/dist/bench/anchors_report.js" "$OUT" | tee "$OUT/report.md"
