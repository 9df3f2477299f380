/**
 * LearningRateScheduler (Keras): before each epoch, lr ← schedule(epoch, lr). The book's
 * `exponential_decay_fn(epoch, lr)` style; a per-step schedule is passed to the optimizer
 * as `learningRate: (step) => ...` instead. The rate used is logged as `learning_rate`.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Callback, CallbackModel, Logs } from './callback.js';
import { numericRate } from './lr_util.js';

export interface LearningRateSchedulerOptions {
  /** [0] 1 prints each new rate. */
  verbose?: 0 | 1;
}

const LR_SCHEDULER_OPTIONS: OptionKeys<LearningRateSchedulerOptions> = { verbose: true };

export class LearningRateScheduler implements Callback {
  private model: CallbackModel | null = null;

  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    private readonly options: LearningRateSchedulerOptions = {},
  ) {
    if (typeof schedule !== 'function') throw new ValueError(`LearningRateScheduler: schedule must be a function (epoch, lr) => lr, received ${fmtReceived(schedule)}`);
    checkOptions('LearningRateScheduler', options, LR_SCHEDULER_OPTIONS);
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    const { optimizer, lr } = numericRate('LearningRateScheduler', this.model);
    const next = this.schedule(epoch, lr);
    if (typeof next !== 'number' || !Number.isFinite(next)) {
      throw new ValueError(`LearningRateScheduler: the schedule must return a finite number, returned ${String(next)} at epoch ${epoch}`);
    }
    optimizer.learningRate = next;
    if ((this.options.verbose ?? 0) > 0) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs['learning_rate'] = numericRate('LearningRateScheduler', this.model).lr;
  }
}
