/**
 * LambdaCallback, Keras's: a callback from plain functions, each optional. The functions get
 * the same arguments as the Callback hooks they stand for (batch hooks get LazyLogs: call
 * `await logs.read()` for the numbers, a sync point with the backend). Any of them may be async;
 * fit awaits it before going on. Only the hooks given are defined, so fit does no work for the
 * others (it skips building batch logs when no callback has a batch hook).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Callback, LazyLogs, Logs } from './callback.js';

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

export interface LambdaCallbackOptions {
  onEpochBegin?: Hook<[epoch: number]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  /** Before each training batch (Keras's on_batch_begin / on_train_batch_begin). */
  onBatchBegin?: Hook<[batch: number]>;
  /** After each training batch. */
  onBatchEnd?: Hook<[batch: number, logs: LazyLogs]>;
  onTrainBegin?: Hook<[]>;
  onTrainEnd?: Hook<[logs: Logs]>;
}

const LAMBDA_OPTIONS: OptionKeys<LambdaCallbackOptions> = {
  onEpochBegin: true,
  onEpochEnd: true,
  onBatchBegin: true,
  onBatchEnd: true,
  onTrainBegin: true,
  onTrainEnd: true,
};

export class LambdaCallback implements Callback {
  readonly onEpochBegin?: Hook<[epoch: number]>;
  readonly onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  readonly onTrainBatchBegin?: Hook<[batch: number]>;
  readonly onTrainBatchEnd?: Hook<[batch: number, logs: LazyLogs]>;
  readonly onTrainBegin?: Hook<[]>;
  readonly onTrainEnd?: Hook<[logs: Logs]>;

  constructor(options: LambdaCallbackOptions = {}) {
    checkOptions('LambdaCallback', options, LAMBDA_OPTIONS);
    for (const [k, f] of Object.entries(options)) {
      if (f !== undefined && typeof f !== 'function') throw new ValueError(`LambdaCallback: ${k} must be a function, received ${fmtReceived(f)}`);
    }
    // Assigned only when given: CallbackList.has() looks for defined hooks.
    if (options.onEpochBegin) this.onEpochBegin = options.onEpochBegin;
    if (options.onEpochEnd) this.onEpochEnd = options.onEpochEnd;
    if (options.onBatchBegin) this.onTrainBatchBegin = options.onBatchBegin;
    if (options.onBatchEnd) this.onTrainBatchEnd = options.onBatchEnd;
    if (options.onTrainBegin) this.onTrainBegin = options.onTrainBegin;
    if (options.onTrainEnd) this.onTrainEnd = options.onTrainEnd;
  }
}

export const lambdaCallback = (options?: LambdaCallbackOptions): LambdaCallback => new LambdaCallback(options);
