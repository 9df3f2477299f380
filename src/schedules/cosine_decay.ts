/**
 * CosineDecay (Keras 3), with its optional linear warm-up. Without `warmupTarget`:
 * lr0·((1 − alpha)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + alpha). With it, the
 * rate first rises linearly from lr0 to warmupTarget over [0, warmupSteps), then decays as
 * above from warmupTarget (step counted from warmupSteps), and stays at alpha·warmupTarget
 * after warmupSteps + decaySteps.
 */
import { ValueError } from '../core/errors.js';
import type { OptionKeys } from '../core/options.js';
import { makeSchedule, numberArg, optionalNumber, scheduleOptions, type LearningRateSchedule } from './schedule.js';

export interface CosineDecayOptions {
  /** The rate at step 0 (where the warm-up starts, when there is one). */
  initialLearningRate: number;
  /** > 0: steps of the cosine part. */
  decaySteps: number;
  /** [0] in [0, 1]: the final rate as a fraction of the rate the decay starts from. */
  alpha?: number;
  /** [null] the rate the warm-up reaches; null: no warm-up. */
  warmupTarget?: number | null;
  /** [0] steps of the warm-up (only with warmupTarget). */
  warmupSteps?: number;
}

export const COSINE_DECAY_OPTIONS: OptionKeys<CosineDecayOptions> = { initialLearningRate: true, decaySteps: true, alpha: true, warmupTarget: true, warmupSteps: true };

export type CosineDecay = LearningRateSchedule<'CosineDecay', { initialLearningRate: number; decaySteps: number; alpha: number; warmupTarget: number | null; warmupSteps: number }>;

export function cosineDecay(options: CosineDecayOptions): CosineDecay {
  const who = 'cosineDecay';
  const o = scheduleOptions(who, options, COSINE_DECAY_OPTIONS);
  const lr0 = numberArg(who, 'initialLearningRate', o.initialLearningRate, 'nonNegative');
  const decaySteps = numberArg(who, 'decaySteps', o.decaySteps, 'positive');
  const alpha = optionalNumber(who, 'alpha', o.alpha, 'unitClosed', 0);
  const target = o.warmupTarget === undefined || o.warmupTarget === null ? null : numberArg(who, 'warmupTarget', o.warmupTarget, 'nonNegative');
  const warmupSteps = optionalNumber(who, 'warmupSteps', o.warmupSteps, 'nonNegative', 0);
  // Keras ignores warmupSteps without a target; here it is an error, since the warm-up the
  // caller asked for would silently not happen.
  if (target === null && warmupSteps > 0) throw new ValueError(`${who}: warmupSteps (${warmupSteps}) needs a warmupTarget, the rate the warm-up reaches`);
  const decay = (step: number, from: number): number => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps)) + alpha);
  const config = () => ({ initialLearningRate: lr0, decaySteps, alpha, warmupTarget: target, warmupSteps });
  return makeSchedule(who, 'CosineDecay', config, (step) => {
    if (target === null) return decay(Math.min(step, decaySteps), lr0);
    const s = Math.min(step, decaySteps + warmupSteps);
    if (s < warmupSteps) return (target - lr0) * (s / warmupSteps) + lr0;
    return decay(s - warmupSteps, target);
  });
}
