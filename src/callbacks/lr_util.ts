/**
 * Shared by the learning-rate callbacks and the trainer: the compiled optimizer's current rate.
 */
import { ValueError } from '../core/errors.js';
import { learningRateAt, type Optimizer } from '../optimizers/transform.js';
import type { CallbackModel } from './callback.js';

/** The optimizer and its numeric rate; a schedule-valued rate cannot be adjusted per epoch. */
export function numericRate(who: string, model: CallbackModel | null): { optimizer: Optimizer; lr: number } {
  const optimizer = model?.optimizer;
  if (!optimizer) throw new ValueError(`${who}: the model has no compiled optimizer`);
  const lr = optimizer.learningRate;
  if (typeof lr !== 'number') {
    throw new ValueError(`${who}: the optimizer's learningRate must be a number to adjust it per epoch, received ${lr === undefined ? 'an optimizer without one' : 'a schedule'}`);
  }
  return { optimizer, lr };
}

/**
 * The rate the optimizer would use for its next update, after `iterations` updates: what
 * Keras's `optimizer.learning_rate` reads (a schedule evaluated at `iterations`), and what fit
 * logs as `learning_rate` at the end of each epoch. Host arithmetic only, no tensor read.
 * Undefined for an optimizer without a `learningRate`.
 */
export function currentLearningRate(optimizer: Optimizer, iterations: number): number | undefined {
  const lr = optimizer.learningRate;
  return lr === undefined ? undefined : learningRateAt(lr, iterations);
}
