/**
 * The options every Keras optimizer takes, as links around its own rule, in the CONVENTIONS
 * order: clipping (clipnorm per tensor, globalClipnorm, clipvalue), then the rule, with the
 * decoupled weight decay added to its update.
 */
import { ValueError } from '../core/errors.js';
import type { OptionKeys } from '../core/options.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './clip.js';
import { addDecayedWeights } from './decay.js';
import { checkHyperparameter } from './hyperparameters.js';
import { chain, type GradientTransformation, type LearningRate } from './transform.js';

export interface KerasOptimizerOptions {
  /** Clip each gradient tensor to this L2 norm. */
  clipnorm?: number;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number;
  /** Clip each gradient value to [−clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Decoupled weight decay: w ← w − lr·weightDecay·w each step. */
  weightDecay?: number;
}

/** The option names above, for checkOptions (the compiler keeps them in step with the type). */
export const KERAS_OPTIMIZER_OPTIONS: OptionKeys<KerasOptimizerOptions> = { clipnorm: true, globalClipnorm: true, clipvalue: true, weightDecay: true };

export function withKerasOptions(name: string, rule: GradientTransformation<unknown>, learningRate: LearningRate, o: KerasOptimizerOptions): GradientTransformation<readonly unknown[]> {
  for (const k of ['clipnorm', 'globalClipnorm', 'clipvalue'] as const) if (o[k] !== undefined) checkHyperparameter(name, k, o[k], 'positive');
  if (o.weightDecay !== undefined) checkHyperparameter(name, 'weightDecay', o.weightDecay, 'nonNegative');
  if (o.clipnorm !== undefined && o.globalClipnorm !== undefined) {
    throw new ValueError(`${name}: give clipnorm or globalClipnorm, not both`);
  }
  const links: GradientTransformation<unknown>[] = [];
  if (o.clipnorm !== undefined) links.push(clipByNorm(o.clipnorm));
  if (o.globalClipnorm !== undefined) links.push(clipByGlobalNorm(o.globalClipnorm));
  if (o.clipvalue !== undefined) links.push(clipByValue(o.clipvalue));
  links.push(rule);
  if (o.weightDecay !== undefined && o.weightDecay !== 0) links.push(addDecayedWeights(o.weightDecay, learningRate));
  return chain(...links);
}

/** The options as config entries (only those set). */
export function kerasOptionsConfig(o: KerasOptimizerOptions): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(KERAS_OPTIMIZER_OPTIONS) as (keyof KerasOptimizerOptions)[]) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
