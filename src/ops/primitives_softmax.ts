/**
 * Softmax over the last axis and sparse cross-entropy as primitives: a classifier head's
 * forward and backward passes in four kernel calls. Composed from elementwise ops and
 * reductions, softmax alone is ~10 kernels forward, and the loss on probabilities (normalize,
 * clip, log, pick, negate) ~20 kernels forward and backward, each with its own small tensor:
 * at batch 32 that bookkeeping, not the arithmetic, was the cost.
 *
 * The definitions are those of the composed ops (ops/nn.ts, losses/crossentropy.ts), with the
 * textbook gradients: softmax's dx = y·(dy − Σ dy·y) (what TensorFlow's SoftmaxGrad computes),
 * and cross-entropy's derivative taken through the normalization and the clip (zero where the
 * clip is active, as TensorFlow's clip_by_value). Results agree with the compositions to
 * rounding, not bit for bit (sums run in another order). A backend without the optional
 * kernels (backends/backend.ts) gets the compositions.
 */
import type { Backend, View } from '../backends/backend.js';
import { allocTensor } from '../core/engine.js';
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { record, withoutRecording } from '../autodiff/tape.js';
import { abs, clip, div, equal, exp, less, log, mul, neg, sub } from './elementwise.js';
import { withRows } from './primitives_fused.js';
import { cast, fromValues, onActiveBackend, reduce, where } from './primitives.js';
import { reshape } from './primitives_movement.js';
import { checkFloat, checkRank } from './args.js';

/** A float tensor of rank >= 1 (softmax's and the losses' inputs). */
function checkFloatRows(op: string, arg: string, x: Tensor): void {
  checkRank(op, arg, checkFloat(op, arg, x), 1);
}

/** x − max(x) over the last axis, the max replaced by 0 when infinite (ops/nn.ts's shiftByMax). */
function shifted(x: Tensor): Tensor {
  const mx = reduce('max', x, [x.rank - 1], true);
  return sub(x, where(less(abs(mx), Infinity), mx, 0));
}

/** softmax(x) over the last axis: exp(z) / Σ exp(z), z = x − max(x). */
export function softmaxLast(xIn: Tensor): Tensor {
  xIn.assertAlive('softmax: argument x');
  const x = onActiveBackend(xIn);
  checkFloatRows('softmax', 'x', x);
  const backend: Backend = x.storage.backend;
  let out: Tensor;
  if (backend.softmax) {
    const softmax = backend.softmax.bind(backend);
    out = allocTensor(x.shape, x.dtype);
    withRows([x], ([xv]) => softmax(xv as View, out.storage.buf));
  } else {
    out = withoutRecording(() => {
      const e = exp(shifted(x));
      return div(e, reduce('sum', e, [x.rank - 1], true));
    });
  }
  record('softmax', [x], out, {});
  return out;
}

/** Softmax's backward pass from its output y (used by the gradient rule). */
export function softmaxGrad(dy: Tensor, y: Tensor): Tensor {
  const backend: Backend = y.storage.backend;
  if (backend.softmaxGrad && dy.storage.backend === backend) {
    const softmaxGrad = backend.softmaxGrad.bind(backend);
    const dx = allocTensor(y.shape, y.dtype);
    withRows([dy, y], ([dyv, yv]) => softmaxGrad(dyv as View, yv as View, dx.storage.buf));
    return dx;
  }
  return withoutRecording(() => mul(y, sub(dy, reduce('sum', mul(dy, y), [y.rank - 1], true))));
}

/** Keras's clip on probabilities (backend epsilon 1e-7). */
export const XENT_LO = 1e-7;
export const XENT_HI = 1 - 1e-7;

/**
 * Per-row sparse cross-entropy of yPred [..., classes] against int32 `labels` of shape
 * yPred.shape[:-1], whose values the caller has checked to lie in [0, classes). On
 * probabilities: −log(clip(p[label] / Σp, 1e-7, 1 − 1e-7)); on logits (fromLogits):
 * log Σ exp(z) − z[label], z = x − max(x). Differentiable in yPred.
 */
