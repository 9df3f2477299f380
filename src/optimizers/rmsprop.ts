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
import { chain, learningRateAt, optimizerWithRate, scaleByLearningRate, type LearningRate, type Link, type RateOptimizer } from './transform.js';
import type { Expr } from '../ops/fused.js';
import { FusedStep, fusedOptions, perWeight, stateList } from './fused_step.js';
import { checkHyperparameter } from './hyperparameters.js';
import { flushTiny, flushTinyExpr } from './flush.js';
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
      const v = grads.map((g, i) => flushTiny(add(mul(state.v[i] as Tensor, rho), mul(mul(g, g), 1 - rho))));
      const meanGrad = state.meanGrad ? grads.map((g, i) => flushTiny(add(mul(state.meanGrad?.[i] as Tensor, rho), mul(g, 1 - rho)))) : null;
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
  const opt = optimizerWithRate(
    'rmsprop',
    learningRate,
    (lr) => {
      const k = kerasOptionLinks('rmsprop', options, lr);
      // −lr·g/√(…) is −inc; Keras's momentum on inc is traceKeras on −inc (velocity = −mom).
      return chain({ ...k.clip, rmsprop: scaleByRms(rho, epsilon, centered), lr: scaleByLearningRate(lr), ...(momentum > 0 ? { momentum: traceKeras(momentum, false) } : {}), ...k.decay });
    },
    () => ({ rho, momentum, epsilon, centered, ...kerasOptionsConfig(options) }),
  );
  // One fused kernel per weight (fused_step.ts): scaleByRms, the rate and the momentum link's arithmetic.
  const fit = fusedOptions(options, (step) => learningRateAt(opt.learningRate, step));
  if (fit) {
    const hasMomentum = momentum > 0;
    const rule = new FusedStep({
      name: 'rmsprop',
      stateCount: 1 + (centered ? 1 : 0) + (hasMomentum ? 1 : 0),
      paramCount: 5,
      rule: (e, g, _w, s, [r, r1, eps, alpha, mom]) => {
        const [v0, mg0, vel0] = centered ? s : [s[0], null, s[1]];
        const v = flushTinyExpr(e, e.add(e.mul(v0 as Expr, r as Expr), e.mul(e.mul(g, g), r1 as Expr)));
        const mg = mg0 ? flushTinyExpr(e, e.add(e.mul(mg0, r as Expr), e.mul(g, r1 as Expr))) : null;
        const denom = mg ? e.add(e.sub(v, e.mul(mg, mg)), eps as Expr) : e.add(v, eps as Expr);
        const u = e.mul(e.div(g, e.sqrt(denom)), alpha as Expr);
        const vel = hasMomentum ? flushTinyExpr(e, e.add(e.mul(vel0 as Expr, mom as Expr), u)) : null;
        return { update: vel ?? u, state: [v, ...(mg ? [mg] : []), ...(vel ? [vel] : [])] };
      },
    });
    opt.applyStep = (grads, state, params, step, guard) => {
      const s = state.rmsprop;
      const lists = [s.v, ...(s.meanGrad ? [s.meanGrad] : []), ...(state.momentum ? [state.momentum] : [])];
      const next = rule.apply(grads, params, perWeight(lists, params.length), (t) => [rho, 1 - rho, epsilon, -learningRateAt(opt.learningRate, t), momentum], step, fit.decay, guard);
      const meanGrad = s.meanGrad ? stateList(next, 1) : null;
      const rms = { v: stateList(next, 0), meanGrad };
      return state.momentum ? { ...state, rmsprop: rms, momentum: stateList(next, lists.length - 1) } : { ...state, rmsprop: rms };
    };
  }
  return opt;
}
