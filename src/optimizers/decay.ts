/**
 * Decoupled weight decay (CONVENTIONS, step 3): w ← w − lr·wd·w, added to the optimizer's
 * update. Adding it to the update is the same as decaying first, because the gradient was
 * already taken at the old weights and both changes are additive.
 */
import { checkHyperparameter } from './hyperparameters.js';
import type { Tensor } from '../core/tensor.js';
import { add, mul } from '../ops/elementwise.js';
import { learningRateAt, type GradientTransformation, type LearningRate } from './transform.js';

export function addDecayedWeights(weightDecay: number, learningRate: LearningRate): GradientTransformation<null> {
  checkHyperparameter('addDecayedWeights', 'weightDecay', weightDecay, 'nonNegative');
  return {
    init: () => null,
    update(updates, state, params, step) {
      const k = -learningRateAt(learningRate, step) * weightDecay;
      return [updates.map((u, i) => add(u, mul(params[i] as Tensor, k))), state];
    },
  };
}
