/**
 * Reference semantics for the conformance suite, written independently of every backend: each
 * kernel's expected output from plain JavaScript numbers (double precision) and index
 * arithmetic. The semantics pinned here are NumPy's unless a comment says otherwise.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';

/**
 * erf by its Maclaurin series for |x| <= 2 (terms peak near e^(x^2) ~ 55, so ~14 digits
 * survive the cancellation) and by the Laplace continued fraction of erfc beyond, evaluated
 * backwards. A different method from the backends' (Cody's rational approximations), so the
 * two cannot share a mistake.
 */
export function erfRef(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax <= 2) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-18 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 6) return Math.sign(x);
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  let f = ax;
  for (let n = 400; n >= 1; n--) f = ax + n / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** Unary ops on doubles. sign(NaN) is NaN; logicalNot treats any nonzero (and NaN) as true. */
export const unaryRef: { [K in UnaryOp]: (x: number) => number } = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  log1p: (x) => Math.log1p(x),
  expm1: (x) => Math.expm1(x),
  sqrt: (x) => Math.sqrt(x),
  tanh: (x) => Math.tanh(x),
  erf: erfRef,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  floor: (x) => Math.floor(x),
  logicalNot: (x) => (x === 0 ? 1 : 0),
};

/** Ops whose float result is the correctly rounded exact result: checked to one ulp. */
export const EXACT_UNARY: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['neg', 'abs', 'sign', 'floor', 'logicalNot']);
export const EXACT_BINARY: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
]);

const b2n = (c: boolean): number => (c ? 1 : 0);

/**
 * pow with IEEE 754's special cases, as C99 and NumPy: pow(1, y) = 1 and pow(x, ±0) = 1 for
 * any x and y (NaN included), pow(-1, ±inf) = 1. JavaScript's Math.pow differs on the first
 * and the last (NaN), so they are spelled out.
 */
function powRef(a: number, b: number): number {
  if (Number.isNaN(b)) return a === 1 ? 1 : NaN;
  if (b === 0 || a === 1) return 1;
  if (a === -1 && !Number.isFinite(b)) return 1;
  return Math.pow(a, b);
}

/**
 * int32 pow: the exact integer power wrapped to 32 bits (NumPy's int32 result), through BigInt.
 * A negative exponent, which the ops refuse (as NumPy), is pinned at the kernel level to the
 * truncated real result, with 0 for 0 to a negative power.
 */
function powInt32Ref(a: number, b: number): number {
  if (b < 0) {
    const r = Math.trunc(1 / Math.pow(a, -b));
    return Number.isFinite(r) ? r : 0;
  }
  return Number(BigInt.asIntN(32, BigInt(a) ** BigInt(b)));
}

/**
 * Binary ops on doubles. maximum/minimum propagate NaN from either side (NumPy's maximum, not
 * fmax). Comparisons with NaN are false except notEqual.
 */
export const binaryRef: { [K in BinaryOp]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powRef,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b),
  equal: (a, b) => b2n(a === b),
  notEqual: (a, b) => b2n(a !== b),
  less: (a, b) => b2n(a < b),
  lessEqual: (a, b) => b2n(a <= b),
  greater: (a, b) => b2n(a > b),
  greaterEqual: (a, b) => b2n(a >= b),
  logicalAnd: (a, b) => b2n(a !== 0 && b !== 0),
  logicalOr: (a, b) => b2n(a !== 0 || b !== 0),
};

/**
 * float to int32 as every backend converts (docs/NUMERICS.md): truncation toward zero,
 * saturating at the ends of the range, NaN to 0 (wasm's i32.trunc_sat_f64_s). Written out
 * here by comparison with the range's ends, not with any backend's helper.
 */
export function saturateRef(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v >= 2147483647) return 2147483647;
  if (v <= -2147483648) return -2147483648;
  return Math.trunc(v);
}

/** Two's-complement wrap of an exact integer to int32, through BigInt (exact at any size). */
const wrapRef = (v: bigint): number => Number(BigInt.asIntN(32, v));

/**
 * int32 arithmetic pinned for every backend (docs/NUMERICS.md): add, sub and mul wrap (two's
 * complement, the product computed exactly); division truncates toward zero (C, Java, wasm
 * i32.div_s), x / 0 is 0 (no backend can throw from inside a kernel) and MIN / -1 wraps to
 * MIN; pow wraps like NumPy's int32 (exact repeated squaring: powInt32Ref).
 */
export function binaryInt(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return wrapRef(BigInt(a) + BigInt(b));
    case 'sub':
      return wrapRef(BigInt(a) - BigInt(b));
    case 'mul':
      return wrapRef(BigInt(a) * BigInt(b));
    case 'div':
      // BigInt division truncates toward zero.
      return b === 0 ? 0 : wrapRef(BigInt(a) / BigInt(b));
    case 'pow':
      return powInt32Ref(a, b);
    default:
      return binaryRef[op](a, b);
  }
}

/**
 * cast: to bool is "nonzero" (NaN is nonzero, as in NumPy and TensorFlow); float to int32
 * truncates toward zero and saturates, NaN to 0 (saturateRef); to float rounds to nearest.
 */
export function castRef(v: number, to: DType): number {
  switch (to) {
    case 'bool':
      return v !== 0 ? 1 : 0;
    case 'int32':
      return saturateRef(v);
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
  }
}

/**
 * Reduces rows of `inner` consecutive values. max/min propagate NaN; argmax/argmin return the
 * first NaN if there is one, else the first extreme value (NumPy's rules).
 */
export function reduceRef(op: ReduceOp, values: readonly number[], inner: number): number[] {
  const rows = inner === 0 ? 0 : values.length / inner;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = values.slice(r * inner, (r + 1) * inner);
    const nan = row.findIndex((v) => Number.isNaN(v));
    switch (op) {
      case 'sum':
        out.push(row.reduce((s, v) => s + v, 0));
        break;
      case 'prod':
        out.push(row.reduce((s, v) => s * v, 1));
        break;
      case 'max':
        out.push(nan >= 0 ? NaN : Math.max(...row));
        break;
      case 'min':
        out.push(nan >= 0 ? NaN : Math.min(...row));
        break;
      case 'argmax':
        out.push(nan >= 0 ? nan : row.indexOf(Math.max(...row)));
        break;
      case 'argmin':
        out.push(nan >= 0 ? nan : row.indexOf(Math.min(...row)));
        break;
    }
  }
  return out;
}

export interface MatmulRef {
  values: number[];
  /** sum over p of |a[i,p] * b[p,j]| per output: the scale of the rounding error bound. */
  scale: number[];
}

/** out[t, i, j] = sum_p a[t, i, p] * b[t, p, j] over logical (already gathered) operands. */
export function matmulRef(a: readonly number[], b: readonly number[], batch: number, m: number, k: number, n: number): MatmulRef {
  const values: number[] = [];
  const scale: number[] = [];
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const prod = (a[(t * m + i) * k + p] as number) * (b[(t * k + p) * n + j] as number);
          s += prod;
          abs += Math.abs(prod);
        }
        values.push(s);
        scale.push(abs);
      }
    }
  }
  return { values, scale };
}
