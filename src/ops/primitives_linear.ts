/**
 * linear: Dense's `act(x·W + b)` as one primitive, for the activations that are a fused program
 * (relu, with or without a bias, and the identity with a bias). On a backend with
 * `matmulFused` (native) the product runs the program as its epilogue: each block of the
 * output gets its bias and activation while it is in the cache of the thread that computed it,
 * and no separate pass reads the product back. On the others it is the product and the same
 * program in a second kernel. Either way it computes what matmul followed by biasRelu (or
 * add) computes, bit for bit, and its gradient is theirs, step for step (autodiff/rules.ts).
 */
import { isFloat } from '../core/dtype.js';
import { allocTensor } from '../core/engine.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/tape.js';
import { add } from './elementwise.js';
import { defineFused, type Expr } from './fused.js';
import { as3d, broadcastView, matmul, onActiveBackend } from './primitives.js';
import { BIAS_RELU, RELU, biasRelu } from './primitives_fused.js';

/** z + b, the add kernel's arithmetic. */
export const BIAS_ADD = defineFused('biasAdd', 2, 0, (e, [z, b]) => [e.add(z as Expr, b as Expr)]);

/**
 * relu(x·W + b) when `relu`, else x·W + b (then `bias` is required). x is [m, k], W [k, n],
 * bias [n] or null; float32 or float64, one dtype.
 */
export function linear(xIn: Tensor, wIn: Tensor, biasIn: Tensor | null, relu: boolean): Tensor {
  xIn.assertAlive('linear: argument x');
  wIn.assertAlive('linear: argument w');
  biasIn?.assertAlive('linear: argument bias');
  const x = onActiveBackend(xIn);
  const w = onActiveBackend(wIn);
  const bias = biasIn ? onActiveBackend(biasIn) : null;
  if (x.rank !== 2 || w.rank !== 2) throw new ShapeError(`linear: x and w must have rank 2, received x ${fmtShape(x.shape)} and w ${fmtShape(w.shape)}`);
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1] as number;
  if (w.shape[0] !== k) throw new ShapeError(`linear: w must have ${k} rows (x's columns), received w ${fmtShape(w.shape)} for x ${fmtShape(x.shape)}`);
  if (!isFloat(x.dtype) || w.dtype !== x.dtype) throw new DTypeError(`linear: x and w must be float32 or float64 of one dtype, received ${x.dtype} and ${w.dtype}`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== n)) throw new ShapeError(`linear: bias must have shape [${n}], received ${fmtShape(bias.shape)}`);
  if (bias && bias.dtype !== x.dtype) throw new DTypeError(`linear: bias must be ${x.dtype}, received ${bias.dtype}`);
  if (!relu && !bias) throw new ValueError('linear: without relu a bias is required (x·W alone is matmul)');
  const be = x.storage.backend;
  // A backend without the combined kernel: the two primitives, as Dense composed them before.
  if (!be.matmulFused || !be.fused) {
    const z = matmul(x, w);
    if (relu) return biasRelu(z, bias);
    return add(z, bias as Tensor);
  }
  const program = relu ? (bias ? BIAS_RELU : RELU) : BIAS_ADD;
  const out = allocTensor([m, n], x.dtype, 'linear');
  be.matmulFused(as3d(x, [], m, k, false), as3d(w, [], k, n, false), program.program, bias ? [broadcastView(bias, [m, n])] : [], [], out.storage.buf);
  record('linear', bias ? [x, w, bias] : [x, w], out, { relu });
  return out;
}
