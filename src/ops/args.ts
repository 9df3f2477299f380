/**
 * The argument checks every public op makes before it computes anything, so that a wrong
 * argument (from plain JavaScript, a JSON config, or a slip TypeScript cannot see) is a typed
 * error in the name of the op the user called: `stack: axis must be an integer in [-2, 2),
 * received "0" (a string)`, never a TypeError from deep inside, nor the name of an internal
 * primitive (`softplus` on int32 says softplus, not mul).
 *
 * The checkers take the op's name and the argument's name and return the checked value, so an
 * op reads `const x = tensorArg(op, 'x', xIn)`. Kinds of error: a value that should be a
 * tensor and is not, or a tensor of a dtype the op does not take, is a DTypeError; a shape-like
 * argument or a tensor of the wrong rank a ShapeError; anything else (axes, counts, flags,
 * numbers) a ValueError.
 */
import { isInt32 } from '../core/int32.js';
import { DTYPES, type DType, isDType, isFloat } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { checkShape, normalizeAxes, normalizeAxis } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';

export { fmtReceived };

/** A live tensor. */
export function tensorArg(op: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: ${name} must be a Tensor, received ${fmtReceived(x)}`);
  x.assertAlive(`${op}: argument ${name}`);
  return x;
}

/** A live tensor or a plain number (which takes the other operand's dtype). */
export function tensorLikeArg(op: string, name: string, x: unknown): Tensor | number {
  if (typeof x === 'number') return x;
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: ${name} must be a Tensor or a number, received ${fmtReceived(x)}`);
  x.assertAlive(`${op}: argument ${name}`);
  return x;
}

/** A non-empty array of live tensors of one dtype. */
export function tensorListArg(op: string, name: string, xs: unknown): Tensor[] {
  if (!Array.isArray(xs)) throw new DTypeError(`${op}: ${name} must be an array of Tensors, received ${fmtReceived(xs)}`);
  if (xs.length === 0) throw new ValueError(`${op}: ${name} must hold at least one tensor, received none`);
  const out = xs.map((x: unknown, i) => tensorArg(op, `${name}[${i}]`, x));
  const first = out[0] as Tensor;
  out.forEach((x, i) => {
    if (x.dtype !== first.dtype) throw new DTypeError(`${op}: ${name} must share one dtype: ${name}[0] is ${first.dtype}, ${name}[${i}] is ${x.dtype}`);
  });
  return out;
}

function fmtDTypes(allowed: readonly DType[]): string {
  return allowed.length === 1 ? (allowed[0] as string) : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1] as string}`;
}

/** The tensor's dtype is one of `allowed`. */
export function checkDType(op: string, name: string, t: Tensor, allowed: readonly DType[]): Tensor {
  if (!allowed.includes(t.dtype)) throw new DTypeError(`${op}: ${name} must be ${fmtDTypes(allowed)}, received ${t.dtype}`);
  return t;
}

export const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64'];
export const NUMERIC_DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

/** float32 or float64. */
export function checkFloat(op: string, name: string, t: Tensor): Tensor {
  return isFloat(t.dtype) ? t : checkDType(op, name, t, FLOAT_DTYPES);
}

/** Any dtype but bool. */
export function checkNumeric(op: string, name: string, t: Tensor): Tensor {
  return t.dtype !== 'bool' ? t : checkDType(op, name, t, NUMERIC_DTYPES);
}

/** rank in [min, max]. */
export function checkRank(op: string, name: string, t: Tensor, min: number, max = Infinity): Tensor {
  if (t.rank < min || t.rank > max) {
    const want = min === max ? `rank ${min}` : max === Infinity ? `rank >= ${min}` : `rank ${min} to ${max}`;
    throw new ShapeError(`${op}: ${name} must have ${want}, received shape ${fmtShape(t.shape)}`);
  }
  return t;
}

/** One axis of a tensor of this rank (negative counts from the end), resolved to [0, rank). */
export function axisArg(op: string, name: string, axis: unknown, rank: number): number {
  return normalizeAxis(op, axis as number, rank, name);
}

/** One axis, several (an array), or all of them (undefined): sorted, unique, in [0, rank). */
export function axesArg(op: string, name: string, axis: unknown, rank: number): number[] {
  return normalizeAxes(op, axis as number | readonly number[] | undefined, rank, name);
}

/** An array of non-negative integers. */
export function shapeArg(op: string, name: string, shape: unknown): number[] {
  checkShape(op, shape as readonly number[], name);
  return [...(shape as readonly number[])];
}

/** An integer (a safe one) in [min, max]. */
export function intArg(op: string, name: string, v: unknown, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    const range = min === -Infinity ? (max === Infinity ? '' : ` <= ${max}`) : max === Infinity ? ` >= ${min}` : ` in [${min}, ${max}]`;
    throw new ValueError(`${op}: ${name} must be an integer${range}, received ${fmtReceived(v)}`);
  }
  return v;
}

/** A number; `finite` also refuses NaN and ±Infinity. */
export function numberArg(op: string, name: string, v: unknown, finite = false): number {
  if (typeof v !== 'number' || (finite && !Number.isFinite(v))) {
    throw new ValueError(`${op}: ${name} must be a ${finite ? 'finite ' : ''}number, received ${fmtReceived(v)}`);
  }
  return v;
}

/** true or false (not a truthy string). */
export function boolArg(op: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ValueError(`${op}: ${name} must be true or false, received ${fmtReceived(v)}`);
  return v;
}

/** One of the dtype names. */
export function dtypeArg(op: string, name: string, v: unknown): DType {
  if (!isDType(v)) throw new DTypeError(`${op}: ${name} must be one of ${DTYPES.join(', ')}, received ${fmtReceived(v)}`);
  return v;
}

/** An array of integers, each >= min. */
export function intListArg(op: string, name: string, v: unknown, min = -Infinity): number[] {
  const ok = Array.isArray(v) && v.every((d: unknown) => typeof d === 'number' && Number.isSafeInteger(d) && d >= min);
  if (!ok) {
    const what = min === -Infinity ? 'integers' : min === 0 ? 'non-negative integers' : `integers >= ${min}`;
    throw new ValueError(`${op}: ${name} must be an array of ${what}, received ${fmtReceived(v)}`);
  }
  return [...(v as number[])];
}

/** An options object (a plain object; undefined means none). Unknown keys are not checked here. */
export function optionsArg<T extends object>(op: string, name: string, v: T | undefined): T | Record<string, never> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValueError(`${op}: ${name} must be an object, received ${fmtReceived(v)}`);
  return v;
}

/**
 * A number combined with a tensor takes the tensor's dtype, so it must be a value of that
 * dtype: an integer for int32 (else add(intTensor, 0.5) would silently add 0), 0 or 1 for bool
 * (else equal(mask, 0.5) would compare with a truncated or rounded 0.5).
 */
export function checkIntegerFor(op: string, name: string, v: number, like: Tensor, likeName = 'the other operand'): void {
  // An int32 scalar must be an int32 value, or it would be silently truncated (add(intTensor,
  // 0.5) adding 0) or wrapped (1e10).
  if (like.dtype === 'int32' && !isInt32(v)) {
    throw new DTypeError(`${op}: ${name} is ${fmtReceived(v)}, which is not an int32 (an integer in [-2147483648, 2147483647]), and ${likeName} is int32; cast it to a float dtype first`);
  }
  if (like.dtype === 'bool' && v !== 0 && v !== 1) {
    throw new DTypeError(`${op}: ${name} is ${fmtReceived(v)}, and ${likeName} is bool; only 0 and 1 stand for false and true`);
  }
}
