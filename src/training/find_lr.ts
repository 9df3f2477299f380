/**
 * The learning-rate finder (the book's chapters 10 and 11; Smith 2015, "Cyclical learning rates";
 * fastai's `lr_find`): train for one pass with the rate growing exponentially from `minLr` to
 * `maxLr`, one batch per step, record the loss of each batch, then put the model's weights and
 * the optimizer's state back as they were, so the finder is a look, not a training run.
 *
 * Suggestion: the rate at the minimum of the smoothed loss, divided by 10. The book's rule
 * ("the optimal learning rate will be a bit lower than the point at which the loss starts to
 * climb (typically about 10 times lower than the turning point)", ch. 10) names the turning
 * point; the smoothed curve's minimum is where it turns, and the rate there / 10 is fastai's
 * `lr_min`. The smoothing is fastai's too: an exponential moving average with bias correction,
 * s_i = (β·a_{i-1} + (1 − β)·l_i) / (1 − β^(i+1)), β = `smoothing`. The run stops once the
 * smoothed loss exceeds `divergenceFactor` (4) times its best so far, or a loss is not finite:
 * the rest of the curve would only say that the rate is too high.
 *
 * It runs `model.fit` with a callback, so it trains exactly as fit does (the model's own train
 * step, shuffling, regularization penalties). The batch loss is the book's way of reading it
 * from fit's logs, whose `loss` is the epoch's running mean over samples: with S_b the samples
 * seen after batch b, l_b = (mean_b·S_b − mean_{b−1}·S_{b−1}) / (S_b − S_{b−1}).
 */
import { dispose } from '../core/engine.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { Tensor } from '../core/tensor.js';
import { stateTensors } from '../optimizers/transform.js';
import type { Callback, LazyLogs, TrainingParams } from '../callbacks/callback.js';
import type { Model } from '../models/model.js';
import { checkBatchSize, type ArrayWithShape, type ModelData } from './data.js';

export interface FindLearningRateOptions {
  /** [1e-5] the first step's rate (the book: "a very low learning rate (e.g., 1e-5)"). */
  minLr?: number;
  /** [10] the last step's rate (the book: "up to a very large value (e.g., 10)"). */
  maxLr?: number;
  /** [one pass: ceil(samples / batchSize)] steps (batches); more than one pass reshuffles and goes on. */
  steps?: number;
  /** [32] */
  batchSize?: number;
  /** [0.98] β of the smoothed loss, in [0, 1); 0 leaves the losses as they are. */
  smoothing?: number;
  /** [4] stop once the smoothed loss exceeds this many times its minimum so far (> 1). */
  divergenceFactor?: number;
  /** [true] as fit's. */
  shuffle?: boolean;
  /** [0] as fit's. */
  verbose?: 0 | 1 | 2;
}

const FIND_LR_OPTIONS: OptionKeys<FindLearningRateOptions> = {
  minLr: true,
  maxLr: true,
  steps: true,
  batchSize: true,
  smoothing: true,
  divergenceFactor: true,
  shuffle: true,
  verbose: true,
};

export interface LearningRateCurve {
  /** The rate of each step run: minLr·(maxLr/minLr)^(i/(steps−1)). */
  learningRates: number[];
  /** The loss of each step's batch (before its update, as fit reports it). */
  losses: number[];
  /** The smoothed losses (see `smoothLosses`), what the stop and the suggestion read. */
  smoothedLosses: number[];
  /** The rate at the smoothed loss's minimum, divided by 10. */
  suggestion: number;
  /** The rate at the smoothed loss's minimum. */
  minLossRate: number;
  /** True when the run stopped before `steps` because the loss diverged. */
  diverged: boolean;
}

const WHO = 'findLearningRate';

/** Rate number i of `steps`, from minLr (i = 0) to maxLr (i = steps − 1), evenly spaced in log. */
export function exponentialRate(minLr: number, maxLr: number, steps: number, i: number): number {
  return steps === 1 ? minLr : minLr * Math.pow(maxLr / minLr, i / (steps - 1));
}

