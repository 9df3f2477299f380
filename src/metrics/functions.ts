/**
 * Per-sample metric functions: (yTrue, yPred) → one value per sample, shape [batch]. They
 * use only tensor ops and shape metadata, never the values, so they add no sync point.
 */
import { ShapeError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { abs, equal, greater, square, sub } from '../ops/elementwise.js';
import { cast } from '../ops/primitives.js';
import { reshape } from '../ops/primitives_movement.js';
import { argmax } from '../ops/reduce.js';
import { alignTargets, checkPrediction, meanPerSample } from '../losses/loss.js';

/** 1 where the thresholded prediction (yPred > threshold) equals the 0/1 target, averaged over the last axis. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  const t = alignTargets('binaryAccuracy', yTrue, yPred);
  const p = cast(greater(yPred, threshold), t.dtype);
  return meanPerSample(cast(equal(t, p), yPred.dtype));
}

/** 1 where argmax(yTrue) = argmax(yPred) over the class axis (yTrue one-hot). Ties go to the first index. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkPrediction('categoricalAccuracy', yPred);
  if (yPred.rank < 2 || !shapesEqual(yTrue.shape, yPred.shape)) {
    throw new ShapeError(
      `categoricalAccuracy: yTrue must be one-hot with yPred's shape ${fmtShape(yPred.shape)} (at least [batch, classes]), received ${fmtShape(yTrue.shape)}`,
    );
  }
  return meanPerSample(cast(equal(argmax(yTrue, -1), argmax(yPred, -1)), yPred.dtype));
}

/** 1 where the integer class id in yTrue ([batch] or [batch, 1]) equals argmax(yPred). */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkPrediction('sparseCategoricalAccuracy', yPred);
  const lead = yPred.shape.slice(0, -1);
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, lead);
  if (yPred.rank < 2 || !shapesEqual(labels.shape, lead)) {
    throw new ShapeError(
      `sparseCategoricalAccuracy: yTrue must hold class ids of shape ${fmtShape(lead)} or ${fmtShape([...lead, 1])} for yPred of shape ${fmtShape(yPred.shape)}, received ${fmtShape(yTrue.shape)}`,
    );
  }
  // Float ids are cast to int32 (2.0 → 2), as Keras casts y_true to argmax's integer dtype.
  const ids = labels.dtype === 'int32' ? labels : cast(labels, 'int32');
  return meanPerSample(cast(equal(ids, argmax(yPred, -1)), yPred.dtype));
}

/** mean((yPred − yTrue)²) per sample. */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return meanPerSample(square(sub(yPred, alignTargets('meanSquaredError', yTrue, yPred))));
}

/** mean(|yPred − yTrue|) per sample. */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return meanPerSample(abs(sub(yPred, alignTargets('meanAbsoluteError', yTrue, yPred))));
}
