/**
 * Shared by the learning-rate callbacks: the compiled optimizer's current rate as a number.
 */
import { ValueError } from '../core/errors.js';
import type { Optimizer } from '../optimizers/transform.js';
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
