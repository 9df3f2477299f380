/**
 * The builder of fused elementwise programs (backends/fused_program.ts): callers write the
 * arithmetic as expressions, `e.add(m, e.mul(e.sub(g, m), c1))`, once, and `defineFused` turns
 * them into a program. The program is shape- and value-independent (per-step numbers such as
 * the learning rate are params), so it is built once where it is defined and reused every call.
 */
import type { BinaryOp, FusedInstr, FusedProgram, UnaryOp } from '../backends/backend.js';
import { ValueError } from '../core/errors.js';

/** A value of a program being built: float (in the program's dtype) or bool (a mask). */
export interface Expr {
  readonly id: number;
  readonly bool: boolean;
}
/** A float value; a plain number becomes a constant. */
export type FloatLike = Expr | number;

type FloatUnary = Exclude<UnaryOp, 'logicalNot'>;
type Arith = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';
type Compare = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

export class FusedBuilder {
  readonly instrs: FusedInstr[] = [];
  readonly isBool: boolean[] = [];

  private push(instr: FusedInstr, bool: boolean): Expr {
    this.instrs.push(instr);
    this.isBool.push(bool);
    return { id: this.instrs.length - 1, bool };
  }

  private float(x: FloatLike, op: string): number {
    if (typeof x === 'number') return this.push({ kind: 'const', value: x }, false).id;
    if (x.bool) throw new ValueError(`fused ${op}: expects a float value, received a bool one (use where)`);
    return x.id;
  }

  input(index: number): Expr {
    return this.push({ kind: 'input', index }, false);
  }

  param(index: number): Expr {
    return this.push({ kind: 'param', index }, false);
  }

  unary(op: FloatUnary, a: FloatLike): Expr {
    return this.push({ kind: 'unary', op, a: this.float(a, op) }, false);
  }

  arith(op: Arith, a: FloatLike, b: FloatLike): Expr {
    return this.push({ kind: 'binary', op, a: this.float(a, op), b: this.float(b, op) }, false);
  }

  compare(op: Compare, a: FloatLike, b: FloatLike): Expr {
    return this.push({ kind: 'binary', op, a: this.float(a, op), b: this.float(b, op) }, true);
  }

  private boolArg(x: Expr, op: string): number {
    if (!x.bool) throw new ValueError(`fused ${op}: expects a bool value, received a float one`);
    return x.id;
  }

  add = (a: FloatLike, b: FloatLike): Expr => this.arith('add', a, b);
  sub = (a: FloatLike, b: FloatLike): Expr => this.arith('sub', a, b);
  mul = (a: FloatLike, b: FloatLike): Expr => this.arith('mul', a, b);
  div = (a: FloatLike, b: FloatLike): Expr => this.arith('div', a, b);
  pow = (a: FloatLike, b: FloatLike): Expr => this.arith('pow', a, b);
  maximum = (a: FloatLike, b: FloatLike): Expr => this.arith('maximum', a, b);
  minimum = (a: FloatLike, b: FloatLike): Expr => this.arith('minimum', a, b);
  /** ops/elementwise.ts's clip: where(x > hi, hi, where(x < lo, lo, x)). */
  clip = (x: Expr, lo: FloatLike, hi: FloatLike): Expr => this.where(this.greater(x, hi), hi, this.where(this.less(x, lo), lo, x));
  equal = (a: FloatLike, b: FloatLike): Expr => this.compare('equal', a, b);
  notEqual = (a: FloatLike, b: FloatLike): Expr => this.compare('notEqual', a, b);
  less = (a: FloatLike, b: FloatLike): Expr => this.compare('less', a, b);
  lessEqual = (a: FloatLike, b: FloatLike): Expr => this.compare('lessEqual', a, b);
  greater = (a: FloatLike, b: FloatLike): Expr => this.compare('greater', a, b);
  greaterEqual = (a: FloatLike, b: FloatLike): Expr => this.compare('greaterEqual', a, b);
  logicalAnd = (a: Expr, b: Expr): Expr => this.push({ kind: 'binary', op: 'logicalAnd', a: this.boolArg(a, 'logicalAnd'), b: this.boolArg(b, 'logicalAnd') }, true);
  logicalOr = (a: Expr, b: Expr): Expr => this.push({ kind: 'binary', op: 'logicalOr', a: this.boolArg(a, 'logicalOr'), b: this.boolArg(b, 'logicalOr') }, true);
  logicalNot = (a: Expr): Expr => this.push({ kind: 'unary', op: 'logicalNot', a: this.boolArg(a, 'logicalNot') }, true);
  neg = (a: FloatLike): Expr => this.unary('neg', a);
  abs = (a: FloatLike): Expr => this.unary('abs', a);
  sign = (a: FloatLike): Expr => this.unary('sign', a);
  exp = (a: FloatLike): Expr => this.unary('exp', a);
  log = (a: FloatLike): Expr => this.unary('log', a);
  log1p = (a: FloatLike): Expr => this.unary('log1p', a);
  expm1 = (a: FloatLike): Expr => this.unary('expm1', a);
  sqrt = (a: FloatLike): Expr => this.unary('sqrt', a);
  tanh = (a: FloatLike): Expr => this.unary('tanh', a);
  erf = (a: FloatLike): Expr => this.unary('erf', a);
  sigmoid = (a: FloatLike): Expr => this.unary('sigmoid', a);
  floor = (a: FloatLike): Expr => this.unary('floor', a);

  /** cond ? a : b; cond is a bool value or a float read as nonzero (NaN counts as true). */
  where = (cond: Expr, a: FloatLike, b: FloatLike): Expr => this.push({ kind: 'where', cond: cond.id, a: this.float(a, 'where'), b: this.float(b, 'where') }, false);
}

/** A defined program and its name (for error messages). */
export interface FusedFn {
  readonly name: string;
  readonly program: FusedProgram;
}

/** Text of one instruction, for the program's key. */
function instrKey(i: FusedInstr): string {
  switch (i.kind) {
    case 'input':
    case 'param':
      return `${i.kind}${i.index}`;
    case 'const':
      return `c${Object.is(i.value, -0) ? '-0' : String(i.value)}`;
    case 'unary':
      return `${i.op}(${i.a})`;
    case 'binary':
      return `${i.op}(${i.a},${i.b})`;
    case 'where':
      return `where(${i.cond},${i.a},${i.b})`;
  }
}

/**
 * Builds a program from `build(e, inputs, params)`, which returns the output values. Inputs
 * and params are created first (values 0..inputs-1, then the params), so every program starts
 * with the same prologue.
 */
export function defineFused(name: string, inputs: number, params: number, build: (e: FusedBuilder, x: Expr[], p: Expr[]) => Expr[]): FusedFn {
  const e = new FusedBuilder();
  const xs = Array.from({ length: inputs }, (_, i) => e.input(i));
  const ps = Array.from({ length: params }, (_, i) => e.param(i));
  const outs = build(e, xs, ps);
  for (const o of outs) if (o.bool) throw new ValueError(`defineFused ${name}: outputs must be float values, output ${outs.indexOf(o)} is bool`);
  const key = `${inputs};${params};${e.instrs.map(instrKey).join(';')};->${outs.map((o) => o.id).join(',')}`;
  return { name, program: { inputs, params, instrs: e.instrs, outputs: outs.map((o) => o.id), isBool: e.isBool, key } };
}