/** fastai's smoothing: the bias-corrected exponential moving average of the losses. */
export function smoothLosses(losses: readonly number[], smoothing: number): number[] {
  let avg = 0;
  return losses.map((l, i) => {
    avg = smoothing * avg + (1 - smoothing) * l;
    return avg / (1 - Math.pow(smoothing, i + 1));
  });
}

/**
 * The suggestion from a curve: the rate where the smoothed loss is smallest (the first such
 * step; non-finite losses never count), and that rate / 10.
 */
export function suggestLearningRate(learningRates: readonly number[], smoothedLosses: readonly number[]): { suggestion: number; minLossRate: number } {
  if (learningRates.length !== smoothedLosses.length) {
    throw new ValueError(`suggestLearningRate: expected one loss per rate (${learningRates.length}), received ${smoothedLosses.length}`);
  }
  let best = -1;
  smoothedLosses.forEach((l, i) => {
    if (Number.isFinite(l) && (best < 0 || l < (smoothedLosses[best] as number))) best = i;
  });
  if (best < 0) throw new ValueError(`suggestLearningRate: no finite loss in the curve (${smoothedLosses.length} steps)`);
  const minLossRate = learningRates[best] as number;
  return { suggestion: minLossRate / 10, minLossRate };
}

function positiveNumber(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValueError(`${WHO}: ${name} must be a finite number > 0, received ${fmtReceived(v)}`);
  return v;
}

/** The options, checked; `steps` stays undefined for "one pass" (fit knows the batch count). */
function readOptions(o: FindLearningRateOptions): Required<Omit<FindLearningRateOptions, 'steps' | 'verbose'>> & { steps: number | undefined; verbose: 0 | 1 | 2 } {
  checkOptions(WHO, o, FIND_LR_OPTIONS);
  const minLr = positiveNumber('minLr', o.minLr, 1e-5);
  const maxLr = positiveNumber('maxLr', o.maxLr, 10);
  if (!(maxLr > minLr)) throw new ValueError(`${WHO}: maxLr must be greater than minLr (${minLr}), received ${maxLr}`);
  const steps = o.steps;
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 2)) throw new ValueError(`${WHO}: steps must be an integer >= 2, received ${fmtReceived(steps)}`);
  const batchSize = o.batchSize ?? 32;
  checkBatchSize(WHO, batchSize);
  const smoothing = o.smoothing ?? 0.98;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing < 1)) throw new ValueError(`${WHO}: smoothing must be a number in [0, 1), received ${fmtReceived(smoothing)}`);
  const divergenceFactor = o.divergenceFactor ?? 4;
  if (typeof divergenceFactor !== 'number' || !(divergenceFactor > 1) || !Number.isFinite(divergenceFactor)) {
    throw new ValueError(`${WHO}: divergenceFactor must be a finite number > 1, received ${fmtReceived(divergenceFactor)}`);
  }
  const verbose = o.verbose ?? 0;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError(`${WHO}: verbose must be 0, 1 or 2, received ${fmtReceived(verbose)}`);
  return { minLr, maxLr, steps, batchSize, smoothing, divergenceFactor, shuffle: boolOption(WHO, 'shuffle', o.shuffle, true), verbose };
}

const isArrayWithShape = (d: unknown): d is ArrayWithShape => typeof d === 'object' && d !== null && !Array.isArray(d) && 'data' in d && 'shape' in d;

/**
 * The number of samples in `y` (one output's targets, or the first of several), to weigh
 * fit's running mean; null when the structure does not say (fit then reports the mismatch).
 */
function sampleCount(d: unknown): number | null {
  if (d instanceof Tensor) return d.shape[0] ?? null;
  if (isArrayWithShape(d)) return d.shape[0] ?? null;
  if (Array.isArray(d)) {
    const first: unknown = d[0];
    return first instanceof Tensor || isArrayWithShape(first) ? sampleCount(first) : d.length;
  }
  if (typeof d === 'object' && d !== null) return sampleCount(Object.values(d)[0]);
  return null;
}

