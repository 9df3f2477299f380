/**
 * Neural-network ops composed from primitives.
 */
import type { Tensor } from '../core/tensor.js';
import { axesArg, checkFloat, checkNumeric, checkRank, tensorArg } from './args.js';
import { abs, div, exp, less, lessEqual, log, sub } from './elementwise.js';
import { where } from './primitives.js';
import { stopGradient } from './primitives_movement.js';
import { max, sum, type Axis } from './reduce.js';
import { softmaxLast } from './primitives_softmax.js';
import { copy } from './primitives_movement.js';

/**
 * max(x, 0) written as where(x <= 0, 0, x) rather than maximum(x, 0): maximum's rule sends the
 * gradient to its first argument at ties, which would give relu'(0) = 1; Keras's is 0. The
 * test is x <= 0 rather than x > 0 so that NaN (for which both are false) passes through as
 * NaN instead of being silently turned into 0, as in TensorFlow and PyTorch.
 */
export function relu(x: Tensor): Tensor {
  const t = checkNumeric('relu', 'x', tensorArg('relu', 'x', x));
  return where(lessEqual(t, 0), 0, t);
}

/**
 * x - max(x) along `axis`, the max held constant for the gradient (its contributions cancel
 * exactly in softmax and logSoftmax). The subtraction is exact for the entries that matter
 * (those near the max), so the results keep full relative precision at logits of +-1000; an
 * infinite max is replaced by 0 so that inf - inf never makes a NaN.
 */
function shiftByMax(x: Tensor, axis: readonly number[]): Tensor {
  const mx = stopGradient(max(x, axis, true));
  return sub(x, where(less(abs(mx), Infinity), mx, 0));
}

/**
 * log(softmax(x)) = z - log(sum(exp(z))) with z = x - max(x): finite at logits of +-1000.
 * Written on z rather than as x - logSumExp(x), because logSumExp(x) = max + log(sum) rounds at
 * the magnitude of the logits (an ulp of 1000 is 6e-5 in float32).
 */
export function logSoftmax(x: Tensor, axis: Axis = -1): Tensor {
  const [t, axes] = softmaxArgs('logSoftmax', x, axis);
  if (t.size === 0) return copy(t);
  const z = shiftByMax(t, axes);
  return sub(z, log(sum(exp(z), axes, true)));
}

/**
 * x (float, rank >= 1) and the axes for softmax and logSoftmax. Over an empty axis the result
 * is empty too (NumPy's); the max shift, a reduction, would refuse it, so callers return a copy.
 */
function softmaxArgs(op: string, x: Tensor, axis: Axis): [Tensor, number[]] {
  const t = checkRank(op, 'x', checkFloat(op, 'x', tensorArg(op, 'x', x)), 1);
  return [t, axesArg(op, 'axis', axis, t.rank)];
}

/**
 * exp(z) / sum(exp(z)) with z = x - max(x): exact at logits of +-1000. Over the last axis (the
 * usual case) it is one primitive with its own kernels (ops/primitives_softmax.ts).
 */
export function softmax(x: Tensor, axis: Axis = -1): Tensor {
  const [t, axes] = softmaxArgs('softmax', x, axis);
  if (t.size === 0) return copy(t);
  if (axes.length === 1 && axes[0] === t.rank - 1) return softmaxLast(t);
  const e = exp(shiftByMax(t, axes));
  return div(e, sum(e, axes, true));
}
