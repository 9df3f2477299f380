/**
 * The integer codes the AssemblyScript kernels (asm/) take for dtypes and ops. Mapped types make
 * a missing op a compile error here, and the kernels' switch statements list the same numbers.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';
import type { DType } from '../../core/dtype.js';

export const DTYPE_CODE: { readonly [D in DType]: number } = { float32: 0, int32: 1, bool: 2, float64: 3 };

export const DTYPE_BYTES: { readonly [D in DType]: number } = { float32: 4, int32: 4, bool: 1, float64: 8 };

export const UNARY_CODE: { readonly [K in UnaryOp]: number } = {
  neg: 0,
  abs: 1,
  sign: 2,
  exp: 3,
  log: 4,
  log1p: 5,
  expm1: 6,
  sqrt: 7,
  tanh: 8,
  erf: 9,
  sigmoid: 10,
  floor: 11,
  logicalNot: 12,
};

export const BINARY_CODE: { readonly [K in BinaryOp]: number } = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  equal: 7,
  notEqual: 8,
  less: 9,
  lessEqual: 10,
  greater: 11,
  greaterEqual: 12,
  logicalAnd: 13,
  logicalOr: 14,
};

export const REDUCE_CODE: { readonly [K in ReduceOp]: number } = { sum: 0, max: 1, min: 2, prod: 3, argmax: 4, argmin: 5 };
