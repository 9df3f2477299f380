/**
 * Adam, Keras 3 semantics (CONVENTIONS): m ← m + (1 − b1)(g − m); v ← v + (1 − b2)(g² − v);
 * alpha = lr·√(1 − b2^t)/(1 − b1^t); w ← w − alpha·m/(√v + eps), t = step + 1.
 * Epsilon is added to √v of the *uncorrected* v (PyTorch adds its 1e-8 to √ of the corrected
 * v̂), which is why the bias correction can be folded into one scalar alpha.
 */
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { add, div, maximum, mul, sqrt, sub } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { adamStep } from '../ops/primitives_adam.js';
import { where } from '../ops/primitives.js';
import { chain, guardCondition, learningRateAt, optimizerWithRate, scaleByLearningRate, type LearningRate, type Link, type RateOptimizer } from './transform.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionLinks, kerasOptionsConfig, type KerasChainState, type KerasOptimizerOptions } from './keras_options.js';

/**
 * Keras's moment updates, m ← m + (1 − b1)(g − m) and v ← v + (1 − b2)(g² − v), in that
 * arithmetic order (the fused adamStep kernel matches it bit for bit). Adam, AdaMax and Nadam
 * share them.
 */
export function firstMoments(grads: readonly Tensor[], m: readonly Tensor[], beta1: number): Tensor[] {
  return grads.map((g, i) => {
    const mi = m[i] as Tensor;
    return add(mi, mul(sub(g, mi), 1 - beta1));
  });
}

export function secondMoments(grads: readonly Tensor[], v: readonly Tensor[], beta2: number): Tensor[] {
  return grads.map((g, i) => {
    const vi = v[i] as Tensor;
    return add(vi, mul(sub(mul(g, g), vi), 1 - beta2));
  });
}

export interface AdamOptions extends KerasOptimizerOptions {
  /** [0.001] a number or a schedule `(step) => lr`. */
  learningRate?: LearningRate;
  /** [0.9] */
  beta1?: number;
  /** [0.999] */
  beta2?: number;
  /** [1e-7] Keras's default (PyTorch: 1e-8). */
  epsilon?: number;
  /** [false] AMSGrad: divide by the running maximum of v instead of v. */
  amsgrad?: boolean;
}

const ADAM_OPTIONS: OptionKeys<AdamOptions> = { ...KERAS_OPTIMIZER_OPTIONS, learningRate: true, beta1: true, beta2: true, epsilon: true, amsgrad: true };

/** The moments per weight; `vHat` (AMSGrad's running maximum of v) is null without AMSGrad. */
export type AdamState = { readonly m: Tensor[]; readonly v: Tensor[]; readonly vHat: Tensor[] | null };

/** √(1 − b2^t)/(1 − b1^t) with t = step + 1: the bias corrections folded into one scalar. */
function adamCorrection(beta1: number, beta2: number, step: number): number {
  const t = step + 1;
  return Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
}

/**
 * The learning-rate-free part of Adam: emits √(1 − b2^t)/(1 − b1^t) · m/(√v + eps). With
 * AMSGrad, v̂ ← max(v̂, v) of the uncorrected v takes v's place (Keras 3; the bias correction
 * stays in the scalar).
 */
export function scaleByAdam(beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, amsgrad = false): Link<'adam', AdamState> {
  return {
    name: 'adam',
    init: (params) => ({
      m: params.map((p) => zeros(p.shape, p.dtype)),
      v: params.map((p) => zeros(p.shape, p.dtype)),
      vHat: amsgrad ? params.map((p) => zeros(p.shape, p.dtype)) : null,
    }),
    update(grads, state, _params, step) {
      const correction = adamCorrection(beta1, beta2, step);
      const m = firstMoments(grads, state.m, beta1);
      const v = secondMoments(grads, state.v, beta2);
      const vHat = state.vHat ? v.map((vi, i) => maximum(state.vHat?.[i] as Tensor, vi)) : null;
      const denom = vHat ?? v;
      const out = m.map((mi, i) => mul(div(mi, add(sqrt(denom[i] as Tensor), epsilon)), correction));
      return [out, { m, v, vHat }];
    },
  };
}

/** adam's state: `{adam: {m, v, vHat}, lr: null}` (plus the option links). */
export type AdamOptimizerState = KerasChainState<{ adam: Link<'adam', AdamState>; lr: Link<'lr', null> }>;

export function adam(options: AdamOptions = {}): RateOptimizer<AdamOptimizerState> {
  return adamFamily('adam', options, undefined);
}

/**
 * Adam and AdamW (Adam whose weightDecay defaults to `defaultWeightDecay`): one recipe, with
 * the fused step when no option link is added and AMSGrad is off.
 */
export function adamFamily(name: string, options: AdamOptions, defaultWeightDecay: number | undefined): RateOptimizer<AdamOptimizerState> {
  checkOptions(name, options, ADAM_OPTIONS);
  const learningRate = checkHyperparameter(name, 'learningRate', options.learningRate ?? 0.001, 'learningRate');
  const beta1 = checkHyperparameter(name, 'beta1', options.beta1 ?? 0.9, 'unitHalfOpen');
  const beta2 = checkHyperparameter(name, 'beta2', options.beta2 ?? 0.999, 'unitHalfOpen');
  const epsilon = checkHyperparameter(name, 'epsilon', options.epsilon ?? 1e-7, 'positive');
  const amsgrad = checkHyperparameter(name, 'amsgrad', options.amsgrad ?? false, 'boolean');
  let plain = false;
  const opt = optimizerWithRate(
    name,
    learningRate,
    (lr) => {
      const k = kerasOptionLinks(name, options, lr, defaultWeightDecay);
      plain = k.plain && !amsgrad;
      return chain({ ...k.clip, adam: scaleByAdam(beta1, beta2, epsilon, amsgrad), lr: scaleByLearningRate(lr), ...k.decay });
    },
    () => ({ beta1, beta2, epsilon, amsgrad, ...kerasOptionsConfig(options, defaultWeightDecay) }),
  );
  // Without clipping, decay or AMSGrad, a step is one fused kernel per weight
  // (ops/primitives_adam.ts): the chain's arithmetic to the bit, on the chain's own state.
  if (plain) {
    opt.applyStep = (grads, state, params, step, guard) => {
      if (grads.length !== params.length) {
        throw new ValueError(`optimizer: expected one gradient per trainable weight (${params.length}), received ${grads.length}`);
      }
      const s = state.adam;
      const c = { c1: 1 - beta1, c2: 1 - beta2, epsilon, correction: adamCorrection(beta1, beta2, step), alpha: -learningRateAt(opt.learningRate, step) };
      const m: Tensor[] = [];
      const v: Tensor[] = [];
      const cond = guard ? guardCondition(guard) : null;
      params.forEach((p, i) => {
        const [w1, m1, v1] = adamStep(p, grads[i] as Tensor, s.m[i] as Tensor, s.v[i] as Tensor, c);
        p.assign(cond ? where(cond, w1, p) : w1);
        w1.dispose();
        m.push(cond ? where(cond, m1, s.m[i] as Tensor) : m1);
        v.push(cond ? where(cond, v1, s.v[i] as Tensor) : v1);
      });
      return { ...state, adam: { m, v, vHat: null } };
    };
  }
  return opt;
}
