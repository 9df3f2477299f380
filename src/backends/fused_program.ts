/**
 * The program of the generic fused elementwise kernel (`Backend.fused`): a straight-line list of
 * instructions over N inputs and P scalar parameters, writing M outputs in one pass over the
 * elements. Optimizer updates, bias + activation and clip/decay arithmetic are written as such
 * programs above the backend (ops/fused.ts), so a backend implements one kernel instead of one
 * per optimizer, and a code-generating backend (native, WebGPU) turns a program into a loop body.
 *
 * Instruction k defines value k (SSA: each value is written once and read only by later
 * instructions). Values are of two kinds:
 * - float: in the program's dtype (the outputs' dtype, float32 or float64): inputs, params,
 *   constants and the results of arithmetic ops;
 * - bool: 0/1, the results of comparisons and logical ops (logicalNot/And/Or take bools).
 * `where`'s condition is a bool value, or a float one read as "nonzero" (NaN is nonzero, as a
 * cast to bool reads it). Arithmetic ops and unary ops other than logicalNot take floats only.
 *
 * Rounding: every instruction rounds its result to the dtype exactly as the backend's separate
 * unary/binary/where kernels round it (params and constants are rounded to the dtype first, as a
 * scalar tensor of that dtype would be; no fused multiply-add). So a fused program gives the
 * composed ops' results bit for bit, NaN and infinities included: the conformance suite checks it.
 */
import type { BinaryOp, UnaryOp } from './backend.js';

export type FusedInstr =
  /** inputs[index], broadcast to the output shape (see Backend.fused). */
  | { readonly kind: 'input'; readonly index: number }
  /** params[index]: a number given with each call, so one program serves every step. */
  | { readonly kind: 'param'; readonly index: number }
  /** A literal, part of the program. */
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly a: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: number; readonly b: number }
  | { readonly kind: 'where'; readonly cond: number; readonly a: number; readonly b: number };

export interface FusedProgram {
  /** How many tensor inputs and scalar params a call passes. */
  readonly inputs: number;
  readonly params: number;
  readonly instrs: readonly FusedInstr[];
  /** The values written to outs[0], outs[1], ... (float values). */
  readonly outputs: readonly number[];
  /** Which values are bool (comparisons and logical ops): derived from instrs, kept for backends. */
  readonly isBool: readonly boolean[];
  /** A stable text form of the program (a cache key for backends that compile programs). */
  readonly key: string;
}
