/**
 * Nadam, Keras 3 semantics (CONVENTIONS and keras/src/optimizers/nadam.py): the momentum
 * schedule mu_t = b1·(1 − 0.5·0.96^t) (PyTorch's NAdam uses 0.96^(0.004·t)); P_t, the
 * product mu_1·…·mu_t, is updated once per step and shared by all weights; m, v as Adam;
 * m̂ = mu_{t+1}·m/(1 − P_t·mu_{t+1}) + (1 − mu_t)·g/(1 − P_t); v̂ = v/(1 − b2^t);
 * w ← w − lr·m̂/(√v̂ + eps).
 */
import type { Tensor } from '../core/tensor.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { add, div, mul, sqrt } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { chain, learningRateAt, optimizerWithRate, scaleByLearningRate, type Link, type RateOptimizer } from './transform.js';
import type { Expr } from '../ops/fused.js';
import { FusedStep, fusedOptions, perWeight, stateList } from './fused_step.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionLinks, kerasOptionsConfig, type KerasChainState } from './keras_options.js';
import { firstMoment, firstMoments, secondMoment, secondMoments, type AdamOptions } from './adam.js';

export type NadamOptions = Omit<AdamOptions, 'amsgrad'>;

const NADAM_OPTIONS: OptionKeys<NadamOptions> = { ...KERAS_OPTIMIZER_OPTIONS, learningRate: true, beta1: true, beta2: true, epsilon: true };

/** The moments per weight and P_t, a host number (Keras's `u_product`, 1 before the first step). */
export type NadamState = { readonly m: Tensor[]; readonly v: Tensor[]; readonly uProduct: number };

/** mu_t = b1·(1 − 0.5·0.96^t). */
export const nadamMomentum = (beta1: number, t: number): number => beta1 * (1 - 0.5 * Math.pow(0.96, t));

/** The learning-rate-free part of Nadam: emits m̂/(√v̂ + eps). */
export function scaleByNadam(beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): Link<'nadam', NadamState> {
  return {
    name: 'nadam',
    init: (params) => ({ m: params.map((p) => zeros(p.shape, p.dtype)), v: params.map((p) => zeros(p.shape, p.dtype)), uProduct: 1 }),
    update(grads, state, _params, step) {
      const t = step + 1;
      const mu = nadamMomentum(beta1, t);
      const muNext = nadamMomentum(beta1, t + 1);
      const uProduct = state.uProduct * mu;
      const cM = muNext / (1 - uProduct * muNext);
      const cG = (1 - mu) / (1 - uProduct);
      const cV = 1 - Math.pow(beta2, t);
      const m = firstMoments(grads, state.m, beta1);
      const v = secondMoments(grads, state.v, beta2);
      const out = grads.map((g, i) => {
        const mHat = add(mul(m[i] as Tensor, cM), mul(g, cG));
        return div(mHat, add(sqrt(div(v[i] as Tensor, cV)), epsilon));
      });
      return [out, { m, v, uProduct }];
    },
  };
}

/** nadam's state: `{nadam: {m, v, uProduct}, lr: null}` (plus the option links). */
export type NadamOptimizerState = KerasChainState<{ nadam: Link<'nadam', NadamState>; lr: Link<'lr', null> }>;

export function nadam(options: NadamOptions = {}): RateOptimizer<NadamOptimizerState> {
  checkOptions('nadam', options, NADAM_OPTIONS);
  const learningRate = checkHyperparameter('nadam', 'learningRate', options.learningRate ?? 0.001, 'learningRate');
  const beta1 = checkHyperparameter('nadam', 'beta1', options.beta1 ?? 0.9, 'unitHalfOpen');
  const beta2 = checkHyperparameter('nadam', 'beta2', options.beta2 ?? 0.999, 'unitHalfOpen');
  const epsilon = checkHyperparameter('nadam', 'epsilon', options.epsilon ?? 1e-7, 'positive');
  const opt = optimizerWithRate(
    'nadam',
    learningRate,
    (lr) => {
      const k = kerasOptionLinks('nadam', options, lr);
      return chain({ ...k.clip, nadam: scaleByNadam(beta1, beta2, epsilon), lr: scaleByLearningRate(lr), ...k.decay });
    },
    () => ({ beta1, beta2, epsilon, ...kerasOptionsConfig(options) }),
  );
  // One fused kernel per weight (fused_step.ts): scaleByNadam and the rate's arithmetic. P_t
  // is a host number: it advances even on a step the guard skips. Its values are a function of
  // the live step, so the step is captured: the function advances the P_t of the state object
  // it belongs to, which a captured step's replays (capture/host.ts: the values are computed in
  // an onHost callback) keep advancing, so the state read after a replay holds the live P_t.
  const fit = fusedOptions(options, (step) => learningRateAt(opt.learningRate, step));
  if (fit) {
    const rule = new FusedStep({
      name: 'nadam',
      stateCount: 2,
      paramCount: 7,
      rule: (e, g, _w, [m0, v0], [c1, c2, cM, cG, cV, eps, alpha]) => {
        const m = firstMoment(e, g, m0 as Expr, c1 as Expr);
        const v = secondMoment(e, g, v0 as Expr, c2 as Expr);
        const mHat = e.add(e.mul(m, cM as Expr), e.mul(g, cG as Expr));
        return { update: e.mul(e.div(mHat, e.add(e.sqrt(e.div(v, cV as Expr)), eps as Expr)), alpha as Expr), state: [m, v] };
      },
    });
    opt.applyStep = (grads, state, params, step, guard) => {
      const s = state.nadam;
      const next: { m: Tensor[]; v: Tensor[]; uProduct: number } = { m: [], v: [], uProduct: s.uProduct };
      const values = (live: number): number[] => {
        const t = live + 1;
        const mu = nadamMomentum(beta1, t);
        const muNext = nadamMomentum(beta1, t + 1);
        const uProduct = next.uProduct * mu;
        next.uProduct = uProduct;
        return [1 - beta1, 1 - beta2, muNext / (1 - uProduct * muNext), (1 - mu) / (1 - uProduct), 1 - Math.pow(beta2, t), epsilon, -learningRateAt(opt.learningRate, live)];
      };
      const out = rule.apply(grads, params, perWeight([s.m, s.v], params.length), values, step, fit.decay, guard);
      next.m = stateList(out, 0);
      next.v = stateList(out, 1);
      return { ...state, nadam: next };
    };
  }
  return opt;
}
