/**
 * Decoupled weight decay (CONVENTIONS, step 3): w ← w − lr·wd·w, added to the optimizer's
 * update. Adding it to the update is the same as decaying first, because the gradient was
 * already taken at the old weights and both changes are additive.
 *
 * Two placements, as the composition needs:
 * - without `learningRate`, the link adds wd·w and belongs *before* `scaleByLearningRate`,
 *   which scales it to −lr·wd·w (optax's order):
 *   `chain(scaleByAdam(), addDecayedWeights(1e-4), scaleByLearningRate(1e-3))`;
 * - with `learningRate`, it adds −lr·wd·w itself and belongs *last*, after any momentum, so
 *   the decay never enters a velocity: what every built-in optimizer does (Keras decays the
 *   weights directly, outside its momentum).
 */
import { checkHyperparameter } from './hyperparameters.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { add, mul } from '../ops/elementwise.js';
import { learningRateAt, type LearningRate, type Link } from './transform.js';

/**
 * Which variables are not decayed: names (a variable whose name contains one of them, like
 * Keras's `exclude_from_weight_decay(var_names=[...])`, e.g. `['bias', 'gamma', 'beta']`), or
 * a predicate that returns true for the variables to exclude.
 */
export type WeightDecayExclusion = readonly string[] | ((v: Variable) => boolean);

/** True when `v` is to be decayed. */
export function decays(v: Variable, exclude: WeightDecayExclusion | undefined): boolean {
  if (exclude === undefined) return true;
  if (typeof exclude === 'function') return !exclude(v);
  return !exclude.some((s) => v.name.includes(s));
}

export function addDecayedWeights(weightDecay: number, learningRate?: LearningRate, exclude?: WeightDecayExclusion): Link<'weightDecay', null> {
  checkHyperparameter('addDecayedWeights', 'weightDecay', weightDecay, 'nonNegative');
  if (learningRate !== undefined) checkHyperparameter('addDecayedWeights', 'learningRate', learningRate, 'learningRate');
  if (exclude !== undefined) checkHyperparameter('addDecayedWeights', 'exclude', exclude, 'variableFilter');
  return {
    name: 'weightDecay',
    init: () => null,
    update(updates, state, params, step) {
      const k = learningRate === undefined ? weightDecay : -learningRateAt(learningRate, step) * weightDecay;
      return [updates.map((u, i) => (decays(params[i] as Variable, exclude) ? add(u, mul(params[i] as Tensor, k)) : u)), state];
    },
  };
}
