/**
 * One gradient rule (vector-Jacobian product) per primitive, written in tensor ops. The mapped
 * types make a primitive, unary op or binary op without a rule a compile error.
 *
 * A rule receives the node (inputs, output, attributes) and dy, the gradient of the result
 * with respect to the node's output; it returns one gradient per input (null: none flows).
 * Gradients of broadcast inputs are summed back to the input's shape here (`sumTo`).
 */
import type { BinaryOp, UnaryOp } from '../backends/backend.js';
import { shapesEqual, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { PrimitiveAttrs, TapeNode } from './tape.js';
import { cast, gatherInRange, matmul, reduce, scatterAddInRange, where } from '../ops/primitives.js';
import { biasReluGrad } from '../ops/primitives_fused.js';
import { softmaxGrad, sparseCrossentropyGrad } from '../ops/primitives_softmax.js';
import { broadcastTo, pad, reshape, slice, transpose } from '../ops/primitives_movement.js';
import { add, div, equal, exp, greater, greaterEqual, lessEqual, log, mul, neg, pow, sign, sub } from '../ops/elementwise.js';

type Grads = (Tensor | null)[];
/**
 * `need[i]` says whether input i's gradient is wanted (it depends on a watched tensor). A rule
 * may skip the others (return null): matmul does, so a first layer never computes dL/dx, a
 * product as large as its forward pass.
 */
type Rule<K extends keyof PrimitiveAttrs> = (node: TapeNode<K>, dy: Tensor, need: readonly boolean[]) => Grads;

/** Sums a broadcast gradient back to `shape` (the un-broadcast of NumPy's rules). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length ? reduce('sum', g, axes, true) : g;
  return reshape(s, shape);
}

const x0 = (n: TapeNode): Tensor => n.inputs[0] as Tensor;
const x1 = (n: TapeNode): Tensor => n.inputs[1] as Tensor;

const unaryRules: { [K in UnaryOp]: (x: Tensor, y: Tensor, dy: Tensor) => Tensor | null } = {
  neg: (_x, _y, dy) => neg(dy),
  abs: (x, _y, dy) => mul(dy, sign(x)),
  sign: () => null,
  exp: (_x, y, dy) => mul(dy, y),
  log: (x, _y, dy) => div(dy, x),
  log1p: (x, _y, dy) => div(dy, add(x, 1)),
  expm1: (_x, y, dy) => mul(dy, add(y, 1)),
  sqrt: (_x, y, dy) => div(dy, mul(y, 2)),
  tanh: (_x, y, dy) => mul(dy, sub(1, mul(y, y))),
  // d/dx erf(x) = 2/sqrt(pi) * exp(-x^2)
  erf: (x, _y, dy) => mul(dy, mul(exp(neg(mul(x, x))), 1.1283791670955126)),
  sigmoid: (_x, y, dy) => mul(dy, mul(y, sub(1, y))),
  floor: () => null,
  logicalNot: () => null,
};

/**
 * `na`/`nb`: whether a's / b's gradient is wanted. A side not wanted (a constant: an epsilon, a
 * learning rate, a batch size) gets null, so its gradient, often a full reduction to a scalar,
 * is never computed.
 */
const binaryRules: { [K in BinaryOp]: (a: Tensor, b: Tensor, y: Tensor, dy: Tensor, na: boolean, nb: boolean) => Grads } = {
  add: (_a, _b, _y, dy, na, nb) => [na ? dy : null, nb ? dy : null],
  sub: (_a, _b, _y, dy, na, nb) => [na ? dy : null, nb ? neg(dy) : null],
  mul: (a, b, _y, dy, na, nb) => [na ? mul(dy, b) : null, nb ? mul(dy, a) : null],
  div: (a, b, _y, dy, na, nb) => [na ? div(dy, b) : null, nb ? neg(div(mul(dy, a), mul(b, b))) : null],
  // d/da a^b = b a^(b-1); d/db a^b = a^b log(a), taken as 0 where a <= 0 (log undefined).
  pow: (a, b, y, dy, na, nb) => [
    na ? mul(dy, mul(b, pow(a, sub(b, 1)))) : null,
    nb ? mul(dy, where(greater(a, 0), mul(y, log(where(greater(a, 0), a, 1))), 0)) : null,
  ],
  maximum: (a, b, _y, dy, na, nb) => [na ? where(greaterEqual(a, b), dy, 0) : null, nb ? where(greaterEqual(a, b), 0, dy) : null],
  minimum: (a, b, _y, dy, na, nb) => [na ? where(lessEqual(a, b), dy, 0) : null, nb ? where(lessEqual(a, b), 0, dy) : null],
  equal: () => [null, null],
  notEqual: () => [null, null],
  less: () => [null, null],
  lessEqual: () => [null, null],
  greater: () => [null, null],
  greaterEqual: () => [null, null],
  logicalAnd: () => [null, null],
  logicalOr: () => [null, null],
};

function inversePerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Shape of a reduction's output with the reduced axes kept as size 1. */
function keptShape(x: Tensor, axes: number[]): number[] {
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

export const rules: { [K in keyof PrimitiveAttrs]: Rule<K> } = {
  unary: (n, dy) => [unaryRules[n.attrs.op](x0(n), n.output, dy)],
  binary: (n, dy, need) => {
    const [ga, gb] = binaryRules[n.attrs.op](x0(n), x1(n), n.output, dy, need[0] !== false, need[1] !== false);
    return [ga ? sumTo(ga, x0(n).shape) : null, gb ? sumTo(gb, x1(n).shape) : null];
  },
  where: (n, dy, need) => {
    const c = x0(n);
    return [
      null,
      need[1] !== false ? sumTo(where(c, dy, 0), x1(n).shape) : null,
      need[2] !== false ? sumTo(where(c, 0, dy), (n.inputs[2] as Tensor).shape) : null,
    ];
  },
  reduce: (n, dy) => {
    const x = x0(n);
    const { op, axes } = n.attrs;
    const dyk = reshape(dy, keptShape(x, axes));
    switch (op) {
      case 'sum':
        return [broadcastTo(dyk, x.shape)];
      case 'prod': {
        // d/dx_i prod(x) = prod of the others: y / x_i where x_i != 0. Where x_i = 0 it is the
        // product of the non-zero others if x_i is the group's only zero, and 0 otherwise.
        const kept = keptShape(x, axes);
        const isZero = equal(x, 0);
        const y = reshape(n.output, kept);
        const prodNonZero = reduce('prod', where(isZero, 1, x), axes, true);
        const zeros = reduce('sum', cast(isZero, x.dtype), axes, true);
        const atZero = where(equal(zeros, 1), prodNonZero, 0);
        return [mul(dyk, where(isZero, atZero, div(y, where(isZero, 1, x))))];
      }
      case 'max':
      case 'min': {
        // Ties share the gradient equally, so the total that flows back is dy.
        const mask = cast(equal(x, reshape(n.output, keptShape(x, axes))), x.dtype);
        return [mul(mask, div(dyk, reduce('sum', mask, axes, true)))];
      }
      case 'argmax':
      case 'argmin':
        return [null];
    }
  },
  matmul: (n, dy, need) => {
    const a = x0(n);
    const b = x1(n);
    const { transposeA: ta, transposeB: tb } = n.attrs;
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (need[0] !== false) {
      if (!ta) da = matmul(dy, b, false, !tb);
      else da = tb ? matmul(b, dy, true, true) : matmul(b, dy, false, true);
    }
    if (need[1] !== false) {
      if (!tb) db = ta ? matmul(a, dy, false, false) : matmul(a, dy, true, false);
      else db = ta ? matmul(dy, a, true, true) : matmul(dy, a, true, false);
    }
    return [da ? sumTo(da, a.shape) : null, db ? sumTo(db, b.shape) : null];
  },
  cast: (n, dy) => {
    const x = x0(n);
    return [x.dtype === 'float32' || x.dtype === 'float64' ? cast(dy, x.dtype) : null];
  },
  reshape: (n, dy) => [reshape(dy, x0(n).shape)],
  transpose: (n, dy) => [transpose(dy, inversePerm(n.attrs.perm))],
  broadcastTo: (n, dy) => [sumTo(dy, x0(n).shape)],
  slice: (n, dy) => {
    const x = x0(n);
    const b = n.attrs.begin;
    return [pad(dy, x.shape.map((d, i) => [b[i] as number, d - (b[i] as number) - (dy.shape[i] as number)] as [number, number]))];
  },
  concat: (n, dy) => {
    const ax = n.attrs.axis;
    let at = 0;
    return n.inputs.map((x) => {
      const begin = x.shape.map((_, i) => (i === ax ? at : 0));
      at += x.shape[ax] as number;
      return slice(dy, begin, x.shape);
    });
  },
  pad: (n, dy) => [slice(dy, n.attrs.paddings.map(([before]) => before), x0(n).shape)],
  // The forward op checked the indices (or its caller made them in range): no second read-back.
  gather: (n, dy) => [scatterAddInRange(dy, x1(n), x0(n).shape, n.attrs.axis), null],
  scatterAdd: (n, dy) => [gatherInRange(dy, x1(n), n.attrs.axis), null],
  copy: (_n, dy) => [dy],
  biasRelu: (n, dy, need) => {
    const withBias = n.inputs.length > 1 && need[1] !== false;
    const { dz, db } = biasReluGrad(dy, n.output, withBias);
    return n.inputs.length > 1 ? [dz, db] : [dz];
  },
  // matmul followed by biasRelu (or add), their two rules in turn: the same kernels, so the
  // same bits as the composition's gradient.
  linear: (n, dy, need) => {
    const x = x0(n);
    const w = x1(n);
    const bias = n.inputs[2] ?? null;
    let dz = dy;
    let db: Tensor | null = null;
    if (n.attrs.relu) ({ dz, db } = biasReluGrad(dy, n.output, bias !== null && need[2] !== false));
    else if (bias && need[2] !== false) db = sumTo(dy, bias.shape);
    const dx = need[0] !== false ? matmul(dz, w, false, true) : null;
    const dw = need[1] !== false ? matmul(x, dz, true, false) : null;
    return bias ? [dx, dw, db] : [dx, dw];
  },
  softmax: (n, dy) => [softmaxGrad(dy, n.output)],
  sparseCrossentropy: (n, dy) => [sparseCrossentropyGrad(dy, x0(n), x1(n), n.attrs.fromLogits), null],
  custom: (n, dy) => n.attrs.vjp(dy),
};

/** Runs the rule for one node. */
export function vjp(node: TapeNode, dy: Tensor, need: readonly boolean[] = []): Grads {
  return (rules[node.kind] as Rule<keyof PrimitiveAttrs>)(node as never, dy, need);
}
