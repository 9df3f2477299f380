/**
 * 1cycle (the book's OneCycleScheduler, CONVENTIONS) as two per-step schedules that share
 * their phases. Over `iterations` steps, with last = lastIterations (iterations // 10 + 1)
 * and half = (iterations − last) // 2:
 * - the rate goes linearly start → max over [0, half), max → start over [half, 2·half), and
 *   start → lastLearningRate (start / 1000) over [2·half, iterations);
 * - the momentum goes the other way: maxMomentum → minMomentum over [0, half), back to
 *   maxMomentum over [half, 2·half), and stays there.
 * Both hold their final value past `iterations` (the book's callback would extrapolate the
 * last line below zero). Give them the same iterations (and lastIterations) so that their
 * phases line up: `sgd({learningRate: oneCycle(c), momentum: oneCycleMomentum(c)})`.
 */
import { ValueError } from '../core/errors.js';
import type { OptionKeys } from '../core/options.js';
import { makeSchedule, numberArg, optionalNumber, scheduleOptions, stepCountArg, type LearningRateSchedule } from './schedule.js';

interface Phases {
  iterations: number;
  lastIterations: number;
  half: number;
}

function phases(who: string, iterationsArg: unknown, lastArg: unknown): Phases {
  const iterations = stepCountArg(who, 'iterations', iterationsArg);
  const lastIterations = lastArg === undefined ? Math.floor(iterations / 10) + 1 : stepCountArg(who, 'lastIterations', lastArg);
  if (lastIterations > iterations) throw new ValueError(`${who}: lastIterations must be at most iterations (${iterations}), received ${lastIterations}`);
  return { iterations, lastIterations, half: Math.floor((iterations - lastIterations) / 2) };
}

/** Linear from (s1, v1) to (s2, v2), read at `step`. */
const lerp = (step: number, s1: number, s2: number, v1: number, v2: number): number => ((v2 - v1) * (step - s1)) / (s2 - s1) + v1;

export interface OneCycleOptions {
  /** The peak rate, reached at step `half`. */
  maxLearningRate: number;
  /** Positive integer: the steps of the whole cycle (epochs × steps per epoch). */
  iterations: number;
  /** [maxLearningRate / 10] */
  startLearningRate?: number;
  /** [iterations // 10 + 1] positive integer <= iterations: steps of the final annealing. */
  lastIterations?: number;
  /** [startLearningRate / 1000] the rate the cycle ends at. */
  lastLearningRate?: number;
}

export const ONE_CYCLE_OPTIONS: OptionKeys<OneCycleOptions> = { maxLearningRate: true, iterations: true, startLearningRate: true, lastIterations: true, lastLearningRate: true };

export type OneCycle = LearningRateSchedule<'OneCycle', Required<OneCycleOptions>>;

export function oneCycle(options: OneCycleOptions): OneCycle {
  const who = 'oneCycle';
  const o = scheduleOptions(who, options, ONE_CYCLE_OPTIONS);
  const max = numberArg(who, 'maxLearningRate', o.maxLearningRate, 'nonNegative');
  const { iterations, lastIterations, half } = phases(who, o.iterations, o.lastIterations);
  const start = optionalNumber(who, 'startLearningRate', o.startLearningRate, 'nonNegative', max / 10);
  const last = optionalNumber(who, 'lastLearningRate', o.lastLearningRate, 'nonNegative', start / 1000);
  const config = (): Required<OneCycleOptions> => ({ maxLearningRate: max, iterations, startLearningRate: start, lastIterations, lastLearningRate: last });
  return makeSchedule(who, 'OneCycle', config, (step) => {
    if (step < half) return lerp(step, 0, half, start, max);
    if (step < 2 * half) return lerp(step, half, 2 * half, max, start);
    if (step < iterations) return lerp(step, 2 * half, iterations, start, last);
    return last;
  });
}

export interface OneCycleMomentumOptions {
  /** Positive integer: the same as the rate's oneCycle. */
  iterations: number;
  /** [0.95] in [0, 1]: the momentum at the start and the end. */
  maxMomentum?: number;
  /** [0.85] in [0, 1]: the momentum at step `half`, where the rate peaks. */
  minMomentum?: number;
  /** [iterations // 10 + 1] the same as the rate's oneCycle. */
  lastIterations?: number;
}

export const ONE_CYCLE_MOMENTUM_OPTIONS: OptionKeys<OneCycleMomentumOptions> = { iterations: true, maxMomentum: true, minMomentum: true, lastIterations: true };

export type OneCycleMomentum = LearningRateSchedule<'OneCycleMomentum', Required<OneCycleMomentumOptions>>;

/** The momentum companion of oneCycle: high while the rate is low, and the reverse. */
export function oneCycleMomentum(options: OneCycleMomentumOptions): OneCycleMomentum {
  const who = 'oneCycleMomentum';
  const o = scheduleOptions(who, options, ONE_CYCLE_MOMENTUM_OPTIONS);
  const { iterations, lastIterations, half } = phases(who, o.iterations, o.lastIterations);
  const hi = optionalNumber(who, 'maxMomentum', o.maxMomentum, 'unitClosed', 0.95);
  const lo = optionalNumber(who, 'minMomentum', o.minMomentum, 'unitClosed', 0.85);
  if (lo > hi) throw new ValueError(`${who}: minMomentum (${lo}) must be at most maxMomentum (${hi})`);
  const config = (): Required<OneCycleMomentumOptions> => ({ iterations, maxMomentum: hi, minMomentum: lo, lastIterations });
  return makeSchedule(who, 'OneCycleMomentum', config, (step) => {
    if (step < half) return lerp(step, 0, half, hi, lo);
    if (step < 2 * half) return lerp(step, half, 2 * half, lo, hi);
    return hi;
  });
}
