/**
 * Neural-network ops composed from primitives.
 */
import type { Tensor } from '../core/tensor.js';
import { exp, lessEqual, sub } from './elementwise.js';
import { where } from './primitives.js';
import { logSumExp, type Axis } from './reduce.js';

/**
 * max(x, 0) written as where(x <= 0, 0, x) rather than maximum(x, 0): maximum's rule sends the
 * gradient to its first argument at ties, which would give relu'(0) = 1; Keras's is 0. The
 * test is x <= 0 rather than x > 0 so that NaN (for which both are false) passes through as
 * NaN instead of being silently turned into 0, as in TensorFlow and PyTorch.
 */
export function relu(x: Tensor): Tensor {
  return where(lessEqual(x, 0), 0, x);
}

/** log(softmax(x)) = x - logSumExp(x): finite at logits of +-1000. */
export function logSoftmax(x: Tensor, axis: Axis = -1): Tensor {
  return sub(x, logSumExp(x, axis, true));
}

/** exp(x - max) / sum, i.e. exp(logSoftmax): exact at logits of +-1000. */
export function softmax(x: Tensor, axis: Axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
