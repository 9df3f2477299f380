/**
 * Callbacks: optional, possibly async hooks the training loop calls. Batch-level hooks get
 * `LazyLogs` rather than numbers: reading metric values back from the backend is a sync point,
 * so a callback pays for it only when it actually looks (the progress bar does so at most ~10
 * times a second). Epoch-level hooks get plain numbers, read once per epoch.
 */
import type { Tensor } from '../core/tensor.js';
import type { Optimizer } from '../optimizers/transform.js';
import type { SavedState } from '../core/saved_state.js';

/** Metric values by Keras name: `loss`, `accuracy`, `val_loss`, `output_1_loss`, ... */
export type Logs = Record<string, number>;

/** Logs read from the backend on demand (once; later calls return the same object). */
export interface LazyLogs {
  read(): Promise<Logs>;
}

/** What fit tells callbacks before training starts. */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch; null when not known (a dataset's first pass: Keras's "Unknown"). */
  steps: number | null;
  verbose: 0 | 1 | 2;
}

/** The part of a model callbacks may use (kept small so callbacks don't depend on models/). */
export interface CallbackModel {
  /** Set to true to end fit after the current batch's epoch bookkeeping. */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** The compiled optimizer (learning-rate callbacks assign its `learningRate`). */
  readonly optimizer?: Optimizer | null;
}

export interface Callback {
  setModel?(model: CallbackModel): void;
  setParams?(params: TrainingParams): void;
  onTrainBegin?(): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** `logs` holds the epoch's training metrics and, when validating, the val_ ones. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainBatchBegin?(batch: number): void | Promise<void>;
  onTrainBatchEnd?(batch: number, logs: LazyLogs): void | Promise<void>;
  onTestBegin?(): void | Promise<void>;
  onTestEnd?(logs: Logs): void | Promise<void>;
  onTestBatchEnd?(batch: number, logs: LazyLogs): void | Promise<void>;
  onPredictBegin?(): void | Promise<void>;
  onPredictEnd?(): void | Promise<void>;
  onPredictBatchEnd?(batch: number): void | Promise<void>;
  /**
   * What the callback must carry over a crash (backupAndRestore; core/saved_state.ts says who
   * owns the tensors). A callback with both methods takes part in backups; one without them
   * starts afresh in a resumed run.
   */
  getState?(): SavedState;
  setState?(state: SavedState): void;
}

type HookName = Exclude<keyof Callback, 'setModel' | 'setParams' | 'getState' | 'setState'>;

/** Calls a hook on every callback in order, awaiting only those that return a promise. */
export class CallbackList {
  constructor(readonly callbacks: readonly Callback[]) {}

  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) c.setModel?.(model);
  }

  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams?.(params);
  }

  /** True when some callback implements the hook (the loop skips building logs otherwise). */
  has(hook: HookName): boolean {
    return this.callbacks.some((c) => c[hook] !== undefined);
  }

  async call<K extends HookName>(hook: K, ...args: Parameters<NonNullable<Callback[K]>>): Promise<void> {
    for (const c of this.callbacks) {
      const f = c[hook] as ((...a: Parameters<NonNullable<Callback[K]>>) => void | Promise<void>) | undefined;
      if (f) {
        const r = f.apply(c, args);
        if (r instanceof Promise) await r;
      }
    }
  }
}

/** LazyLogs over a reader function, reading at most once. */
export function lazyLogs(read: () => Promise<Logs>): LazyLogs {
  let cached: Promise<Logs> | null = null;
  return { read: () => (cached ??= read()) };
}
