/**
 * PolynomialDecay (Keras 3): (lr0 − end)·(1 − p)^power + end with p = min(step, decaySteps) /
 * decaySteps. With `cycle`, the decay restarts: the horizon becomes the first multiple of
 * decaySteps at or past the step, decaySteps·ceil(step / decaySteps) (decaySteps at step 0),
 * and p = step / horizon, so each cycle decays from a little less than lr0.
 */
import { boolOption } from '../core/option_values.js';
import type { OptionKeys } from '../core/options.js';
import { makeSchedule, numberArg, optionalNumber, scheduleOptions, type LearningRateSchedule } from './schedule.js';

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  /** > 0 */
  decaySteps: number;
  /** [0.0001] */
  endLearningRate?: number;
  /** [1] >= 0 */
  power?: number;
  /** [false] */
  cycle?: boolean;
}

export const POLYNOMIAL_DECAY_OPTIONS: OptionKeys<PolynomialDecayOptions> = { initialLearningRate: true, decaySteps: true, endLearningRate: true, power: true, cycle: true };

export type PolynomialDecay = LearningRateSchedule<'PolynomialDecay', Required<PolynomialDecayOptions>>;

export function polynomialDecay(options: PolynomialDecayOptions): PolynomialDecay {
  const who = 'polynomialDecay';
  const o = scheduleOptions(who, options, POLYNOMIAL_DECAY_OPTIONS);
  const lr0 = numberArg(who, 'initialLearningRate', o.initialLearningRate, 'nonNegative');
  const decaySteps = numberArg(who, 'decaySteps', o.decaySteps, 'positive');
  const end = optionalNumber(who, 'endLearningRate', o.endLearningRate, 'nonNegative', 0.0001);
  const power = optionalNumber(who, 'power', o.power, 'nonNegative', 1);
  const cycle = boolOption(who, 'cycle', o.cycle, false);
  const config = (): Required<PolynomialDecayOptions> => ({ initialLearningRate: lr0, decaySteps, endLearningRate: end, power, cycle });
  return makeSchedule(who, 'PolynomialDecay', config, (step) => {
    let s = step;
    let horizon = decaySteps;
    if (cycle) horizon = decaySteps * (step === 0 ? 1 : Math.ceil(step / decaySteps));
    else s = Math.min(step, decaySteps);
    return (lr0 - end) * (1 - s / horizon) ** power + end;
  });
}
