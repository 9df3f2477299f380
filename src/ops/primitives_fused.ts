/**
 * Fused primitives, written as expressions (ops/fused.ts): one kernel call (and one tape node)
 * where the composed ops would take several. They compute exactly what the composition
 * computes — same roundings, same order — so using one changes speed only. A backend without
 * the generic `fused` kernel runs the same expression as the composed ops.
 *
 * biasRelu is Dense's `relu(x·W + b)` after the matmul: forward add + lessEqual + where (three
 * kernels, a bool mask and a scalar) becomes one pass; the backward pass's relu mask is one
 * pass over dy and y, and the bias gradient the usual sum over rows (a reduce kernel).
 *
 * scaledAdd is the SGD update w + (−lr)·g: one pass over three arrays instead of two passes.
 */
import type { View } from '../backends/backend.js';
import { DTypeError, ShapeError, fmtShape, fmtReceived } from '../core/errors.js';
import { isContiguous, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { record, withoutRecording } from '../autodiff/tape.js';
import { copy, reshape } from './primitives_movement.js';
import { onActiveBackend, reduce } from './primitives.js';
import { defineFused, runFused1, runFusedUnrecorded, type Expr, type FusedBuilder } from './fused.js';

/** z's elements as a contiguous [rows, cols] view (a copy first when z is strided). */
export function rowsView(z: Tensor, temps: Tensor[]): View {
  let c = z;
  if (!isContiguous(z.shape, z.strides)) {
    c = withoutRecording(() => copy(z));
    temps.push(c);
  }
  const cols = z.rank === 0 ? 1 : (z.shape[z.rank - 1] as number);
  return { buf: c.storage.buf, shape: [cols === 0 ? 0 : z.size / cols, cols], strides: [cols, 1], offset: c.offset };
}

/** Runs `fn` on contiguous row views of `xs` (rowsView), freeing any copies made for it afterwards. */
export function withRows<R>(xs: readonly Tensor[], fn: (views: View[]) => R): R {
  const temps: Tensor[] = [];
  try {
    return fn(xs.map((x) => rowsView(x, temps)));
  } finally {
    for (const t of temps) t.dispose();
  }
}

/** relu as ops/nn.ts writes it, where(v <= 0, 0, v): relu'(0) = 0, NaN passes through, -0 becomes 0. */
const reluOf = (e: FusedBuilder, v: Expr): Expr => e.where(e.lessEqual(v, 0), 0, v);

export const BIAS_RELU = defineFused('biasRelu', 2, 0, (e, [z, b]) => [reluOf(e, e.add(z as Expr, b as Expr))]);
export const RELU = defineFused('biasRelu', 1, 0, (e, [z]) => [reluOf(e, z as Expr)]);
/** The backward pass's mask from the output: y <= 0 exactly where the pre-activation was. */
const RELU_GRAD = defineFused('biasReluGrad', 2, 0, (e, [dy, y]) => [e.where(e.lessEqual(y as Expr, 0), 0, dy as Expr)]);
const SCALED_ADD = defineFused('scaledAdd', 2, 1, (e, [w, g], [alpha]) => [e.add(w as Expr, e.mul(g as Expr, alpha as Expr))]);

/**
 * relu(z + bias), relu(v) = 0 where v <= 0 (relu'(0) = 0, NaN passes through, as ops/nn.ts's
 * relu). bias (optional) has shape [last dimension of z]. z is float32 or float64.
 */
export function biasRelu(zIn: Tensor, biasIn: Tensor | null = null): Tensor {
  zIn.assertAlive('biasRelu: argument z');
  biasIn?.assertAlive('biasRelu: argument bias');
  const z = onActiveBackend(zIn);
  const bias = biasIn ? onActiveBackend(biasIn) : null;
  if (z.dtype !== 'float32' && z.dtype !== 'float64') throw new DTypeError(`biasRelu: z must be float32 or float64, received ${z.dtype}`);
  if (z.rank < 1) throw new ShapeError(`biasRelu: z must have rank >= 1, received shape ${fmtShape(z.shape)}`);
  const cols = z.shape[z.rank - 1] as number;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== cols)) {
    throw new ShapeError(`biasRelu: bias must have shape [${cols}] (the last dimension of z ${fmtShape(z.shape)}), received ${fmtShape(bias.shape)}`);
  }
  if (bias && bias.dtype !== z.dtype) throw new DTypeError(`biasRelu: z and bias must have the same dtype, received ${z.dtype} and ${bias.dtype}`);
  // A z of one element would broadcast as a scalar; a bias of one element is its row anyway.
  const out = (bias ? runFusedUnrecorded(BIAS_RELU, [z, bias]) : runFusedUnrecorded(RELU, [z]))[0] as Tensor;
  record('biasRelu', bias ? [z, bias] : [z], out, {});
  return out;
}

/**
 * The backward pass of biasRelu, given its output y and the incoming gradient dy: dz = dy
 * where y > 0 (else 0) and, when `withBias`, db = dz summed over all but the last axis (the
 * same reduction the composed add's gradient takes). Used by the gradient rule.
 */
export function biasReluGrad(dy: Tensor, y: Tensor, withBias: boolean): { dz: Tensor; db: Tensor | null } {
  const cols = y.rank === 0 ? 1 : (y.shape[y.rank - 1] as number);
  const dz = runFused1(RELU_GRAD, [dy, y]);
  const lead = Array.from({ length: y.rank - 1 }, (_, i) => i);
  const db = withBias ? (lead.length ? reduce('sum', dz, lead) : reshape(dz, [cols])) : null;
  return { dz, db };
}

/**
 * w + alpha·g, exactly as add(w, mul(g, alpha)) computes it (alpha and the product rounded to
 * the dtype, no fused multiply-add), in one kernel. w and g have the same shape and float dtype.
 */
export function scaledAdd(wIn: Tensor, alpha: number, gIn: Tensor): Tensor {
  wIn.assertAlive('scaledAdd: argument w');
  gIn.assertAlive('scaledAdd: argument g');
  const w = onActiveBackend(wIn);
  const g = onActiveBackend(gIn);
  if (typeof alpha !== 'number') throw new DTypeError(`scaledAdd: alpha must be a number, received ${fmtReceived(alpha)}`);
  if (w.dtype !== 'float32' && w.dtype !== 'float64') throw new DTypeError(`scaledAdd: w must be float32 or float64, received ${w.dtype}`);
  if (g.dtype !== w.dtype) throw new DTypeError(`scaledAdd: w and g must have the same dtype, received ${w.dtype} and ${g.dtype}`);
  if (!shapesEqual(w.shape, g.shape)) throw new ShapeError(`scaledAdd: w and g must have the same shape, received ${fmtShape(w.shape)} and ${fmtShape(g.shape)}`);
  return runFused1(SCALED_ADD, [w, g], [alpha]);
}
