/**
 * AdaMax, Keras 3 semantics (CONVENTIONS): m ← m + (1 − b1)(g − m); u ← max(b2·u, |g|);
 * w ← w − lr·m/((1 − b1^t)·(u + eps)), t = step + 1. Epsilon is added to u after the max
 * (PyTorch adds its eps inside the max, max(b2·u, |g| + eps), with eps 1e-8).
 */
import type { Tensor } from '../core/tensor.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { abs, add, div, maximum, mul } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { chain, learningRateAt, optimizerWithRate, scaleByLearningRate, type Link, type RateOptimizer } from './transform.js';
import type { Expr } from '../ops/fused.js';
import { FusedStep, fusedOptions, perWeight, stateList } from './fused_step.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionLinks, kerasOptionsConfig, type KerasChainState } from './keras_options.js';
import { firstMoment, firstMoments, type AdamOptions } from './adam.js';

export type AdamaxOptions = Omit<AdamOptions, 'amsgrad'>;

const ADAMAX_OPTIONS: OptionKeys<AdamaxOptions> = { ...KERAS_OPTIMIZER_OPTIONS, learningRate: true, beta1: true, beta2: true, epsilon: true };

/** The first moment and the exponentially weighted infinity norm, per weight. */
export type AdamaxState = { readonly m: Tensor[]; readonly u: Tensor[] };

/** The learning-rate-free part of AdaMax: emits m/((1 − b1^t)·(u + eps)). */
export function scaleByAdamax(beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): Link<'adamax', AdamaxState> {
  return {
    name: 'adamax',
    init: (params) => ({ m: params.map((p) => zeros(p.shape, p.dtype)), u: params.map((p) => zeros(p.shape, p.dtype)) }),
    update(grads, state, _params, step) {
      const correction = 1 - Math.pow(beta1, step + 1);
      const m = firstMoments(grads, state.m, beta1);
      const u = grads.map((g, i) => maximum(mul(state.u[i] as Tensor, beta2), abs(g)));
      return [m.map((mi, i) => div(mi, mul(add(u[i] as Tensor, epsilon), correction))), { m, u }];
    },
  };
}

/** adamax's state: `{adamax: {m, u}, lr: null}` (plus the option links). */
export type AdamaxOptimizerState = KerasChainState<{ adamax: Link<'adamax', AdamaxState>; lr: Link<'lr', null> }>;

export function adamax(options: AdamaxOptions = {}): RateOptimizer<AdamaxOptimizerState> {
  checkOptions('adamax', options, ADAMAX_OPTIONS);
  const learningRate = checkHyperparameter('adamax', 'learningRate', options.learningRate ?? 0.001, 'learningRate');
  const beta1 = checkHyperparameter('adamax', 'beta1', options.beta1 ?? 0.9, 'unitHalfOpen');
  const beta2 = checkHyperparameter('adamax', 'beta2', options.beta2 ?? 0.999, 'unitHalfOpen');
  const epsilon = checkHyperparameter('adamax', 'epsilon', options.epsilon ?? 1e-7, 'positive');
  const opt = optimizerWithRate(
    'adamax',
    learningRate,
    (lr) => {
      const k = kerasOptionLinks('adamax', options, lr);
      return chain({ ...k.clip, adamax: scaleByAdamax(beta1, beta2, epsilon), lr: scaleByLearningRate(lr), ...k.decay });
    },
    () => ({ beta1, beta2, epsilon, ...kerasOptionsConfig(options) }),
  );
  // One fused kernel per weight (fused_step.ts): scaleByAdamax and the rate's arithmetic.
  const fit = fusedOptions(options, (step) => learningRateAt(opt.learningRate, step));
  if (fit) {
    const rule = new FusedStep({
      name: 'adamax',
      stateCount: 2,
      paramCount: 5,
      rule: (e, g, _w, [m0, u0], [c1, b2, eps, corr, alpha]) => {
        const m = firstMoment(e, g, m0 as Expr, c1 as Expr);
        const u = e.maximum(e.mul(u0 as Expr, b2 as Expr), e.abs(g));
        return { update: e.mul(e.div(m, e.mul(e.add(u, eps as Expr), corr as Expr)), alpha as Expr), state: [m, u] };
      },
    });
    opt.applyStep = (grads, state, params, step, guard) => {
      const s = state.adamax;
      const values = (s: number): number[] => [1 - beta1, beta2, epsilon, 1 - Math.pow(beta1, s + 1), -learningRateAt(opt.learningRate, s)];
      const next = rule.apply(grads, params, perWeight([s.m, s.u], params.length), values, step, fit.decay, guard);
      return { ...state, adamax: { m: stateList(next, 0), u: stateList(next, 1) } };
    };
  }
  return opt;
}
