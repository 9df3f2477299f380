/**
 * History: what `fit` returns. `history.loss[e]`, `history.val_loss[e]`, one array per
 * Keras log name, one entry per epoch run.
 */
import type { Callback, Logs, TrainingParams } from './callback.js';

export class History implements Callback {
  /** Epoch indices run (from `initialEpoch`). */
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  params: TrainingParams | null = null;

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
