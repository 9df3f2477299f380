/**
 * Inverse-time decays. Keras 3's InverseTimeDecay: lr0 / (1 + decayRate · step / decaySteps),
 * with floor(step / decaySteps) when `staircase`. The book's power scheduling,
 * lr0 / (1 + step / s)^c, is `powerDecay` (Keras has no such class; with c = 1 it is
 * InverseTimeDecay with decaySteps = s and decayRate = 1).
 */
import { boolOption } from '../core/option_values.js';
import type { OptionKeys } from '../core/options.js';
import { makeSchedule, numberArg, optionalNumber, scheduleOptions, type LearningRateSchedule } from './schedule.js';

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  /** > 0 */
  decaySteps: number;
  /** >= 0 (0: constant). */
  decayRate: number;
  /** [false] */
  staircase?: boolean;
}

export const INVERSE_TIME_DECAY_OPTIONS: OptionKeys<InverseTimeDecayOptions> = { initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true };

export type InverseTimeDecay = LearningRateSchedule<'InverseTimeDecay', Required<InverseTimeDecayOptions>>;

export function inverseTimeDecay(options: InverseTimeDecayOptions): InverseTimeDecay {
  const who = 'inverseTimeDecay';
  const o = scheduleOptions(who, options, INVERSE_TIME_DECAY_OPTIONS);
  const lr0 = numberArg(who, 'initialLearningRate', o.initialLearningRate, 'nonNegative');
  const decaySteps = numberArg(who, 'decaySteps', o.decaySteps, 'positive');
  const decayRate = numberArg(who, 'decayRate', o.decayRate, 'nonNegative');
  const staircase = boolOption(who, 'staircase', o.staircase, false);
  return makeSchedule(who, 'InverseTimeDecay', () => ({ initialLearningRate: lr0, decaySteps, decayRate, staircase }), (step) => {
    const p = step / decaySteps;
    return lr0 / (1 + decayRate * (staircase ? Math.floor(p) : p));
  });
}

export interface PowerDecayOptions {
  initialLearningRate: number;
  /** > 0: the number of steps after which the rate is lr0 / 2^c. */
  s: number;
  /** [1] >= 0: the power (the book uses 1). */
  c?: number;
}

export const POWER_DECAY_OPTIONS: OptionKeys<PowerDecayOptions> = { initialLearningRate: true, s: true, c: true };

export type PowerDecay = LearningRateSchedule<'PowerDecay', Required<PowerDecayOptions>>;

/** The book's power scheduling: lr0 / (1 + step / s)^c. */
export function powerDecay(options: PowerDecayOptions): PowerDecay {
  const who = 'powerDecay';
  const o = scheduleOptions(who, options, POWER_DECAY_OPTIONS);
  const lr0 = numberArg(who, 'initialLearningRate', o.initialLearningRate, 'nonNegative');
  const s = numberArg(who, 's', o.s, 'positive');
  const c = optionalNumber(who, 'c', o.c, 'nonNegative', 1);
  return makeSchedule(who, 'PowerDecay', () => ({ initialLearningRate: lr0, s, c }), (step) => lr0 / (1 + step / s) ** c);
}
