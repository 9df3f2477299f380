/**
 * Reductions over any axes (all axes when `axis` is omitted), with keepDims.
 */
import { Tensor } from '../core/tensor.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { axesArg, axisArg, boolArg, checkFloat, checkNumeric, tensorArg } from './args.js';
import { cast, reduce } from './primitives.js';
import { abs, add, div, exp, less, log, square, sub, where } from './elementwise.js';
import { reshape, stopGradient } from './primitives_movement.js';

export type Axis = number | readonly number[];

export const sum = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('sum', x, axis, keepDims);
export const prod = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('prod', x, axis, keepDims);
export const max = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('max', x, axis, keepDims);
export const min = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('min', x, axis, keepDims);

/** Index of the largest value along one axis (the first one at ties, the first NaN if any), as int32. */
export function argmax(x: Tensor, axis = -1): Tensor {
  return reduce('argmax', x, axisArg('argmax', 'axis', axis, tensorArg('argmax', 'x', x).rank), false);
}

/** Index of the smallest value along one axis (the first one at ties, the first NaN if any), as int32. */
export function argmin(x: Tensor, axis = -1): Tensor {
  return reduce('argmin', x, axisArg('argmin', 'axis', axis, tensorArg('argmin', 'x', x).rank), false);
}

/**
 * The checked arguments of a composite reduction: x numeric, the axes, keepDims a boolean.
 * int32 (and any non-float) input is cast to float32 first: the mean of [1, 2] is 1.5 (NumPy
 * returns float64 for integer input; float32 is this library's working float).
 */
function reductionArgs(op: string, xIn: Tensor, axis: Axis | undefined, keepDims: boolean): { x: Tensor; axes: number[]; n: number } {
  const t = checkNumeric(op, 'x', tensorArg(op, 'x', xIn));
  const axes = axesArg(op, 'axis', axis, t.rank);
  boolArg(op, 'keepDims', keepDims);
  const x = t.dtype === 'int32' ? cast(t, 'float32') : t;
  return { x, axes, n: sizeOf(axes.map((a) => t.shape[a] as number)) };
}

/** Arithmetic mean; float32 for int32 input. An empty reduction gives NaN (0 / 0, as NumPy). */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const a = reductionArgs('mean', x, axis, keepDims);
  return div(sum(a.x, a.axes, keepDims), a.n);
}

/**
 * Population variance (divides by N, like NumPy's default and Keras's BatchNormalization);
 * float32 for int32 input.
 */
export function variance(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const a = reductionArgs('variance', x, axis, keepDims);
  const centered = sub(a.x, div(sum(a.x, a.axes, true), a.n));
  return div(sum(square(centered), a.axes, keepDims), a.n);
}

/**
 * log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m the max: exact and finite for
 * logits of +-1000. m is held constant for the gradient (its contributions cancel exactly).
 * An infinite max is replaced by 0 (x - m would be inf - inf = NaN): a row of -inf then gives
 * log(0) = -inf and a row holding +inf gives +inf, as in NumPy/SciPy.
 */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const op = 'logSumExp';
  const t = checkFloat(op, 'x', tensorArg(op, 'x', x));
  const axes = axesArg(op, 'axis', axis, t.rank);
  boolArg(op, 'keepDims', keepDims);
  for (const a of axes) {
    if (t.shape[a] === 0) throw new ShapeError(`${op}: cannot reduce over axis ${a} of size 0 (shape ${fmtShape(t.shape)})`);
  }
  const mx = stopGradient(max(t, axes, true));
  const m = where(less(abs(mx), Infinity), mx, 0);
  const s = log(sum(exp(sub(t, m)), axes, true));
  const r = add(s, m);
  if (keepDims) return r;
  return reshape(r, t.shape.filter((_, i) => !axes.includes(i)));
}
