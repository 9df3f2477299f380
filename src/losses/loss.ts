/**
 * The Loss contract and the reduction every loss shares. A loss maps (yTrue, yPred) to one
 * value per sample; `computeLoss` reduces those to a scalar the Keras way.
 */
import { isFloat } from '../core/dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { shapesEqual, sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { div, mul } from '../ops/elementwise.js';
import { cast, fill } from '../ops/primitives.js';
import { reshape } from '../ops/primitives_movement.js';
import { mean, sum } from '../ops/reduce.js';

export interface Loss {
  /** Keras's snake_case name, e.g. 'mean_squared_error'. */
  readonly name: string;
  /** One loss value per sample: shape [batch]. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  /** Plain JSON: the name and the options (Keras's get_config). */
  getConfig(): Record<string, unknown>;
}


/** Checks that yPred is a float tensor with a batch axis; returns its batch size. */
export function checkPrediction(op: string, yPred: Tensor): number {
  if (!isFloat(yPred.dtype)) throw new DTypeError(`${op}: yPred must be float32 or float64, received ${yPred.dtype}`);
  if (yPred.rank === 0) throw new ShapeError(`${op}: yPred must have a batch axis, received a scalar`);
  return yPred.shape[0] as number;
}

/**
 * yTrue in yPred's dtype and shape, for losses and metrics that compare them elementwise.
 * yTrue of shape [batch] against yPred [batch, 1] (a regression target given as a flat array)
 * gets its unit axis back, as Keras's squeeze_or_expand_to_same_rank does. Any other mismatch
 * is an error rather than a broadcast: [batch] against [batch, 1] broadcasting to
 * [batch, batch] is the classic silent bug.
 */
export function alignTargets(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
  checkPrediction(op, yPred);
  let t = yTrue;
  if (t.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1) t = reshape(t, [...t.shape, 1]);
  else if (t.rank === yPred.rank + 1 && t.shape[t.rank - 1] === 1) t = reshape(t, t.shape.slice(0, -1));
  if (!shapesEqual(t.shape, yPred.shape)) {
    throw new ShapeError(`${op}: yTrue and yPred must have the same shape, received yTrue ${fmtShape(yTrue.shape)} and yPred ${fmtShape(yPred.shape)}`);
  }
  if (t.dtype === 'bool') t = cast(t, 'float32');
  return t.dtype === yPred.dtype ? t : cast(t, yPred.dtype);
}

/**
 * Mean over every axis but the first: [batch, ...] → [batch]. Keras averages over the last
 * axis and lets sum_over_batch_size average the rest; with equal-sized samples the two give
 * the same scalar, and [batch] is what sample weights index.
 */
export function meanPerSample(x: Tensor): Tensor {
  if (x.rank === 1) return x;
  return mean(reshape(x, [x.shape[0] as number, sizeOf(x.shape.slice(1))]), 1);
}

/**
 * Sample weights as a tensor that multiplies per-sample values of shape [batch]: a scalar, or
 * [batch] / [batch, 1].
 */
export function alignSampleWeight(op: string, sampleWeight: Tensor | number, values: Tensor): Tensor {
  if (typeof sampleWeight === 'number') return fill([], sampleWeight, values.dtype);
  let w = sampleWeight;
  const batch = values.shape[0] as number;
  if (w.rank === 2 && w.shape[1] === 1) w = reshape(w, [w.shape[0] as number]);
  if (!(w.rank === 0 || (w.rank === 1 && w.shape[0] === batch))) {
    throw new ShapeError(`${op}: sampleWeight must be a scalar or have shape [${batch}] or [${batch}, 1], received ${fmtShape(sampleWeight.shape)}`);
  }
  return w.dtype === values.dtype ? w : cast(w, values.dtype);
}

/**
 * Keras's default reduction, sum_over_batch_size: sum(w·l) / batch. With sample weights the
 * divisor is still the batch size, not the sum of the weights (so a weight of 0 lowers the
 * loss, as in Keras). An empty batch gives 0 rather than 0/0.
 */
export function computeLoss(loss: Loss, yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | number): Tensor {
  const l = loss.perSample(yTrue, yPred);
  if (l.size === 0) return fill([], 0, l.dtype);
  if (sampleWeight === undefined) return mean(l);
  const w = alignSampleWeight(`computeLoss(${loss.name})`, sampleWeight, l);
  return div(sum(mul(l, w)), l.size);
}
