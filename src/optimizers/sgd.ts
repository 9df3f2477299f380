/**
 * SGD, Keras 3 semantics (CONVENTIONS): without momentum w ← w − lr·g; with momentum
 * v ← m·v − lr·g, w ← w + v; Nesterov w ← w + m·v − lr·g (v the new velocity). The learning
 * rate is folded into the velocity, so a schedule that changes lr affects only new gradients
 * (PyTorch's buffer holds raw gradients and rescales the whole velocity instead).
 */
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { add, mul } from '../ops/elementwise.js';
import { zeros } from '../ops/creation.js';
import { chain, optimizerWithRate, scaleByLearningRate, type GradientTransformation, type LearningRate, type Optimizer } from './transform.js';
import { kerasOptionsConfig, withKerasOptions, type KerasOptimizerOptions } from './keras_options.js';

export interface SgdOptions extends KerasOptimizerOptions {
  /** [0.01] a number or a schedule `(step) => lr`. */
  learningRate?: LearningRate;
  /** [0] in [0, 1]. */
  momentum?: number;
  /** [false] */
  nesterov?: boolean;
}

/**
 * Keras's momentum on already-scaled updates u = −lr·g: v ← m·v + u, emits v (or m·v + u with
 * Nesterov). Placed after `scaleByLearningRate`, it reproduces Keras's formulas exactly.
 */
export function traceKeras(momentum: number, nesterov: boolean): GradientTransformation<Tensor[]> {
  return {
    init: (params) => params.map((p) => zeros(p.shape, p.dtype)),
    update(updates, velocity) {
      const v = updates.map((u, i) => add(mul(velocity[i] as Tensor, momentum), u));
      const out = nesterov ? v.map((vi, i) => add(mul(vi, momentum), updates[i] as Tensor)) : v;
      return [out, v];
    },
  };
}

export function sgd(options: SgdOptions = {}): Optimizer<readonly unknown[]> {
  const learningRate = options.learningRate ?? 0.01;
  const momentum = options.momentum ?? 0;
  const nesterov = options.nesterov ?? false;
  if (!(momentum >= 0 && momentum <= 1)) throw new ValueError(`sgd: momentum must be in [0, 1], received ${momentum}`);
  if (typeof learningRate === 'number' && !(learningRate >= 0)) {
    throw new ValueError(`sgd: learningRate must be a non-negative number or a schedule, received ${learningRate}`);
  }
  return optimizerWithRate(
    'sgd',
    learningRate,
    (lr) => {
      const links: GradientTransformation<unknown>[] = [scaleByLearningRate(lr)];
      if (momentum > 0) links.push(traceKeras(momentum, nesterov));
      return withKerasOptions('sgd', chain(...links), lr, options);
    },
    () => ({ momentum, nesterov, ...kerasOptionsConfig(options) }),
  );
}
