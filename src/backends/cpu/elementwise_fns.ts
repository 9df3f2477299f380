/**
 * The cpu backend's elementwise functions, by op: computed in double on the stored values; the
 * store into the output's typed array rounds the result to its dtype (the fused kernel,
 * fused.ts, rounds each instruction the same way).
 */
import type { BinaryOp, UnaryOp } from '../backend.js';
import { erf } from './erf.js';

export type Fn1 = (x: number) => number;
export type Fn2 = (a: number, b: number) => number;

export const UNARY: { [K in UnaryOp]: Fn1 } = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  erf,
  // Two branches keep exp's argument non-positive, so neither overflows.
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  floor: Math.floor,
  logicalNot: (x) => (x ? 0 : 1),
};

/** IEEE 754's pow (NumPy's): Math.pow gives NaN for pow(1, NaN) and pow(-1, ±Infinity), IEEE 1. */
function powFloat(a: number, b: number): number {
  return a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b);
}

/**
 * int32 power by repeated squaring with wrapping products (NumPy's int32 result, exactly; a
 * double pow loses the low bits past 2^53). A negative exponent (the ops refuse it) gives the
 * truncated real result: ±1 for a base of ±1, else 0.
 */
function powInt(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
  let r = 1;
  for (let base = a, e = b; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
  }
  return r;
}

export const BINARY: { [K in BinaryOp]: Fn2 } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powFloat,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a && b ? 1 : 0),
  logicalOr: (a, b) => (a || b ? 1 : 0),
};

/**
 * int32 arithmetic where the float64 expression stored into an Int32Array would not give the
 * rule every backend follows (docs/NUMERICS.md): a product past 2^53 has lost its low bits
 * before the store wraps it (Math.imul wraps exactly), and pow wraps like NumPy's int32 (powInt).
 * add, sub and div are exact in float64, and the store's wrap and truncation are the rule.
 */
export const INT32_BINARY: Partial<Record<BinaryOp, Fn2>> = {
  mul: Math.imul,
  pow: powInt,
};

