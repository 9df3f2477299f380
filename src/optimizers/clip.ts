/**
 * Gradient clipping links (CONVENTIONS, step 2 of an update, before weight decay and the
 * optimizer's own rule). Keras's `clipnorm`, `globalClipnorm` and `clipvalue` map onto these,
 * and each link is named after its option (the key of its state in a chain).
 */
import { checkHyperparameter } from './hyperparameters.js';
import type { Tensor } from '../core/tensor.js';
import { add, clip, maximum, mul, div, sqrt } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import type { Link } from './transform.js';

function checkPositive(op: string, c: number): void {
  checkHyperparameter(op, 'c', c, 'positive');
}

const l2Norm = (g: Tensor): Tensor => sqrt(sum(mul(g, g)));

/** Per tensor: g·c/max(‖g‖, c), so a gradient longer than c is scaled down to length c. */
export function clipByNorm(c: number): Link<'clipnorm', null> {
  checkPositive('clipByNorm', c);
  return {
    name: 'clipnorm',
    init: () => null,
    update: (grads, state) => [grads.map((g) => div(mul(g, c), maximum(l2Norm(g), c))), state],
  };
}

/** Over all tensors: g·c/max(N, c) with N the norm of all gradients together. */
export function clipByGlobalNorm(c: number): Link<'globalClipnorm', null> {
  checkPositive('clipByGlobalNorm', c);
  return {
    name: 'globalClipnorm',
    init: () => null,
    update(grads, state) {
      if (grads.length === 0) return [[], state];
      const sq = grads.map((g) => sum(mul(g, g)));
      const n = sqrt(sq.slice(1).reduce((a, b) => add(a, b), sq[0] as Tensor));
      const scale = div(c, maximum(n, c));
      return [grads.map((g) => mul(g, scale)), state];
    },
  };
}

/** Elementwise to [−c, c]. */
export function clipByValue(c: number): Link<'clipvalue', null> {
  checkPositive('clipByValue', c);
  return { name: 'clipvalue', init: () => null, update: (grads, state) => [grads.map((g) => clip(g, -c, c)), state] };
}
