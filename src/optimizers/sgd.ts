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
import type { Tensor } from '../core/tensor.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Expr } from '../ops/fused.js';
import { FusedStep, fusedOptions, perWeight, stateList } from './fused_step.js';
import { add, mul } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { chain, learningRateAt, optimizerWithRate, scaleByLearningRate, type LearningRate, type Link, type RateOptimizer, type Schedule } from './transform.js';
import { rateConfig } from './rate_config.js';
import { checkHyperparameter } from './hyperparameters.js';
import { flushTiny, flushTinyExpr } from './flush.js';
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
      const v = updates.map((u, i) => flushTiny(add(mul(velocity[i] as Tensor, m), u)));
      const out = nesterov ? v.map((vi, i) => add(mul(vi, m), updates[i] as Tensor)) : v;
      return [out, v];
    },
  };
}

/** sgd's state: `{lr: null}`, with momentum `{lr: null, momentum: [velocity per weight]}` (plus the option links). */
export type SgdState = KerasChainState<{ lr: Link<'lr', null>; momentum?: Link<'momentum', Tensor[]> }>;

/** The chain's arithmetic per weight: u = g·(−lr); with momentum v = vel·m + u, emitting v or v·m + u (Nesterov). */
function sgdRule(momentum: boolean, nesterov: boolean): FusedStep {
  return new FusedStep({
    name: 'sgd',
    stateCount: momentum ? 1 : 0,
    paramCount: momentum ? 2 : 1,
    rule: (e, g, _w, [vel], [alpha, mom]) => {
      const u = e.mul(g, alpha as Expr);
      if (!momentum) return { update: u, state: [] };
      const v = flushTinyExpr(e, e.add(e.mul(vel as Expr, mom as Expr), u));
      return { update: nesterov ? e.add(e.mul(v, mom as Expr), u) : v, state: [v] };
    },
  });
}

export function sgd(options: SgdOptions = {}): RateOptimizer<SgdState> {
  checkOptions('sgd', options, SGD_OPTIONS);
  const learningRate = checkHyperparameter('sgd', 'learningRate', options.learningRate ?? 0.01, 'learningRate');
  const momentum: Momentum = typeof options.momentum === 'function' ? options.momentum : checkHyperparameter('sgd', 'momentum', options.momentum ?? 0, 'unitClosed');
  // A schedule may give 0 at some steps, but it has a velocity to carry: the momentum link stays.
  const hasMomentum = typeof momentum === 'function' || momentum > 0;
  const nesterov = checkHyperparameter('sgd', 'nesterov', options.nesterov ?? false, 'boolean');
  const opt = optimizerWithRate(
    'sgd',
    learningRate,
    (lr) => {
      const k = kerasOptionLinks('sgd', options, lr);
      return chain({ ...k.clip, lr: scaleByLearningRate(lr), ...(hasMomentum ? { momentum: traceKeras(momentum, nesterov) } : {}), ...k.decay });
    },
    () => ({ momentum: rateConfig(momentum), nesterov, ...kerasOptionsConfig(options) }),
  );
  // One fused kernel per weight (fused_step.ts): the chain's arithmetic to the bit.
  const fit = fusedOptions(options, (step) => learningRateAt(opt.learningRate, step));
  if (fit) {
    const rule = sgdRule(hasMomentum, nesterov);
    opt.applyStep = (grads, state, params, step, guard) => {
      const vel = state.momentum;
      // The params as a function of the step: a captured step recomputes them at each replay.
      const values = (s: number): number[] => (vel ? [-learningRateAt(opt.learningRate, s), momentumAt(momentum, s)] : [-learningRateAt(opt.learningRate, s)]);
      const next = rule.apply(grads, params, vel ? perWeight([vel], params.length) : params.map(() => []), values, step, fit.decay, guard);
      return vel ? { ...state, momentum: stateList(next, 0) } : state;
    };
  }
  return opt;
}