/**
 * Runs the finder on a compiled model and returns the curve and the suggestion (see the file
 * comment). Afterwards the weights (all of them: batch-normalization statistics too), the
 * optimizer's state and step count, and its `learningRate` are what they were before; the
 * global random generator has moved on (the shuffles and dropout masks drew from it).
 */
export async function findLearningRate(model: Model, x: ModelData, y: ModelData, options: FindLearningRateOptions = {}): Promise<LearningRateCurve> {
  const o = readOptions(options);
  const compiled = model.requireCompiled(WHO);
  const optimizer = compiled.optimizer;
  const savedRate = optimizer.learningRate;
  if (savedRate === undefined) throw new ValueError(`${WHO}: optimizer "${optimizer.name}" has no learningRate to vary`);
  // An unbuilt model's weights would be created by the run itself: there would be no "before"
  // to restore, and the caller would get a trained model back.
  if (model.weights.length === 0) {
    throw new ValueError(`${WHO}: model "${model.name}" has no weights yet; build it first (give it an input shape, or call it once on a batch)`);
  }
  const n = sampleCount(y);
  if (n === null || n === 0) throw new ValueError(`${WHO}: y must hold at least one sample, received ${fmtReceived(y)}`);
  const learningRates: number[] = [];
  const losses: number[] = [];
  const smoothedLosses: number[] = [];
  let steps = o.steps ?? 0;
  let diverged = false;
  let avg = 0;
  let best = Infinity;
  let epochSum = 0; // the epoch's loss summed over its samples so far
  const finder: Callback = {
    setParams(p: TrainingParams) {
      steps = o.steps ?? p.steps ?? 0; // fit on arrays: always known
    },
    onEpochBegin() {
      epochSum = 0;
    },
    onTrainBatchBegin() {
      optimizer.learningRate = exponentialRate(o.minLr, o.maxLr, steps, learningRates.length);
    },
    async onTrainBatchEnd(batch: number, logs: LazyLogs) {
      const mean = (await logs.read())['loss'];
      if (mean === undefined) throw new ValueError(`${WHO}: fit reported no loss for batch ${batch}`);
      const seen = Math.min((batch + 1) * o.batchSize, n);
      const sum = mean * seen;
      const loss = (sum - epochSum) / (seen - Math.min(batch * o.batchSize, n));
      epochSum = sum;
      const i = learningRates.length;
      learningRates.push(exponentialRate(o.minLr, o.maxLr, steps, i));
      losses.push(loss);
      avg = o.smoothing * avg + (1 - o.smoothing) * loss;
      const smoothed = avg / (1 - Math.pow(o.smoothing, i + 1));
      smoothedLosses.push(smoothed);
      if (!Number.isFinite(smoothed) || smoothed > o.divergenceFactor * best) {
        diverged = true;
        model.stopTraining = true;
      }
      best = Math.min(best, smoothed);
      if (learningRates.length >= steps) model.stopTraining = true;
    },
  };
  // The state to come back to: the runner fit will use (found or bound now), whose saved state
  // before any fit is the optimizer's initial one, which loadState reinstates just the same.
  const runner = compiled.runnerFor(compiled.trainableWeightsOf(model));
  const savedState = runner.saveState();
  const savedWeights: Tensor[] = model.getWeights();
  try {
    // Every epoch has at least one batch, so `steps` epochs are always enough; the callback
    // stops fit at the last step.
    await model.fit(x, y, { epochs: o.steps ?? 1, batchSize: o.batchSize, shuffle: o.shuffle, verbose: o.verbose, callbacks: [finder] });
  } finally {
    optimizer.learningRate = savedRate;
    model.stopTraining = false;
    try {
      model.setWeights(savedWeights);
      compiled.runnerFor(compiled.trainableWeightsOf(model)).loadState(savedState);
    } finally {
      dispose(savedWeights);
      dispose([...stateTensors(savedState)]);
    }
  }
  if (losses.length === 0) throw new ValueError(`${WHO}: no step ran`);
  return { learningRates, losses, smoothedLosses, diverged, ...suggestLearningRate(learningRates, smoothedLosses) };
}
