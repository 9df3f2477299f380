/**
 * ReduceLROnPlateau (CONVENTIONS, Keras defaults): improvement means value < best − minDelta
 * in mode 'min' (value > best + minDelta in 'max'); otherwise, outside cooldown, wait += 1;
 * when wait ≥ patience: lr ← max(lr·factor, minLr), wait ← 0, and `cooldown` epochs follow
 * during which waiting is suspended. The rate is logged as `learning_rate`.
 */
import { improves, resolveMode } from './monitor.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Callback, CallbackModel, Logs } from './callback.js';
import { stateCount, stateNumber, type SavedState } from '../core/saved_state.js';
import { numericRate } from './lr_util.js';

export interface ReduceLROnPlateauOptions {
  /** ['val_loss'] */
  monitor?: string;
  /** [0.1] must be < 1. */
  factor?: number;
  /** [10] */
  patience?: number;
  /** ['auto']: 'max' for accuracy-like names, else 'min'. */
  mode?: 'auto' | 'min' | 'max';
  /** [1e-4] absolute. */
  minDelta?: number;
  /** [0] epochs to wait after a reduction before counting again. */
  cooldown?: number;
  /** [0] */
  minLr?: number;
  /** [0] 1 prints each reduction. */
  verbose?: 0 | 1;
}

const REDUCE_LR_OPTIONS: OptionKeys<ReduceLROnPlateauOptions> = {
  monitor: true,
  factor: true,
  patience: true,
  mode: true,
  minDelta: true,
  cooldown: true,
  minLr: true,
  verbose: true,
};

export class ReduceLROnPlateau implements Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private readonly verbose: 0 | 1;
  private model: CallbackModel | null = null;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private warned = false;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    checkOptions('ReduceLROnPlateau', options, REDUCE_LR_OPTIONS);
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1 && this.factor >= 0)) throw new ValueError(`ReduceLROnPlateau: factor must be in [0, 1), received ${fmtReceived(this.factor)}`);
    this.patience = options.patience ?? 10;
    this.mode = resolveMode('ReduceLROnPlateau', options.mode ?? 'auto', this.monitor);
    this.minDelta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
    this.verbose = options.verbose ?? 0;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  private improves(value: number): boolean {
    return improves(this.mode, value, this.best, this.minDelta);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const { optimizer, lr } = numericRate('ReduceLROnPlateau', this.model);
    logs['learning_rate'] = lr;
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(`ReduceLROnPlateau: "${this.monitor}" is not in the logs (available: ${Object.keys(logs).join(', ')})`);
      this.warned = true;
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience && lr > this.minLr) {
        const next = Math.max(lr * this.factor, this.minLr);
        optimizer.learningRate = next;
        if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }

  /** wait, cooldown and best (the reduced rate itself lives in the optimizer, which backups keep). */
  getState(): SavedState {
    return { values: { wait: this.wait, cooldownCounter: this.cooldownCounter, best: this.best }, tensors: {} };
  }

  setState(state: SavedState): void {
    const wait = stateCount('ReduceLROnPlateau', state, 'wait');
    const cooldownCounter = stateCount('ReduceLROnPlateau', state, 'cooldownCounter');
    this.best = stateNumber('ReduceLROnPlateau', state, 'best');
    this.wait = wait;
    this.cooldownCounter = cooldownCounter;
  }
}
