/** The options of fit, evaluate and predict (Keras's names and defaults). */
import type { Callback } from '../callbacks/callback.js';
import type { OptionKeys } from '../core/options.js';
import type { ModelData } from './data.js';
import type { BatchStream } from './stream_source.js';
import type { ClassWeight, SampleWeightData } from './weights.js';

export interface FitOptions {
  /** [1] */
  epochs?: number;
  /** [32] */
  batchSize?: number;
  /** [1] 0 silent, 1 progress bar (one line per epoch when stdout is not a terminal), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: readonly Callback[];
  /** Fraction of the samples, taken from the END before shuffling (Keras), kept for validation. */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight]; takes precedence over validationSplit. */
  validationData?: readonly [ModelData, ModelData] | readonly [ModelData, ModelData, SampleWeightData] | BatchStream;
  /** [true] reshuffle the training samples every epoch (hebb's global generator: `setSeed`). */
  shuffle?: boolean;
  /** [0] epoch to start counting from (resuming a run): runs epochs initialEpoch..epochs-1. */
  initialEpoch?: number;
  /** Weight of each class id in the loss (models with one output). */
  classWeight?: ClassWeight;
  /** One weight per training sample. */
  sampleWeight?: SampleWeightData;
  /** [batchSize] */
  validationBatchSize?: number;
  /**
   * [10] A step whose loss or gradients hold NaN or Infinity is skipped (weights and optimizer
   * state unchanged; `skipped_steps` in the logs); after this many skipped in a row, fit stops
   * with an error naming the epoch and the batch. A positive integer, or Infinity to never stop.
   */
  maxConsecutiveSkips?: number;
  /**
   * With a dataset: batches per epoch, read from one iterator that continues across epochs
   * (Keras's steps_per_epoch); without it an epoch is one full pass over the dataset.
   */
  stepsPerEpoch?: number;
  /** With a validation dataset: batches per validation pass [a full pass]. */
  validationSteps?: number;
  /**
   * [true] Capture the training (and validation) step once per batch shape and replay it
   * without its JavaScript: the same numbers, faster (docs/CAPTURE.md). HEBB_CAPTURE=0 turns it
   * off everywhere.
   */
  capture?: boolean;
}

export const FIT_OPTIONS: OptionKeys<FitOptions> = {
  epochs: true,
  batchSize: true,
  verbose: true,
  callbacks: true,
  validationSplit: true,
  validationData: true,
  shuffle: true,
  initialEpoch: true,
  classWeight: true,
  sampleWeight: true,
  validationBatchSize: true,
  maxConsecutiveSkips: true,
  stepsPerEpoch: true,
  validationSteps: true,
  capture: true,
};

export interface EvaluateOptions {
  /** [32] */
  batchSize?: number;
  /** [1] as Keras: 1 or 2 print one line with the results, 0 is silent. */
  verbose?: 0 | 1 | 2;
  sampleWeight?: SampleWeightData;
  callbacks?: readonly Callback[];
  /** [false] Model.evaluate returns the logs keyed by name instead of a number or a list. */
  returnDict?: boolean;
  /** With a dataset: batches to evaluate [a full pass]. */
  steps?: number;
  /** [true] Capture the evaluation step (docs/CAPTURE.md). */
  capture?: boolean;
}

export const EVALUATE_OPTIONS: OptionKeys<EvaluateOptions> = { batchSize: true, verbose: true, sampleWeight: true, callbacks: true, returnDict: true, steps: true, capture: true };

export interface PredictOptions {
  /** [32] */
  batchSize?: number;
  /** [false] run layers in training mode (Monte Carlo dropout). */
  training?: boolean;
  callbacks?: readonly Callback[];
  /** With a dataset: batches to predict [a full pass]. */
  steps?: number;
  /** [true] Capture the forward pass (docs/CAPTURE.md). */
  capture?: boolean;
}

export const PREDICT_OPTIONS: OptionKeys<PredictOptions> = { batchSize: true, training: true, callbacks: true, steps: true, capture: true };

