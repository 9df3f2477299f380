/**
 * Neural-network ops composed from primitives.
 */
import type { Tensor } from '../core/tensor.js';
import { abs, div, exp, less, lessEqual, log, sub } from './elementwise.js';
import { where } from './primitives.js';
import { stopGradient } from './primitives_movement.js';
import { max, sum, type Axis } from './reduce.js';
import { softmaxLast } from './primitives_softmax.js';
import { normalizeAxis } from '../core/shape.js';

/**
 * max(x, 0) written as where(x <= 0, 0, x) rather than maximum(x, 0): maximum's rule sends the
 * gradient to its first argument at ties, which would give relu'(0) = 1; Keras's is 0. The
 * test is x <= 0 rather than x > 0 so that NaN (for which both are false) passes through as
 * NaN instead of being silently turned into 0, as in TensorFlow and PyTorch.
 */
export function relu(x: Tensor): Tensor {
  return where(lessEqual(x, 0), 0, x);
}

/**
 * x - max(x) along `axis`, the max held constant for the gradient (its contributions cancel
 * exactly in softmax and logSoftmax). The subtraction is exact for the entries that matter
 * (those near the max), so the results keep full relative precision at logits of +-1000; an
 * infinite max is replaced by 0 so that inf - inf never makes a NaN.
 */
function shiftByMax(x: Tensor, axis: Axis): Tensor {
  const mx = stopGradient(max(x, axis, true));
  return sub(x, where(less(abs(mx), Infinity), mx, 0));
}

/**
 * log(softmax(x)) = z - log(sum(exp(z))) with z = x - max(x): finite at logits of +-1000.
 * Written on z rather than as x - logSumExp(x), because logSumExp(x) = max + log(sum) rounds at
 * the magnitude of the logits (an ulp of 1000 is 6e-5 in float32).
 */
export function logSoftmax(x: Tensor, axis: Axis = -1): Tensor {
  const z = shiftByMax(x, axis);
  return sub(z, log(sum(exp(z), axis, true)));
}

/**
 * exp(z) / sum(exp(z)) with z = x - max(x): exact at logits of +-1000. Over the last axis (the
 * usual case) it is one primitive with its own kernels (ops/primitives_softmax.ts).
 */
export function softmax(x: Tensor, axis: Axis = -1): Tensor {
  if ((x.dtype === 'float32' || x.dtype === 'float64') && x.rank >= 1 && typeof axis === 'number' && normalizeAxis('softmax', axis, x.rank) === x.rank - 1) {
    return softmaxLast(x);
  }
  const e = exp(shiftByMax(x, axis));
  return div(e, sum(e, axis, true));
}