export function sparseCrossentropyRows(pIn: Tensor, labelsIn: Tensor, fromLogits: boolean): Tensor {
  pIn.assertAlive('sparseCrossentropy: argument yPred');
  labelsIn.assertAlive('sparseCrossentropy: argument labels');
  const p = onActiveBackend(pIn);
  const labels = onActiveBackend(labelsIn);
  checkFloatRows('sparseCrossentropy', 'yPred', p);
  if (labels.dtype !== 'int32') throw new DTypeError(`sparseCrossentropy: labels must be int32, received ${labels.dtype}`);
  const lead = p.shape.slice(0, -1);
  if (labels.rank !== lead.length || labels.shape.some((d, i) => d !== lead[i])) {
    throw new ShapeError(`sparseCrossentropy: labels must have shape ${fmtShape(lead)} for yPred of shape ${fmtShape(p.shape)}, received ${fmtShape(labels.shape)}`);
  }
  const backend: Backend = p.storage.backend;
  let out: Tensor;
  if (backend.sparseCrossentropy) {
    const xent = backend.sparseCrossentropy.bind(backend);
    out = allocTensor(lead, p.dtype);
    withRows([p, labels], ([pv, lv]) => xent(pv as View, lv as View, out.storage.buf, fromLogits, XENT_LO, XENT_HI));
  } else {
    out = withoutRecording(() => {
      const hot = oneHotOf(labels, p);
      return neg(reduce('sum', mul(hot, logProbabilities(p, fromLogits)), [p.rank - 1], false));
    });
  }
  record('sparseCrossentropy', [p, labels], out, { fromLogits });
  return out;
}

/** The gradient of sparseCrossentropyRows with respect to yPred, given dl (shape of the labels). */
export function sparseCrossentropyGrad(dl: Tensor, p: Tensor, labels: Tensor, fromLogits: boolean): Tensor {
  const backend: Backend = p.storage.backend;
  if (backend.sparseCrossentropyGrad && dl.storage.backend === backend) {
    const grad = backend.sparseCrossentropyGrad.bind(backend);
    const dp = allocTensor(p.shape, p.dtype);
    withRows([dl, p, labels], ([dv, pv, lv]) => grad(dv as View, pv as View, lv as View, dp.storage.buf, fromLogits, XENT_LO, XENT_HI));
    return dp;
  }
  return withoutRecording(() => {
    const hot = oneHotOf(labels, p);
    const g = reshape(dl, [...dl.shape, 1]);
    if (fromLogits) {
      const e = exp(shifted(p));
      return mul(g, sub(div(e, reduce('sum', e, [p.rank - 1], true)), hot));
    }
    // −dl/q · (hot/s − p[label]/s²) where the clip is open, q = p[label]/s.
    const s = reduce('sum', p, [p.rank - 1], true);
    const py = reduce('sum', mul(hot, p), [p.rank - 1], true);
    const q = div(py, s);
    const open = equal(clip(q, XENT_LO, XENT_HI), q);
    const gq = where(open, neg(div(g, q)), 0);
    return mul(gq, sub(div(hot, s), div(py, mul(s, s))));
  });
}

/** labels as one-hot rows of p's dtype. */
function oneHotOf(labels: Tensor, p: Tensor): Tensor {
  const classes = p.shape[p.rank - 1] as number;
  const range = fromValues(Int32Array.from({ length: classes }, (_, i) => i), [classes], 'int32');
  return cast(equal(reshape(labels, [...labels.shape, 1]), range), p.dtype);
}

function logProbabilities(p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) {
    const z = shifted(p);
    return sub(z, log(reduce('sum', exp(z), [p.rank - 1], true)));
  }
  return log(clip(div(p, reduce('sum', p, [p.rank - 1], true)), XENT_LO, XENT_HI));
}
