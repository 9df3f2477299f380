/**
 * AdaGrad, Keras 3 semantics (CONVENTIONS): a ← a + g², starting from
 * initialAccumulatorValue (0.1); w ← w − lr·g/√(a + eps), eps 1e-7 *inside* the root.
 * (PyTorch starts the accumulator at 0 and adds its 1e-10 outside the root.)
 */
import type { Tensor } from '../core/tensor.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { add, div, mul, sqrt } from '../ops/elementwise.js';
import { fill } from '../ops/primitives.js';
import { chain, learningRateAt, optimizerWithRate, scaleByLearningRate, type LearningRate, type Link, type RateOptimizer } from './transform.js';
import type { Expr } from '../ops/fused.js';
import { FusedStep, fusedOptions, perWeight, stateList } from './fused_step.js';
import { checkHyperparameter } from './hyperparameters.js';
import { KERAS_OPTIMIZER_OPTIONS, kerasOptionLinks, kerasOptionsConfig, type KerasChainState, type KerasOptimizerOptions } from './keras_options.js';

export interface AdagradOptions extends KerasOptimizerOptions {
  /** [0.001] a number or a schedule `(step) => lr`. */
  learningRate?: LearningRate;
  /** [0.1] where the accumulators start; ≥ 0 (PyTorch: 0). */
  initialAccumulatorValue?: number;
  /** [1e-7] added to the accumulator inside the square root. */
  epsilon?: number;
}

const ADAGRAD_OPTIONS: OptionKeys<AdagradOptions> = { ...KERAS_OPTIMIZER_OPTIONS, learningRate: true, initialAccumulatorValue: true, epsilon: true };

/** The learning-rate-free part of AdaGrad: a ← a + g², emits g/√(a + eps); the state is a per weight. */
export function scaleByAdagrad(initialAccumulatorValue = 0.1, epsilon = 1e-7): Link<'adagrad', Tensor[]> {
  return {
    name: 'adagrad',
    init: (params) => params.map((p) => fill(p.shape, initialAccumulatorValue, p.dtype)),
    update(grads, acc) {
      const a = grads.map((g, i) => add(acc[i] as Tensor, mul(g, g)));
      return [grads.map((g, i) => div(g, sqrt(add(a[i] as Tensor, epsilon)))), a];
    },
  };
}

/** adagrad's state: `{adagrad: [accumulator per weight], lr: null}` (plus the option links). */
export type AdagradState = KerasChainState<{ adagrad: Link<'adagrad', Tensor[]>; lr: Link<'lr', null> }>;

export function adagrad(options: AdagradOptions = {}): RateOptimizer<AdagradState> {
  checkOptions('adagrad', options, ADAGRAD_OPTIONS);
  const learningRate = checkHyperparameter('adagrad', 'learningRate', options.learningRate ?? 0.001, 'learningRate');
  const initialAccumulatorValue = checkHyperparameter('adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1, 'nonNegative');
  const epsilon = checkHyperparameter('adagrad', 'epsilon', options.epsilon ?? 1e-7, 'positive');
  const opt = optimizerWithRate(
    'adagrad',
    learningRate,
    (lr) => {
      const k = kerasOptionLinks('adagrad', options, lr);
      return chain({ ...k.clip, adagrad: scaleByAdagrad(initialAccumulatorValue, epsilon), lr: scaleByLearningRate(lr), ...k.decay });
    },
    () => ({ initialAccumulatorValue, epsilon, ...kerasOptionsConfig(options) }),
  );
  // One fused kernel per weight (fused_step.ts): scaleByAdagrad and the rate's arithmetic.
  const fit = fusedOptions(options, (step) => learningRateAt(opt.learningRate, step));
  if (fit) {
    const rule = new FusedStep({
      name: 'adagrad',
      stateCount: 1,
      paramCount: 2,
      rule: (e, g, _w, [acc], [eps, alpha]) => {
        const a = e.add(acc as Expr, e.mul(g, g));
        return { update: e.mul(e.div(g, e.sqrt(e.add(a, eps as Expr))), alpha as Expr), state: [a] };
      },
    });
    opt.applyStep = (grads, state, params, step, guard) => {
      const next = rule.apply(grads, params, perWeight([state.adagrad], params.length), (s) => [epsilon, -learningRateAt(opt.learningRate, s)], step, fit.decay, guard);
      return { ...state, adagrad: stateList(next, 0) };
    };
  }
  return opt;
}
