/**
 * RMSProp, Keras 3 semantics (CONVENTIONS and keras/src/optimizers/rmsprop.py):
 * v ← rho·v + (1 − rho)·g²; centered also keeps ḡ ← rho·ḡ + (1 − rho)·g and divides by
 * √(v − ḡ² + eps) instead of √(v + eps); inc = lr·g/√(…); with momentum mom ← momentum·mom + inc,
 * w ← w − mom, else w ← w − inc. Epsilon sits inside the root, and the learning rate is
 * folded into the momentum buffer. (PyTorch: alpha 0.99, eps 1e-8 outside the root, and its
 * momentum buffer holds g/(√v + eps) before the rate.)
 */
import type { Tensor } from '../core/tensor.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { chain, optimizerWithRate, scaleByLearningRate, type LearningRate, type Link, type RateOptimizer } from './transform.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionLinks, kerasOptionsConfig, type KerasChainState, type KerasOptimizerOptions } from './keras_options.js';
import { traceKeras } from './sgd.js';

export interface RmspropOptions extends KerasOptimizerOptions {
  /** [0.001] a number or a schedule `(step) => lr`. */
  learningRate?: LearningRate;
  /** [0.9] discount of the squared-gradient average, in [0, 1) (PyTorch's alpha, 0.99). */
  rho?: number;
  /** [0] in [0, 1]. */
  momentum?: number;
  /** [1e-7] inside the square root. */
  epsilon?: number;
  /** [false] divide by the estimated variance v − ḡ² instead of v. */
  centered?: boolean;
}

const RMSPROP_OPTIONS: OptionKeys<RmspropOptions> = { ...KERAS_OPTIMIZER_OPTIONS, learningRate: true, rho: true, momentum: true, epsilon: true, centered: true };

/** The averages per weight; `meanGrad` (ḡ) is null unless centered. */
export type RmsState = { readonly v: Tensor[]; readonly meanGrad: Tensor[] | null };

/** The learning-rate-free part of RMSProp: emits g/√(v + eps), or g/√(v − ḡ² + eps) centered. */
export function scaleByRms(rho = 0.9, epsilon = 1e-7, centered = false): Link<'rmsprop', RmsState> {
  return {
    name: 'rmsprop',
    init: (params) => ({ v: params.map((p) => zeros(p.shape, p.dtype)), meanGrad: centered ? params.map((p) => zeros(p.shape, p.dtype)) : null }),
    update(grads, state) {
      const v = grads.map((g, i) => add(mul(state.v[i] as Tensor, rho), mul(mul(g, g), 1 - rho)));
      const meanGrad = state.meanGrad ? grads.map((g, i) => add(mul(state.meanGrad?.[i] as Tensor, rho), mul(g, 1 - rho))) : null;
      const out = grads.map((g, i) => {
        const vi = v[i] as Tensor;
        const mg = meanGrad?.[i];
        const denom = mg ? add(sub(vi, mul(mg, mg)), epsilon) : add(vi, epsilon);
        return div(g, sqrt(denom));
      });
      return [out, { v, meanGrad }];
    },
  };
}

/** rmsprop's state: `{rmsprop: {v, meanGrad}, lr: null}`, with momentum also `momentum` (plus the option links). */
export type RmspropState = KerasChainState<{ rmsprop: Link<'rmsprop', RmsState>; lr: Link<'lr', null>; momentum?: Link<'momentum', Tensor[]> }>;

export function rmsprop(options: RmspropOptions = {}): RateOptimizer<RmspropState> {
  checkOptions('rmsprop', options, RMSPROP_OPTIONS);
  const learningRate = checkHyperparameter('rmsprop', 'learningRate', options.learningRate ?? 0.001, 'learningRate');
  const rho = checkHyperparameter('rmsprop', 'rho', options.rho ?? 0.9, 'unitHalfOpen');
  const momentum = checkHyperparameter('rmsprop', 'momentum', options.momentum ?? 0, 'unitClosed');
  const epsilon = checkHyperparameter('rmsprop', 'epsilon', options.epsilon ?? 1e-7, 'positive');
  const centered = checkHyperparameter('rmsprop', 'centered', options.centered ?? false, 'boolean');
  return optimizerWithRate(
    'rmsprop',
    learningRate,
    (lr) => {
      const k = kerasOptionLinks('rmsprop', options, lr);
      // −lr·g/√(…) is −inc; Keras's momentum on inc is traceKeras on −inc (velocity = −mom).
      return chain({ ...k.clip, rmsprop: scaleByRms(rho, epsilon, centered), lr: scaleByLearningRate(lr), ...(momentum > 0 ? { momentum: traceKeras(momentum, false) } : {}), ...k.decay });
    },
    () => ({ rho, momentum, epsilon, centered, ...kerasOptionsConfig(options) }),
  );
}
