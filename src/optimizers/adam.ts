/**
 * Adam, Keras 3 semantics (CONVENTIONS): m ← m + (1 − b1)(g − m); v ← v + (1 − b2)(g² − v);
 * alpha = lr·√(1 − b2^t)/(1 − b1^t); w ← w − alpha·m/(√v + eps), t = step + 1.
 * Epsilon is added to √v of the *uncorrected* v (PyTorch adds its 1e-8 to √ of the corrected
 * v̂), which is why the bias correction can be folded into one scalar alpha.
 */
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { adamStep } from '../ops/primitives_adam.js';
import { chain, learningRateAt, optimizerWithRate, scaleByLearningRate, type GradientTransformation, type LearningRate, type Optimizer } from './transform.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionsConfig, withKerasOptions, type KerasOptimizerOptions } from './keras_options.js';

export interface AdamOptions extends KerasOptimizerOptions {
  /** [0.001] a number or a schedule `(step) => lr`. */
  learningRate?: LearningRate;
  /** [0.9] */
  beta1?: number;
  /** [0.999] */
  beta2?: number;
  /** [1e-7] Keras's default (PyTorch: 1e-8). */
  epsilon?: number;
}

const ADAM_OPTIONS: OptionKeys<AdamOptions> = { ...KERAS_OPTIMIZER_OPTIONS, learningRate: true, beta1: true, beta2: true, epsilon: true };

export interface AdamState {
  m: Tensor[];
  v: Tensor[];
}

/** √(1 − b2^t)/(1 − b1^t) with t = step + 1: the bias corrections folded into one scalar. */
function adamCorrection(beta1: number, beta2: number, step: number): number {
  const t = step + 1;
  return Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
}

/** The learning-rate-free part of Adam: emits √(1 − b2^t)/(1 − b1^t) · m/(√v + eps). */
export function scaleByAdam(beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): GradientTransformation<AdamState> {
  return {
    init: (params) => ({ m: params.map((p) => zeros(p.shape, p.dtype)), v: params.map((p) => zeros(p.shape, p.dtype)) }),
    update(grads, state, _params, step) {
      const correction = adamCorrection(beta1, beta2, step);
      const m = grads.map((g, i) => {
        const mi = state.m[i] as Tensor;
        return add(mi, mul(sub(g, mi), 1 - beta1));
      });
      const v = grads.map((g, i) => {
        const vi = state.v[i] as Tensor;
        return add(vi, mul(sub(mul(g, g), vi), 1 - beta2));
      });
      const out = m.map((mi, i) => mul(div(mi, add(sqrt(v[i] as Tensor), epsilon)), correction));
      return [out, { m, v }];
    },
  };
}

export function adam(options: AdamOptions = {}): Optimizer<readonly unknown[]> {
  checkOptions('adam', options, ADAM_OPTIONS);
  const learningRate = checkHyperparameter('adam', 'learningRate', options.learningRate ?? 0.001, 'learningRate');
  const beta1 = checkHyperparameter('adam', 'beta1', options.beta1 ?? 0.9, 'unitHalfOpen');
  const beta2 = checkHyperparameter('adam', 'beta2', options.beta2 ?? 0.999, 'unitHalfOpen');
  const epsilon = checkHyperparameter('adam', 'epsilon', options.epsilon ?? 1e-7, 'positive');
  const opt = optimizerWithRate(
    'adam',
    learningRate,
    (lr) => withKerasOptions('adam', chain(scaleByAdam(beta1, beta2, epsilon), scaleByLearningRate(lr)), lr, options),
    () => ({ beta1, beta2, epsilon, ...kerasOptionsConfig(options) }),
  );
  // Without clipping or decay, a step is one fused kernel per weight (ops/primitives_adam.ts):
  // the chain's arithmetic to the bit, on the chain's own state.
  const plainRule = Object.keys(kerasOptionsConfig(options)).every((k) => k === 'weightDecay' && options.weightDecay === 0);
  if (plainRule) {
    opt.applyStep = (grads, state, params, step) => {
      if (grads.length !== params.length) {
        throw new ValueError(`optimizer: expected one gradient per trainable weight (${params.length}), received ${grads.length}`);
      }
      // withKerasOptions' chain holds one link, the rule chain [scaleByAdam, scaleByLearningRate].
      const [[s, lrState]] = state as readonly [readonly [AdamState, null]];
      const c = { c1: 1 - beta1, c2: 1 - beta2, epsilon, correction: adamCorrection(beta1, beta2, step), alpha: -learningRateAt(opt.learningRate ?? learningRate, step) };
      const m: Tensor[] = [];
      const v: Tensor[] = [];
      params.forEach((p, i) => {
        const [w1, m1, v1] = adamStep(p, grads[i] as Tensor, s.m[i] as Tensor, s.v[i] as Tensor, c);
        p.assign(w1);
        w1.dispose();
        m.push(m1);
        v.push(v1);
      });
      return [[{ m, v }, lrState]];
    };
  }
  return opt;
}
