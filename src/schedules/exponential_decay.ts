/**
 * ExponentialDecay (Keras 3): lr0 · decayRate^(step / decaySteps), the exponent floored when
 * `staircase` (the rate then drops once every decaySteps steps).
 */
import { boolOption } from '../core/option_values.js';
import type { OptionKeys } from '../core/options.js';
import { makeSchedule, numberArg, scheduleOptions, type LearningRateSchedule } from './schedule.js';

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** > 0; need not be whole. */
  decaySteps: number;
  /** > 0: the factor applied every decaySteps steps (above 1 the rate grows). */
  decayRate: number;
  /** [false] */
  staircase?: boolean;
}

export const EXPONENTIAL_DECAY_OPTIONS: OptionKeys<ExponentialDecayOptions> = { initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true };

export type ExponentialDecay = LearningRateSchedule<'ExponentialDecay', Required<ExponentialDecayOptions>>;

export function exponentialDecay(options: ExponentialDecayOptions): ExponentialDecay {
  const who = 'exponentialDecay';
  const o = scheduleOptions(who, options, EXPONENTIAL_DECAY_OPTIONS);
  const lr0 = numberArg(who, 'initialLearningRate', o.initialLearningRate, 'nonNegative');
  const decaySteps = numberArg(who, 'decaySteps', o.decaySteps, 'positive');
  const decayRate = numberArg(who, 'decayRate', o.decayRate, 'positive');
  const staircase = boolOption(who, 'staircase', o.staircase, false);
  return makeSchedule(who, 'ExponentialDecay', () => ({ initialLearningRate: lr0, decaySteps, decayRate, staircase }), (step) => {
    const p = step / decaySteps;
    return lr0 * decayRate ** (staircase ? Math.floor(p) : p);
  });
}
