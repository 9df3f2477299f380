/**
 * Cross-entropy losses, on probabilities or (fromLogits) on logits.
 *
 * On probabilities, p is clipped to [eps, 1 − eps] with eps = 1e-7 (Keras's backend epsilon)
 * before the log, so p of exactly 0 or 1 gives a large but finite loss and gradient
 * (log(1e-7) ≈ −16.1). Outside the clip range the gradient is 0, as with TensorFlow's
 * clip_by_value. On logits, log-sigmoid and log-softmax are used directly: finite at any logit
 * and without the clip's ceiling, which is why fromLogits is the numerically better choice.
 */
import { ShapeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { add, clip, div, log, mul, neg, softplus, sub } from '../ops/elementwise.js';
import { logSoftmax } from '../ops/nn.js';
import { cast, fromValues } from '../ops/primitives.js';
import { XENT_LO, sparseCrossentropyRows } from '../ops/primitives_softmax.js';
import { reshape } from '../ops/primitives_movement.js';
import { sum } from '../ops/reduce.js';
import { alignTargets, checkPrediction, meanPerSample, type Loss } from './loss.js';

/** Keras's backend epsilon. */
export const EPSILON = XENT_LO;

export interface CrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /**
   * Moves targets towards uniform: y·(1 − s) + s/2 for binary, y·(1 − s) + s/classes for
   * categorical (default 0).
   */
  labelSmoothing?: number;
}

const CROSSENTROPY_OPTIONS: OptionKeys<CrossentropyOptions> = { fromLogits: true, labelSmoothing: true };

function checkSmoothing(op: string, s: number | undefined): number {
  const v = s ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ValueError(`${op}: labelSmoothing must be in [0, 1], received ${fmtReceived(s)}`);
  return v;
}

/** Rows of probabilities divided by their sum, then clipped, then logged (Keras's categorical on probabilities). */
function logOfProbabilities(p: Tensor): Tensor {
  return log(clip(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON));
}

class BinaryCrossentropy implements Loss {
  readonly name = 'binary_crossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(opts: CrossentropyOptions) {
    checkOptions('binaryCrossentropy', opts, CROSSENTROPY_OPTIONS);
    this.fromLogits = boolOption('binaryCrossentropy', 'fromLogits', opts.fromLogits, false);
    this.labelSmoothing = checkSmoothing('binaryCrossentropy', opts.labelSmoothing);
  }
  /**
   * −[y·log p + (1 − y)·log(1 − p)], averaged over the last axis (multi-label outputs). With
   * logits x: log p = −softplus(−x) and log(1 − p) = −softplus(x), so the loss is
   * y·softplus(−x) + (1 − y)·softplus(x), exact at any x (no cancellation for large |x|).
   */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    let y = alignTargets(this.name, yTrue, yPred);
    const s = this.labelSmoothing;
    if (s > 0) y = add(mul(y, 1 - s), 0.5 * s);
    let l: Tensor;
    if (this.fromLogits) {
      l = add(mul(y, softplus(neg(yPred))), mul(sub(1, y), softplus(yPred)));
    } else {
      const p = clip(yPred, EPSILON, 1 - EPSILON);
      l = neg(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p)))));
    }
    return meanPerSample(l);
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

