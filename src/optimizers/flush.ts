/**
 * Flushing optimizer state below the smallest normal float32 (2^-126) to 0, in the chain's ops
 * and in the fused expressions alike (the two stay bit-identical).
 *
 * Why: state that decays geometrically when a weight's gradient is 0 (a dead ReLU unit's) —
 * Adam's m ← 0.9·m, RMSprop's v ← 0.9·v, SGD's velocity ← 0.9·velocity — sinks into the
 * subnormal range within a few hundred steps and then sticks at the smallest subnormal
 * (0.9 × 2^-149 rounds back to 2^-149). x86 CPUs do arithmetic on subnormals through slow
 * microcode and WebAssembly has no flush-to-zero mode, so every later step runs several times
 * slower. Measured on the MLP benchmark after one epoch: 98% of the first layer's Adam m and 85%
 * of its RMSprop v subnormal, and those epochs 2.6x and 1.5x plain SGD's (docs/BENCHMARKS.md).
 * TensorFlow's CPU kernels run with flush-to-zero set, so Keras on TensorFlow gets 0 here too.
 * The effect on the updates is nil: a state that small contributes under 1e-31 next to
 * epsilon = 1e-7, or under an ulp of any weight above 1e-30. Applied in float64 as well (one rule
 * for both dtypes).
 */
import type { Tensor } from '../core/tensor.js';
import { abs, less } from '../ops/elementwise.js';
import type { Expr, FusedBuilder } from '../ops/fused.js';
import { where } from '../ops/primitives.js';

export const MIN_NORMAL_F32 = 1.1754943508222875e-38;

/** x, with every element of magnitude below 2^-126 replaced by 0 (NaN and ±Inf kept). */
export function flushTiny(x: Tensor): Tensor {
  return where(less(abs(x), MIN_NORMAL_F32), 0, x);
}

/** flushTiny as a fused expression. */
export function flushTinyExpr(e: FusedBuilder, x: Expr): Expr {
  return e.where(e.less(e.abs(x), MIN_NORMAL_F32), 0, x);
}
