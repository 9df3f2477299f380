/**
 * The int32 rules every backend follows (docs/NUMERICS.md), on the TypeScript side:
 *
 * - A float becomes an int32 (cast) by truncation toward zero, saturating at the ends of the
 *   range, NaN giving 0: WebAssembly's `i32.trunc_sat_f64_s`, Rust's `as`, Java's `(int)`.
 *   A kernel cannot throw halfway through a tensor, and wrapping (what an Int32Array store
 *   does) turns 3e9 into -1294967296, a plausible-looking wrong value; saturation at least
 *   keeps the sign and the order.
 * - Numbers given as int32 host data (tensor(values, shape, 'int32'), full(shape, v, 'int32'))
 *   must already be int32 values: anything else is refused, naming where it was.
 */
import { ValueError } from './errors.js';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** True for an integer in [INT32_MIN, INT32_MAX] (-0 included: it stores as 0). */
export function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

/** cast's float-to-int32 rule: truncate toward zero, saturate, NaN to 0. */
export function saturateInt32(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v >= INT32_MAX) return INT32_MAX;
  if (v <= INT32_MIN) return INT32_MIN;
  return Math.trunc(v) | 0;
}

/** `values[2][0]` for the element at row-major index `flat` of a tensor of `shape`. */
function position(arg: string, shape: readonly number[], flat: number): string {
  if (shape.length <= 1) return `${arg}[${flat}]`;
  const idx: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    idx.unshift(rest % n);
    rest = Math.floor(rest / n);
  }
  return `${arg}${idx.map((i) => `[${i}]`).join('')}`;
}

/**
 * Refuses host values that are not int32 values (a fraction, NaN, ±Infinity, or outside the
 * range): ValueError naming the op, the argument, the position and the value.
 */
export function checkInt32Values(op: string, arg: string, values: ArrayLike<number>, shape: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!isInt32(v)) {
      throw new ValueError(
        `${op}: ${position(arg, shape, i)} is ${v}, which is not an int32 (an integer in [${INT32_MIN}, ${INT32_MAX}]); ` +
          `to convert floats, make a float tensor and cast it (truncation, saturating at the range's ends, NaN to 0)`,
      );
    }
  }
}
