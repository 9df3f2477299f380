/**
 * One Adam step of a weight as a primitive: m', v' and w' from w, g, m, v in one kernel call
 * (backends' optional `adamStep`), where the composition in optimizers/adam.ts and the chain's
 * learning-rate and apply links make ~12 passes over the weight, each with a tensor of its own.
 * The kernels round every operation as the composed ops do, so the result is the same bit for
 * bit; a backend without the kernel gets the composition itself.
 *
 * It is an optimizer update, not a differentiable op: under a gradient tape it runs the
 * composition, which the tape records as usual.
 */
import type { AdamCoefficients, Backend } from '../backends/backend.js';
import { allocTensor } from '../core/engine.js';
import { DTypeError, ShapeError, fmtShape, fmtReceived } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { isRecording } from '../autodiff/tape.js';
import { add, div, mul, sqrt, sub } from './elementwise.js';
import { withRows } from './primitives_fused.js';
import { onActiveBackend } from './primitives.js';

export type { AdamCoefficients };

/** The composition the kernels reproduce (ops in this order; see asm/adam.ts). */
function composed(w: Tensor, g: Tensor, m: Tensor, v: Tensor, c: AdamCoefficients): [Tensor, Tensor, Tensor] {
  const m1 = add(m, mul(sub(g, m), c.c1));
  const v1 = add(v, mul(sub(mul(g, g), v), c.c2));
  const u = mul(div(m1, add(sqrt(v1), c.epsilon)), c.correction);
  return [add(w, mul(u, c.alpha)), m1, v1];
}

/** Returns [w', m', v'] (new tensors; nothing is written in place). */
export function adamStep(wIn: Tensor, gIn: Tensor, mIn: Tensor, vIn: Tensor, c: AdamCoefficients): [Tensor, Tensor, Tensor] {
  const named = [
    ['w', wIn],
    ['g', gIn],
    ['m', mIn],
    ['v', vIn],
  ] as const;
  for (const [name, t] of named) t.assertAlive(`adamStep: argument ${name}`);
  const [w, g, m, v] = named.map(([, t]) => onActiveBackend(t)) as [Tensor, Tensor, Tensor, Tensor];
  if (w.dtype !== 'float32' && w.dtype !== 'float64') throw new DTypeError(`adamStep: w must be float32 or float64, received ${w.dtype}`);
  for (const [name, t] of [
    ['g', g],
    ['m', m],
    ['v', v],
  ] as const) {
    if (t.dtype !== w.dtype) throw new DTypeError(`adamStep: ${name} must have w's dtype ${w.dtype}, received ${t.dtype}`);
    if (!shapesEqual(t.shape, w.shape)) throw new ShapeError(`adamStep: ${name} must have w's shape ${fmtShape(w.shape)}, received ${fmtShape(t.shape)}`);
  }
  for (const k of ['c1', 'c2', 'epsilon', 'correction', 'alpha'] as const) {
    if (typeof c[k] !== 'number') throw new DTypeError(`adamStep: coefficient ${k} must be a number, received ${fmtReceived(c[k])}`);
  }
  const backend: Backend = w.storage.backend;
  if (!backend.adamStep || isRecording()) return composed(w, g, m, v, c);
  const step = backend.adamStep.bind(backend);
  const outs = [allocTensor(w.shape, w.dtype), allocTensor(w.shape, w.dtype), allocTensor(w.shape, w.dtype)] as [Tensor, Tensor, Tensor];
  withRows([w, g, m, v], ([wv, gv, mv, vv]) => step(wv!, gv!, mv!, vv!, c, outs[0].storage.buf, outs[1].storage.buf, outs[2].storage.buf));
  return outs;
}
