/**
 * EarlyStopping, Keras 3 semantics: stop when `monitor` has not improved by more than
 * `minDelta` for `patience` epochs; optionally put back the best epoch's weights when
 * training ends.
 *
 * Improvement in mode 'min' means current < best − minDelta ('max': current > best +
 * minDelta). 'auto' picks 'max' for accuracy-like names (containing "acc" or "auc"), else
 * 'min'. With a `baseline`, the wait only resets on epochs that also beat the baseline.
 */
import { improves, resolveMode } from './monitor.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { dispose, keep } from '../core/engine.js';
import { Tensor } from '../core/tensor.js';
import { stateCount, stateNumber, type SavedState } from '../core/saved_state.js';
import { copy } from '../ops/primitives_movement.js';
import type { Callback, CallbackModel, Logs } from './callback.js';

export interface EarlyStoppingOptions {
  /** ['val_loss'] */
  monitor?: string;
  /** [0] smallest change that counts as an improvement (absolute). */
  minDelta?: number;
  /** [0] epochs without improvement before stopping. */
  patience?: number;
  /** ['auto'] */
  mode?: 'auto' | 'min' | 'max';
  /** [null] a value the monitored quantity must beat. */
  baseline?: number | null;
  /** [false] restore the weights of the best epoch when stopping. */
  restoreBestWeights?: boolean;
  /** [0] epochs to wait before watching at all (warm-up). */
  startFromEpoch?: number;
  /** [0] 1 prints the epoch training stopped at. */
  verbose?: 0 | 1;
}

const EARLY_STOPPING_OPTIONS: OptionKeys<EarlyStoppingOptions> = {
  monitor: true,
  minDelta: true,
  patience: true,
  mode: true,
  baseline: true,
  restoreBestWeights: true,
  startFromEpoch: true,
  verbose: true,
};

export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  private readonly verbose: 0 | 1;
  private model: CallbackModel | null = null;
  wait = 0;
  /** Epoch at which training was stopped (0 when it was not). */
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;
  private warned = false;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptions('EarlyStopping', options, EARLY_STOPPING_OPTIONS);
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new ValueError(`EarlyStopping: patience must be a non-negative integer, received ${fmtReceived(this.patience)}`);
    this.mode = resolveMode('EarlyStopping', options.mode ?? 'auto', this.monitor);
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
    this.verbose = options.verbose ?? 0;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  private improves(value: number, reference: number): boolean {
    return improves(this.mode, value, reference, this.minDelta);
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.dropBest();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(`EarlyStopping: "${this.monitor}" is not in the logs (available: ${Object.keys(logs).join(', ')}); not stopping`);
      this.warned = true;
      return;
    }
    if (epoch < this.startFromEpoch) return;
    const model = this.model;
    if (this.restoreBestWeights && this.bestWeights === null && model) {
      // Never improved yet: the current weights are the best so far (Keras does the same).
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights && model) {
        this.dropBest();
        this.bestWeights = model.getWeights();
      }
      if (this.baseline === null || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (model) model.stopTraining = true;
    }
  }

  /** Keras 3 restores the best weights at the end of training, stopped early or not. */
  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights && this.model) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.setWeights(this.bestWeights);
    }
    this.dropBest();
  }

  /** wait, best, bestEpoch, stoppedEpoch, and the best weights when restoreBestWeights keeps them. */
  getState(): SavedState {
    const tensors: Record<string, Tensor> = {};
    this.bestWeights?.forEach((t, i) => (tensors[`bestWeights/${i}`] = t));
    return {
      values: { wait: this.wait, stoppedEpoch: this.stoppedEpoch, best: this.best, bestEpoch: this.bestEpoch, bestWeights: this.bestWeights ? this.bestWeights.length : null },
      tensors,
    };
  }

  setState(state: SavedState): void {
    const who = 'EarlyStopping';
    const wait = stateCount(who, state, 'wait');
    const stoppedEpoch = stateCount(who, state, 'stoppedEpoch');
    const best = stateNumber(who, state, 'best');
    const bestEpoch = stateCount(who, state, 'bestEpoch');
    const n = state.values['bestWeights'];
    if (n !== null && !(typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) throw new ValueError(`${who}.setState: "bestWeights" must be a count or null, received ${fmtReceived(n)}`);
    const saved = n === null ? null : Array.from({ length: n }, (_, i) => state.tensors[`bestWeights/${i}`]);
    if (saved && !saved.every((t) => t instanceof Tensor)) throw new ValueError(`${who}.setState: the state lacks some of its ${n} best weights`);
    this.dropBest();
    this.bestWeights = saved ? (saved as Tensor[]).map((t) => keep(copy(t))) : null;
    Object.assign(this, { wait, stoppedEpoch, best, bestEpoch });
  }

  private dropBest(): void {
    if (this.bestWeights) dispose(this.bestWeights);
    this.bestWeights = null;
  }
}
