/**
 * The options every Keras optimizer takes, as links around its own rule, in the CONVENTIONS
 * order: clipping (clipnorm per tensor, globalClipnorm, clipvalue), then the rule, then the
 * decoupled weight decay added to its update. Each optimizer spreads them into its chain,
 * `chain({...k.clip, adam: scaleByAdam(), lr: scaleByLearningRate(lr), ...k.decay})`, so its
 * state type lists exactly the links it may hold.
 */
import { ValueError } from '../core/errors.js';
import type { OptionKeys } from '../core/options.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './clip.js';
import { addDecayedWeights, type WeightDecayExclusion } from './decay.js';
import { checkHyperparameter } from './hyperparameters.js';
import type { ChainState, LearningRate, Link } from './transform.js';

export interface KerasOptimizerOptions {
  /** Clip each gradient tensor to this L2 norm. */
  clipnorm?: number;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number;
  /** Clip each gradient value to [−clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Decoupled weight decay: w ← w − lr·weightDecay·w each step. */
  weightDecay?: number;
  /**
   * Variables the weight decay leaves alone: name substrings (`['bias', 'gamma', 'beta']`,
   * Keras's `exclude_from_weight_decay(var_names=...)`) or a predicate on the variable.
   */
  excludeFromWeightDecay?: WeightDecayExclusion;
}

/** The option names above, for checkOptions (the compiler keeps them in step with the type). */
export const KERAS_OPTIMIZER_OPTIONS: OptionKeys<KerasOptimizerOptions> = {
  clipnorm: true,
  globalClipnorm: true,
  clipvalue: true,
  weightDecay: true,
  excludeFromWeightDecay: true,
};

/** The clipping links an optimizer's options ask for (each present only when set). */
export interface ClipLinks {
  clipnorm?: Link<'clipnorm', null>;
  globalClipnorm?: Link<'globalClipnorm', null>;
  clipvalue?: Link<'clipvalue', null>;
}

/** The decay link, when `weightDecay` is set and not 0. */
export interface DecayLinks {
  weightDecay?: Link<'weightDecay', null>;
}

/** The state of a built-in optimizer's chain: the option links around its rule's links R. */
export type KerasChainState<R> = ChainState<ClipLinks & R & DecayLinks>;

export interface KerasOptionLinks {
  clip: ClipLinks;
  decay: DecayLinks;
  /** True when no link is added: the optimizer's rule alone, which its fused path may take. */
  plain: boolean;
}

/** Checks the options (under the optimizer's name) and makes their links. */
export function kerasOptionLinks(name: string, o: KerasOptimizerOptions, learningRate: LearningRate, defaultWeightDecay?: number): KerasOptionLinks {
  for (const k of ['clipnorm', 'globalClipnorm', 'clipvalue'] as const) if (o[k] !== undefined) checkHyperparameter(name, k, o[k], 'positive');
  const weightDecay = o.weightDecay ?? defaultWeightDecay;
  if (weightDecay !== undefined) checkHyperparameter(name, 'weightDecay', weightDecay, 'nonNegative');
  if (o.excludeFromWeightDecay !== undefined) checkHyperparameter(name, 'excludeFromWeightDecay', o.excludeFromWeightDecay, 'variableFilter');
  if (o.clipnorm !== undefined && o.globalClipnorm !== undefined) {
    throw new ValueError(`${name}: give clipnorm or globalClipnorm, not both`);
  }
  const clip: ClipLinks = {};
  if (o.clipnorm !== undefined) clip.clipnorm = clipByNorm(o.clipnorm);
  if (o.globalClipnorm !== undefined) clip.globalClipnorm = clipByGlobalNorm(o.globalClipnorm);
  if (o.clipvalue !== undefined) clip.clipvalue = clipByValue(o.clipvalue);
  const decay: DecayLinks = {};
  if (weightDecay !== undefined && weightDecay !== 0) decay.weightDecay = addDecayedWeights(weightDecay, learningRate, o.excludeFromWeightDecay);
  return { clip, decay, plain: Object.keys(clip).length === 0 && decay.weightDecay === undefined };
}

/** The options as config entries (only those set; a predicate exclusion is not plain data and is left out). */
export function kerasOptionsConfig(o: KerasOptimizerOptions, defaultWeightDecay?: number): Record<string, number | string[]> {
  const out: Record<string, number | string[]> = {};
  for (const k of ['clipnorm', 'globalClipnorm', 'clipvalue'] as const) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  const wd = o.weightDecay ?? defaultWeightDecay;
  if (wd !== undefined) out['weightDecay'] = wd;
  const ex = o.excludeFromWeightDecay;
  if (ex !== undefined && typeof ex !== 'function') out['excludeFromWeightDecay'] = [...ex];
  return out;
}
