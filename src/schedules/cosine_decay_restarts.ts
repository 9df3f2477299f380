/**
 * CosineDecayRestarts (Keras 3, SGDR): the multiplier decays by a cosine from 1 to alpha over
 * firstDecaySteps, then restarts; period i lasts firstDecaySteps·tMul^i steps and peaks at
 * mMul^i. Within period i at fraction f of it:
 * lr0·((1 − alpha)·mMul^i·½(1 + cos(π·f)) + alpha) (alpha is not scaled by mMul^i, as in Keras).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import type { OptionKeys } from '../core/options.js';
import { makeSchedule, numberArg, optionalNumber, scheduleOptions, type LearningRateSchedule } from './schedule.js';

export interface CosineDecayRestartsOptions {
  initialLearningRate: number;
  /** > 0: the length of the first period. */
  firstDecaySteps: number;
  /** [2] >= 1: each period is tMul times longer than the one before. */
  tMul?: number;
  /** [1] >= 0: each period starts at mMul times the previous one's peak. */
  mMul?: number;
  /** [0] in [0, 1]: the floor, as a fraction of initialLearningRate. */
  alpha?: number;
}

export const COSINE_DECAY_RESTARTS_OPTIONS: OptionKeys<CosineDecayRestartsOptions> = { initialLearningRate: true, firstDecaySteps: true, tMul: true, mMul: true, alpha: true };

export type CosineDecayRestarts = LearningRateSchedule<'CosineDecayRestarts', Required<CosineDecayRestartsOptions>>;

/**
 * The period `x` (in units of the first period) falls in, and the fraction of it done. Keras
 * takes floor(log(1 + x·(tMul − 1)) / log(tMul)) directly, which rounding can put one period
 * early exactly at a restart (f = 1 instead of 0); the estimate is corrected against the
 * periods' start points here.
 */
export function restartPeriod(x: number, tMul: number): { i: number; f: number } {
  if (tMul === 1) {
    const i = Math.floor(x);
    return { i, f: x - i };
  }
  const start = (k: number): number => (tMul ** k - 1) / (tMul - 1);
  let i = Math.max(0, Math.floor(Math.log1p(x * (tMul - 1)) / Math.log(tMul)));
  while (start(i + 1) <= x) i++;
  while (i > 0 && start(i) > x) i--;
  return { i, f: (x - start(i)) / tMul ** i };
}

export function cosineDecayRestarts(options: CosineDecayRestartsOptions): CosineDecayRestarts {
  const who = 'cosineDecayRestarts';
  const o = scheduleOptions(who, options, COSINE_DECAY_RESTARTS_OPTIONS);
  const lr0 = numberArg(who, 'initialLearningRate', o.initialLearningRate, 'nonNegative');
  const first = numberArg(who, 'firstDecaySteps', o.firstDecaySteps, 'positive');
  const tMul = optionalNumber(who, 'tMul', o.tMul, 'positive', 2);
  // Periods shrinking (tMul < 1) sum to first/(1 − tMul) steps, past which Keras's formula
  // takes the log of a negative number: NaN rates for the rest of training.
  if (tMul < 1) throw new ValueError(`${who}: tMul must be a finite number >= 1, received ${fmtReceived(tMul)}`);
  const mMul = optionalNumber(who, 'mMul', o.mMul, 'nonNegative', 1);
  const alpha = optionalNumber(who, 'alpha', o.alpha, 'unitClosed', 0);
  const config = (): Required<CosineDecayRestartsOptions> => ({ initialLearningRate: lr0, firstDecaySteps: first, tMul, mMul, alpha });
  return makeSchedule(who, 'CosineDecayRestarts', config, (step) => {
    const { i, f } = restartPeriod(step / first, tMul);
    const cosine = 0.5 * mMul ** i * (1 + Math.cos(Math.PI * f));
    return lr0 * ((1 - alpha) * cosine + alpha);
  });
}
