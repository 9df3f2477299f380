/**
 * SGD, Keras 3 semantics (CONVENTIONS): without momentum w ← w − lr·g; with momentum
 * v ← m·v − lr·g, w ← w + v; Nesterov w ← w + m·v − lr·g (v the new velocity). The learning
 * rate is folded into the velocity, so a schedule that changes lr affects only new gradients
 * (PyTorch's buffer holds raw gradients and rescales the whole velocity instead).
 *
 * `momentum` may be a schedule too, `(step) => m` (Keras has none; 1cycle cycles the momentum
 * against the rate, `sgd({learningRate: oneCycle(c), momentum: oneCycleMomentum(c)})`): step t
 * uses m_t in both formulas, v_t = m_t·v_{t−1} − lr_t·g_t.
 */
import type { Tensor, Variable } from '../core/tensor.js';
import { scope } from '../core/engine.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { scaledAdd } from '../ops/primitives_fused.js';
import { add, mul } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { where } from '../ops/primitives.js';
import { chain, guardCondition, learningRateAt, optimizerWithRate, scaleByLearningRate, type LearningRate, type Link, type Optimizer, type RateOptimizer, type Schedule } from './transform.js';
import { rateConfig } from './rate_config.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionLinks, kerasOptionsConfig, type KerasChainState, type KerasOptimizerOptions } from './keras_options.js';

export interface SgdOptions extends KerasOptimizerOptions {
  /** [0.01] a number or a schedule `(step) => lr`. */
  learningRate?: LearningRate;
  /** [0] in [0, 1], or a schedule `(step) => m` giving a value in [0, 1] at each step. */
  momentum?: Momentum;
  /** [false] */
  nesterov?: boolean;
}

/** A momentum: a number, or a schedule of the step (hb.schedules.oneCycleMomentum). */
export type Momentum = number | Schedule;

/** The momentum step `step` uses, checked: a schedule must give a number in [0, 1]. */
export function momentumAt(momentum: Momentum, step: number): number {
  if (typeof momentum === 'number') return momentum;
  const m = momentum(step);
  if (typeof m !== 'number' || !(m >= 0 && m <= 1)) throw new ValueError(`momentum: expected a number in [0, 1] at step ${step}, received ${fmtReceived(m)}`);
  return m;
}

const SGD_OPTIONS: OptionKeys<SgdOptions> = { ...KERAS_OPTIMIZER_OPTIONS, learningRate: true, momentum: true, nesterov: true };

/**
 * Keras's momentum on already-scaled updates u = −lr·g: v ← m·v + u, emits v (or m·v + u with
 * Nesterov). Placed after `scaleByLearningRate`, it reproduces Keras's formulas exactly (SGD's
 * and RMSProp's momentum alike).
 */
export function traceKeras(momentum: Momentum, nesterov: boolean): Link<'momentum', Tensor[]> {
  return {
    name: 'momentum',
    init: (params) => params.map((p) => zeros(p.shape, p.dtype)),
    update(updates, velocity, _params, step) {
      const m = momentumAt(momentum, step);
      const v = updates.map((u, i) => add(mul(velocity[i] as Tensor, m), u));
      const out = nesterov ? v.map((vi, i) => add(mul(vi, m), updates[i] as Tensor)) : v;
      return [out, v];
    },
  };
}

/** sgd's state: `{lr: null}`, with momentum `{lr: null, momentum: [velocity per weight]}` (plus the option links). */
export type SgdState = KerasChainState<{ lr: Link<'lr', null>; momentum?: Link<'momentum', Tensor[]> }>;

export function sgd(options: SgdOptions = {}): RateOptimizer<SgdState> {
  checkOptions('sgd', options, SGD_OPTIONS);
  const learningRate = checkHyperparameter('sgd', 'learningRate', options.learningRate ?? 0.01, 'learningRate');
  const momentum: Momentum = typeof options.momentum === 'function' ? options.momentum : checkHyperparameter('sgd', 'momentum', options.momentum ?? 0, 'unitClosed');
  // A schedule may give 0 at some steps, but it has a velocity to carry: the momentum link stays.
  const hasMomentum = typeof momentum === 'function' || momentum > 0;
  const nesterov = checkHyperparameter('sgd', 'nesterov', options.nesterov ?? false, 'boolean');
  let plain = false;
  const opt = optimizerWithRate(
    'sgd',
    learningRate,
    (lr) => {
      const k = kerasOptionLinks('sgd', options, lr);
      plain = k.plain && !hasMomentum;
      return chain({ ...k.clip, lr: scaleByLearningRate(lr), ...(hasMomentum ? { momentum: traceKeras(momentum, nesterov) } : {}), ...k.decay });
    },
    () => ({ momentum: rateConfig(momentum), nesterov, ...kerasOptionsConfig(options) }),
  );
  // w ← w − lr·g alone (no momentum, clipping or decay) needs no state and no intermediate
  // tensor: one fused pass per weight (scaledAdd), the chain's arithmetic to the bit.
  if (plain) opt.applyStep = (grads, state, params, step, guard) => (plainSgdStep(opt, grads, params, step, guard), state);
  return opt;
}

/**
 * w ← w + (−lr)·g for each parameter, exactly what the chain (scaleByLearningRate, then
 * applyUpdates) computes — same roundings — in one pass per weight (scaledAdd).
 */
export function plainSgdStep(opt: Optimizer, grads: readonly Tensor[], params: readonly Variable[], step: number, guard: Tensor | null = null): void {
  if (grads.length !== params.length) {
    throw new ValueError(`optimizer: expected one gradient per trainable weight (${params.length}), received ${grads.length}`);
  }
  const lr = learningRateAt(opt.learningRate ?? 0.01, step);
  const cond = guard ? guardCondition(guard) : null;
  params.forEach((p, i) => scope(() => {
    const w = scaledAdd(p, -lr, grads[i] as Tensor);
    p.assign(cond ? where(cond, w, p) : w);
  }));
}
