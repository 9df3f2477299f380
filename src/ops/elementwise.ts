/**
 * Elementwise ops, composed from the unary/binary/where primitives. Binary ops broadcast like
 * NumPy and accept a plain number for either side (it takes the other side's dtype).
 */
import { DTypeError, ValueError, fmtReceived } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { broadcastShapes, sizeOf } from '../core/shape.js';
import { checkFloat, checkNumeric, numberArg, tensorArg, tensorLikeArg } from './args.js';
import { binary, cast, unary, where, type TensorLike } from './primitives.js';

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);

/**
 * True division. int32 operands are divided as float32 (NumPy's `/` and Keras's `divide` give
 * floats too): 1 / 2 is 0.5 and 1 / 0 is Infinity, not a silently truncated 0.
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const at = tensorLikeArg('div', 'a', a);
  const bt = tensorLikeArg('div', 'b', b);
  const isInt = (t: Tensor | number): t is Tensor => t instanceof Tensor && t.dtype === 'int32';
  if (isInt(at) || isInt(bt)) {
    const other = isInt(at) ? bt : at;
    // Both int32 (or one int32 and a number): divide as float32. A float tensor with an int32
    // one is a dtype mismatch like any other binary op's, so binary reports it.
    if (typeof other === 'number' || other.dtype === 'int32') {
      return binary('div', isInt(at) ? cast(at, 'float32') : at, isInt(bt) ? cast(bt, 'float32') : bt);
    }
  }
  return binary('div', at, bt);
}

/**
 * a to the power b, with IEEE 754's special cases (as NumPy): pow(1, b) and pow(a, 0) are 1
 * for every b and a, NaN included, and pow(-1, ±Infinity) is 1. int32 powers are exact and wrap
 * like NumPy's; a negative int32 exponent is an error, as in NumPy (its result is not an
 * integer).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const at = tensorLikeArg('pow', 'a', a);
  const bt = tensorLikeArg('pow', 'b', b);
  // An int32 result: two int32 tensors, or an int32 tensor and a number.
  const intOrNum = (t: Tensor | number): boolean => typeof t === 'number' || t.dtype === 'int32';
  const intExp = (at instanceof Tensor || bt instanceof Tensor) && intOrNum(at) && intOrNum(bt) && (at instanceof Tensor ? at.dtype : (bt as Tensor).dtype) === 'int32';
  // An empty result uses no exponent (NumPy raises per element computed, so not there either).
  const shapeOf = (t: Tensor | number): readonly number[] => (typeof t === 'number' ? [] : t.shape);
  if (intExp && sizeOf(broadcastShapes('pow', shapeOf(at), shapeOf(bt))) > 0) {
    // Read back only for an int32 exponent tensor (rare); a number is checked on the host.
    const values = bt instanceof Tensor ? bt.dataSync() : [bt];
    for (let i = 0; i < values.length; i++) {
      if ((values[i] as number) < 0) {
        throw new ValueError(`pow: integers to negative integer powers are not allowed (b is int32 and holds ${fmtReceived(values[i])}${values.length > 1 ? ` at position ${i}` : ''}); cast to a float dtype first`);
      }
    }
  }
  return binary('pow', at, bt);
}
/** Elementwise max; at ties the gradient goes to a. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
/** Elementwise min; at ties the gradient goes to a. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);

export const equal = (a: TensorLike, b: TensorLike): Tensor => binary('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binary('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => binary('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary('greaterEqual', a, b);
export const logicalAnd = (a: Tensor, b: Tensor): Tensor => binary('logicalAnd', a, b);
export const logicalOr = (a: Tensor, b: Tensor): Tensor => binary('logicalOr', a, b);
export const logicalNot = (x: Tensor): Tensor => unary('logicalNot', x);

export const neg = (x: TensorLike): Tensor => unary('neg', x);
export const abs = (x: TensorLike): Tensor => unary('abs', x);
/** -1, 0 or 1 (NaN stays NaN). Its gradient is zero. */
export const sign = (x: TensorLike): Tensor => unary('sign', x);
export const exp = (x: TensorLike): Tensor => unary('exp', x);
export const log = (x: TensorLike): Tensor => unary('log', x);
/** log(1 + x), exact for small x. */
export const log1p = (x: TensorLike): Tensor => unary('log1p', x);
/** exp(x) - 1, exact for small x. */
export const expm1 = (x: TensorLike): Tensor => unary('expm1', x);
export const sqrt = (x: TensorLike): Tensor => unary('sqrt', x);
export const tanh = (x: TensorLike): Tensor => unary('tanh', x);
export const erf = (x: TensorLike): Tensor => unary('erf', x);
/** 1 / (1 + exp(-x)), computed without overflow at any x. */
export const sigmoid = (x: TensorLike): Tensor => unary('sigmoid', x);
export const floor = (x: TensorLike): Tensor => unary('floor', x);

/** x * x: a product rather than pow(x, 2), so the gradient is 2x even at x <= 0. */
export function square(x: Tensor): Tensor {
  const t = checkNumeric('square', 'x', tensorArg('square', 'x', x));
  return mul(t, t);
}

/** 1 / x, for float tensors (NumPy's integer reciprocal, 1 / 2 = 0, is refused). */
export function reciprocal(x: Tensor): Tensor {
  return div(1, checkFloat('reciprocal', 'x', tensorArg('reciprocal', 'x', x)));
}

/**
 * log(1 + exp(x)) computed as max(x, 0) + log1p(exp(-|x|)): exp never sees a positive argument,
 * so it neither overflows for large x nor loses digits for very negative x, and the result is
 * right for every float: 0 at -Infinity, x itself at the largest floats, NaN for NaN.
 *
 * Both parts are written with `where` on x > 0 rather than as (x + |x|) / 2 and -|x|:
 * x + |x| overflows at 3.4e38 and is -Inf + Inf = NaN at -Infinity. The branches are linear
 * in x, so where's gradient (dy to the branch taken, 0 to the other) never multiplies 0 by an
 * infinity. The gradient then is 1 - sigmoid(-x) for x > 0 and sigmoid(x) for x <= 0:
 * sigmoid(x) everywhere, 1/2 at 0.
 */
export function softplus(x: Tensor): Tensor {
  const t = checkFloat('softplus', 'x', tensorArg('softplus', 'x', x));
  const pos = greater(t, 0);
  const relu = where(pos, t, 0);
  const negAbs = where(pos, neg(t), t);
  return add(relu, log1p(exp(negAbs)));
}

/** Limits values to [lo, hi]. The gradient is 1 inside the interval (ends included), 0 outside. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  const t = checkNumeric('clip', 'x', tensorArg('clip', 'x', x));
  numberArg('clip', 'lo', lo);
  numberArg('clip', 'hi', hi);
  if (!(lo <= hi)) throw new ValueError(`clip: lo must be <= hi, received lo ${fmtReceived(lo)} and hi ${fmtReceived(hi)}`);
  if (t.dtype === 'int32' && (!Number.isInteger(lo) || !Number.isInteger(hi))) {
    throw new DTypeError(`clip: x is int32, so lo and hi must be integers, received lo ${fmtReceived(lo)} and hi ${fmtReceived(hi)}`);
  }
  return where(greater(t, hi), hi, where(less(t, lo), lo, t));
}

export { where };
