/**
 * Elementwise ops, composed from the unary/binary/where primitives. Binary ops broadcast like
 * NumPy and accept a plain number for either side (it takes the other side's dtype).
 */
import { ValueError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { binary, unary, where, type TensorLike } from './primitives.js';

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
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
export const square = (x: Tensor): Tensor => mul(x, x);
export const reciprocal = (x: Tensor): Tensor => div(1, x);

/**
 * log(1 + exp(x)) computed as max(x, 0) + log1p(exp(-|x|)): exp never sees a positive argument,
 * so it neither overflows for large x nor loses digits for very negative x.
 *
 * max(x, 0) is written as (x + |x|) / 2 (exact in floating point: 2x / 2 or 0) so that the
 * gradient at x = 0 comes out right. Both terms have a kink at 0 that cancels in the sum; with
 * abs'(0) = sign(0) = 0 the split gives 1/2 + 0 = sigmoid(0), whereas maximum's tie rule (1)
 * or relu's (0) would give softplus'(0) = 1 or 0.
 */
export function softplus(x: Tensor): Tensor {
  const a = abs(x);
  return add(mul(add(x, a), 0.5), log1p(exp(neg(a))));
}

/** Limits values to [lo, hi]. The gradient is 1 inside the interval (ends included), 0 outside. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new ValueError(`clip: lo must be <= hi, received lo ${lo} and hi ${hi}`);
  return where(greater(x, hi), hi, where(less(x, lo), lo, x));
}

export { where };
