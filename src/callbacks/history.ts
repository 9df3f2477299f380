/**
 * History: what `fit` returns. `history.loss[e]`, `history.val_loss[e]`, one array per
 * Keras log name, one entry per epoch run.
 */
import { ValueError } from '../core/errors.js';
import type { SavedState, StateValue } from '../core/saved_state.js';
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

  /** The epochs recorded so far: a resumed fit returns the History of the whole run. */
  getState(): SavedState {
    return { values: { epoch: [...this.epoch], history: Object.fromEntries(Object.entries(this.history).map(([k, v]) => [k, [...v]])) }, tensors: {} };
  }

  setState(state: SavedState): void {
    const nums = (v: StateValue | undefined): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
    const epoch = state.values['epoch'];
    const history = state.values['history'];
    if (!nums(epoch) || history === null || typeof history !== 'object' || Array.isArray(history) || !Object.values(history).every(nums)) {
      throw new ValueError('History.setState: expected {epoch: number[], history: {name: number[]}}');
    }
    this.epoch.splice(0, this.epoch.length, ...epoch);
    for (const k of Object.keys(this.history)) delete this.history[k];
    for (const [k, v] of Object.entries(history)) this.history[k] = [...(v as number[])];
  }
}
