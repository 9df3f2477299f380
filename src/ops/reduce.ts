/**
 * Reductions over any axes (all axes when `axis` is omitted), with keepDims.
 */
import { Tensor } from '../core/tensor.js';
import { normalizeAxes, sizeOf } from '../core/shape.js';
import { reduce } from './primitives.js';
import { abs, add, div, exp, less, log, square, sub, where } from './elementwise.js';
import { reshape, stopGradient } from './primitives_movement.js';

export type Axis = number | readonly number[];

export const sum = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('sum', x, axis, keepDims);
export const prod = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('prod', x, axis, keepDims);
export const max = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('max', x, axis, keepDims);
export const min = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('min', x, axis, keepDims);
/** Index of the largest value along one axis (the first one at ties), as int32. */
export const argmax = (x: Tensor, axis = -1): Tensor => reduce('argmax', x, axis, false);
export const argmin = (x: Tensor, axis = -1): Tensor => reduce('argmin', x, axis, false);

/** Number of elements a reduction over `axis` combines. */
function countOver(op: string, x: Tensor, axis?: Axis): number {
  return sizeOf(normalizeAxes(op, axis, x.rank).map((a) => x.shape[a] as number));
}

export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const n = countOver('mean', x, axis); // first, so that a bad axis is reported as mean's
  return div(sum(x, axis, keepDims), n);
}

/** Population variance (divides by N, like NumPy's default and Keras's BatchNormalization). */
export function variance(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  normalizeAxes('variance', axis, x.rank);
  const centered = sub(x, mean(x, axis, true));
  return mean(square(centered), axis, keepDims);
}

/**
 * log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m the max: exact and finite for
 * logits of +-1000. m is held constant for the gradient (its contributions cancel exactly).
 * An infinite max is replaced by 0 (x - m would be inf - inf = NaN): a row of -inf then gives
 * log(0) = -inf and a row holding +inf gives +inf, as in NumPy/SciPy.
 */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('logSumExp', axis, x.rank);
  const mx = stopGradient(max(x, axis, true));
  const m = where(less(abs(mx), Infinity), mx, 0);
  const s = log(sum(exp(sub(x, m)), axis, true));
  const r = add(s, m);
  if (keepDims) return r;
  return reshape(r, x.shape.filter((_, i) => !axes.includes(i)));
}
