/**
 * Adam, Keras 3 semantics (CONVENTIONS): m ← m + (1 − b1)(g − m); v ← v + (1 − b2)(g² − v);
 * alpha = lr·√(1 − b2^t)/(1 − b1^t); w ← w − alpha·m/(√v + eps), t = step + 1.
 * Epsilon is added to √v of the *uncorrected* v (PyTorch adds its 1e-8 to √ of the corrected
 * v̂), which is why the bias correction can be folded into one scalar alpha.
 */
import type { Tensor } from '../core/tensor.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { add, div, maximum, mul, sqrt, sub } from '../ops/elementwise.js';
import { flushTiny, flushTinyExpr } from './flush.js';
import { zeros } from '../ops/creation.js';
import type { Expr, FusedBuilder } from '../ops/fused.js';
import { FusedStep, fusedOptions, perWeight, stateList } from './fused_step.js';
import { chain, learningRateAt, optimizerWithRate, scaleByLearningRate, type LearningRate, type Link, type RateOptimizer } from './transform.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionLinks, kerasOptionsConfig, type KerasChainState, type KerasOptimizerOptions } from './keras_options.js';

/**
 * Keras's moment updates, m ← m + (1 − b1)(g − m) (flushed to 0 below 2^-126: flush.ts says why) and
 * v ← v + (1 − b2)(g² − v), in that arithmetic order (firstMoment and secondMoment below write
 * the same for the fused step). Adam, AdaMax and Nadam share them.
 */
export function firstMoments(grads: readonly Tensor[], m: readonly Tensor[], beta1: number): Tensor[] {
  return grads.map((g, i) => {
    const mi = m[i] as Tensor;
    return flushTiny(add(mi, mul(sub(g, mi), 1 - beta1)));
  });
}

export function secondMoments(grads: readonly Tensor[], v: readonly Tensor[], beta2: number): Tensor[] {
  return grads.map((g, i) => {
    const vi = v[i] as Tensor;
    return add(vi, mul(sub(mul(g, g), vi), 1 - beta2));
  });
}

/** Keras's moment updates as expressions (the same arithmetic as firstMoments and secondMoments). */
export const firstMoment = (e: FusedBuilder, g: Expr, m: Expr, c1: Expr): Expr => flushTinyExpr(e, e.add(m, e.mul(e.sub(g, m), c1)));
export const secondMoment = (e: FusedBuilder, g: Expr, v: Expr, c2: Expr): Expr => e.add(v, e.mul(e.sub(e.mul(g, g), v), c2));

/** scaleByAdam then scaleByLearningRate, per weight; params [1 − b1, 1 − b2, eps, correction, −lr]. */
function adamRule(amsgrad: boolean): FusedStep {
  return new FusedStep({
    name: 'adam',
    stateCount: amsgrad ? 3 : 2,
    paramCount: 5,
    rule: (e, g, _w, [m, v, vHat], [c1, c2, eps, corr, alpha]) => {
      const m1 = firstMoment(e, g, m as Expr, c1 as Expr);
      const v1 = secondMoment(e, g, v as Expr, c2 as Expr);
      const vHat1 = amsgrad ? e.maximum(vHat as Expr, v1) : null;
      const u = e.mul(e.div(m1, e.add(e.sqrt(vHat1 ?? v1), eps as Expr)), corr as Expr);
      return { update: e.mul(u, alpha as Expr), state: vHat1 ? [m1, v1, vHat1] : [m1, v1] };
    },
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
 * the fused step unless a gradient clipping link is added.
 */
export function adamFamily(name: string, options: AdamOptions, defaultWeightDecay: number | undefined): RateOptimizer<AdamOptimizerState> {
  checkOptions(name, options, ADAM_OPTIONS);
  const learningRate = checkHyperparameter(name, 'learningRate', options.learningRate ?? 0.001, 'learningRate');
  const beta1 = checkHyperparameter(name, 'beta1', options.beta1 ?? 0.9, 'unitHalfOpen');
  const beta2 = checkHyperparameter(name, 'beta2', options.beta2 ?? 0.999, 'unitHalfOpen');
  const epsilon = checkHyperparameter(name, 'epsilon', options.epsilon ?? 1e-7, 'positive');
  const amsgrad = checkHyperparameter(name, 'amsgrad', options.amsgrad ?? false, 'boolean');
  const opt = optimizerWithRate(
    name,
    learningRate,
    (lr) => {
      const k = kerasOptionLinks(name, options, lr, defaultWeightDecay);
      return chain({ ...k.clip, adam: scaleByAdam(beta1, beta2, epsilon, amsgrad), lr: scaleByLearningRate(lr), ...k.decay });
    },
    () => ({ beta1, beta2, epsilon, amsgrad, ...kerasOptionsConfig(options, defaultWeightDecay) }),
  );
  // One fused kernel per weight (fused_step.ts), on the chain's own state, to the bit.
  const fit = fusedOptions(options, (step) => learningRateAt(opt.learningRate, step), defaultWeightDecay);
  if (fit) {
    const rule = adamRule(amsgrad);
    opt.applyStep = (grads, state, params, step, guard) => {
      const s = state.adam;
      const values = (t: number): number[] => [1 - beta1, 1 - beta2, epsilon, adamCorrection(beta1, beta2, t), -learningRateAt(opt.learningRate, t)];
      const next = rule.apply(grads, params, perWeight(s.vHat ? [s.m, s.v, s.vHat] : [s.m, s.v], params.length), values, step, fit.decay, guard);
      return { ...state, adam: { m: stateList(next, 0), v: stateList(next, 1), vHat: s.vHat ? stateList(next, 2) : null } };
    };
  }
  return opt;
}
