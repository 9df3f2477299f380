/**
 * Fused primitives: one kernel call (and one tape node) where the composed ops would take
 * several. They compute exactly what the composition computes — same roundings, same order —
 * so using one changes speed only. A backend without the optional fused kernel (see
 * backends/backend.ts) gets the composition, run without recording.
 *
 * biasRelu is Dense's `relu(x·W + b)` after the matmul: forward add + lessEqual + where (three
 * kernels, a bool mask and a scalar) becomes one pass; the backward pass's relu mask and bias
 * gradient (where + a sum over rows) become one pass over dy.
 *
 * scaledAdd is the SGD update w + (−lr)·g: one pass over three arrays instead of two passes.
 */
import type { View } from '../backends/backend.js';
import { allocTensor } from '../core/engine.js';
import { DTypeError, ShapeError, fmtShape, fmtReceived } from '../core/errors.js';
import { isContiguous, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { record, withoutRecording } from '../autodiff/tape.js';
import { add, lessEqual, mul, where } from './elementwise.js';
import { copy, reshape } from './primitives_movement.js';
import { onActiveBackend, reduce } from './primitives.js';

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
  const backend = z.storage.backend;
  let out: Tensor;
  if (backend.biasRelu) {
    const temps: Tensor[] = [];
    const zv = rowsView(z, temps);
    const bv = bias ? rowsView(bias, temps) : null;
    out = allocTensor(z.shape, z.dtype);
    backend.biasRelu(zv, bv ? { ...bv, shape: [cols] , strides: [1] } : null, out.storage.buf);
    for (const t of temps) t.dispose();
  } else {
    out = withoutRecording(() => {
      const v = bias ? add(z, bias) : z;
      return where(lessEqual(v, 0), 0, v);
    });
  }
  record('biasRelu', bias ? [z, bias] : [z], out, {});
  return out;
}

/**
 * The backward pass of biasRelu, given its output y and the incoming gradient dy: dz = dy
 * where y > 0 (else 0) and, when `withBias`, db = dz summed over all but the last axis. Used by
 * the gradient rule (recording is paused there); not differentiable itself.
 */
export function biasReluGrad(dy: Tensor, y: Tensor, withBias: boolean): { dz: Tensor; db: Tensor | null } {
  const backend = y.storage.backend;
  const cols = y.rank === 0 ? 1 : (y.shape[y.rank - 1] as number);
  if (backend.biasReluGrad && dy.storage.backend === backend) {
    const grad = backend.biasReluGrad.bind(backend);
    const dz = allocTensor(y.shape, y.dtype);
    const db = withBias ? allocTensor([cols], y.dtype) : null;
    withRows([dy, y], ([dyv, yv]) => grad(dyv as View, yv as View, dz.storage.buf, db ? db.storage.buf : null));
    return { dz, db };
  }
  return withoutRecording(() => {
    const dz = where(lessEqual(y, 0), 0, dy);
    const lead = Array.from({ length: y.rank - 1 }, (_, i) => i);
    const db = withBias ? (lead.length ? reduce('sum', dz, lead) : reshape(dz, [cols])) : null;
    return { dz, db };
  });
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
  const backend = w.storage.backend;
  let out: Tensor;
  if (backend.scaledAdd) {
    const scaled = backend.scaledAdd.bind(backend);
    const o = allocTensor(w.shape, w.dtype);
    withRows([w, g], ([wv, gv]) => scaled(wv as View, gv as View, alpha, o.storage.buf));
    out = o;
  } else {
    out = withoutRecording(() => add(w, mul(g, alpha)));
  }
  record('scaledAdd', [w, g], out, { alpha });
  return out;
}