class CategoricalCrossentropy implements Loss {
  readonly name = 'categorical_crossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(opts: CrossentropyOptions) {
    checkOptions('categoricalCrossentropy', opts, CROSSENTROPY_OPTIONS);
    this.fromLogits = boolOption('categoricalCrossentropy', 'fromLogits', opts.fromLogits, false);
    this.labelSmoothing = checkSmoothing('categoricalCrossentropy', opts.labelSmoothing);
  }
  /** −Σ y·log p over the last (class) axis; yTrue is one-hot (or a distribution) of yPred's shape. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    checkPrediction(this.name, yPred);
    if (yPred.rank < 2) {
      throw new ShapeError(`${this.name}: yPred must have shape [batch, ..., classes], received ${fmtShape(yPred.shape)}`);
    }
    if (!shapesEqual(yTrue.shape, yPred.shape)) {
      const hint = yTrue.rank === yPred.rank - 1 || yTrue.shape[yTrue.rank - 1] === 1 ? '; for integer class ids use sparseCategoricalCrossentropy' : '';
      throw new ShapeError(`${this.name}: yTrue must be one-hot with yPred's shape ${fmtShape(yPred.shape)}, received ${fmtShape(yTrue.shape)}${hint}`);
    }
    let y = alignTargets(this.name, yTrue, yPred);
    const s = this.labelSmoothing;
    if (s > 0) y = add(mul(y, 1 - s), s / (yPred.shape[yPred.rank - 1] as number));
    const logp = this.fromLogits ? logSoftmax(yPred, -1) : logOfProbabilities(yPred);
    return meanPerSample(neg(sum(mul(y, logp), -1)));
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

export interface SparseCrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
}

const SPARSE_CROSSENTROPY_OPTIONS: OptionKeys<SparseCrossentropyOptions> = { fromLogits: true };

class SparseCategoricalCrossentropy implements Loss {
  readonly name = 'sparse_categorical_crossentropy';
  readonly fromLogits: boolean;
  /**
   * @param labelsChecked the caller (fit/evaluate: training/labels.ts) has checked every label
   *   on the host before the first step, so the per-call read-back is skipped. Never set for a
   *   loss the user makes.
   */
  constructor(opts: SparseCrossentropyOptions, private readonly labelsChecked = false) {
    checkOptions('sparseCategoricalCrossentropy', opts, SPARSE_CROSSENTROPY_OPTIONS);
    this.fromLogits = boolOption('sparseCategoricalCrossentropy', 'fromLogits', opts.fromLogits, false);
  }

  /** This loss, trusting labels its caller checked (see labelsChecked). */
  withCheckedLabels(): SparseCategoricalCrossentropy {
    return new SparseCategoricalCrossentropy({ fromLogits: this.fromLogits }, true);
  }

  /**
   * −log p[label]. Called directly, the labels are read back to check them: they are inputs
   * fed from the host, not results of pending computation, and a label outside [0, classes)
   * would otherwise pick a silent zero from the one-hot (TensorFlow raises in its kernel for
   * the same reason). fit and evaluate check a call's labels once, before the first step,
   * and use withCheckedLabels, so their steps read nothing back.
   */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    checkPrediction(this.name, yPred);
    if (yPred.rank < 2) {
      throw new ShapeError(`${this.name}: yPred must have shape [batch, ..., classes], received ${fmtShape(yPred.shape)}`);
    }
    const lead = yPred.shape.slice(0, -1);
    const classes = yPred.shape[yPred.rank - 1] as number;
    let labels = yTrue;
    if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, lead);
    if (!shapesEqual(labels.shape, lead)) {
      throw new ShapeError(
        `${this.name}: yTrue must hold integer class ids of shape ${fmtShape(lead)} or ${fmtShape([...lead, 1])} for yPred of shape ${fmtShape(yPred.shape)}, received ${fmtShape(yTrue.shape)}`,
      );
    }
    if (labels.dtype === 'bool') throw new ShapeError(`${this.name}: yTrue must hold integer class ids, received a bool tensor`);
    // Checked integral ids in [0, classes): the cast to int32 is exact.
    if (this.labelsChecked) return meanPerSample(sparseCrossentropyRows(yPred, labels.dtype === 'int32' ? labels : cast(labels, 'int32'), this.fromLogits));
    const values = labels.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isInteger(v) || v < 0 || v >= classes) {
        throw new ValueError(`${this.name}: label ${v} at index ${i} is not a class id in [0, ${classes}) (integers 0 to ${classes - 1})`);
      }
    }
    // One fused primitive (ops/primitives_softmax.ts) on int32 ids: integer labels are used as
    // they are; float ones (checked integral above) are uploaded once as int32.
    const ids = labels.dtype === 'int32' ? labels : fromValues(Int32Array.from(values), lead, 'int32');
    return meanPerSample(sparseCrossentropyRows(yPred, ids, this.fromLogits));
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name, fromLogits: this.fromLogits };
  }
}

/** True for the losses that take integer class ids (their labels are checked by fit and evaluate). */
export function takesClassIds(loss: Loss): loss is SparseCategoricalCrossentropy {
  return loss instanceof SparseCategoricalCrossentropy;
}

/** Binary (and multi-label) cross-entropy; yPred holds probabilities unless fromLogits. */
export function binaryCrossentropy(opts: CrossentropyOptions = {}): Loss {
  return new BinaryCrossentropy(opts);
}

/** Cross-entropy against one-hot targets; yPred holds probabilities unless fromLogits. */
export function categoricalCrossentropy(opts: CrossentropyOptions = {}): Loss {
  return new CategoricalCrossentropy(opts);
}

/** Cross-entropy against integer class ids ([batch] or [batch, 1], int32 or float). */
export function sparseCategoricalCrossentropy(opts: SparseCrossentropyOptions = {}): Loss {
  return new SparseCategoricalCrossentropy(opts);
}
