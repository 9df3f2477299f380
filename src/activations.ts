/**
 * Keras activations, as functions and by name. Each is composed from existing ops, so each
 * gets its gradient from the primitives' rules (no rule of its own). Constants and defaults
 * are Keras 3's (see shared CONVENTIONS.md); where PyTorch differs it is noted.
 */
import { ValueError } from './core/errors.js';
import type { CamelOrSnake } from './core/names.js';
import type { Tensor } from './core/tensor.js';
import {
  abs,
  add,
  clip,
  div,
  erf,
  expm1,
  greater,
  greaterEqual,
  less,
  minimum,
  mul,
  sigmoid as sigmoidOp,
  softplus as softplusOp,
  tanh as tanhOp,
} from './ops/elementwise.js';
import { logSoftmax as logSoftmaxOp, relu as reluOp, softmax as softmaxOp } from './ops/nn.js';
import { fill, where } from './ops/primitives.js';

/** An activation: a function of one tensor (extra parameters take their Keras defaults). */
export type ActivationFn = (x: Tensor) => Tensor;

/** Constant in x's dtype, so float64 gradient checks stay float64 all the way through. */
const c = (v: number, like: Tensor): Tensor => fill([], v, like.dtype);

/** The identity. Returns x itself (no copy). */
export function linear(x: Tensor): Tensor {
  return x;
}

/**
 * Heaviside step: 1 where x >= 0, else 0. The value at exactly 0 is 1, the convention of the
 * book's perceptron and scikit-learn's Perceptron (numpy.heaviside(x, 1)). The gradient is 0
 * everywhere: the result selects constants, so no gradient reaches x. NaN passes through as
 * NaN (both comparisons are false for it, so the inner where returns x).
 */
export function step(x: Tensor): Tensor {
  return where(less(x, 0), c(0, x), where(greaterEqual(x, 0), c(1, x), x));
}

/** 1 / (1 + exp(-x)), without overflow at any x. */
export function sigmoid(x: Tensor): Tensor {
  return sigmoidOp(x);
}

export function tanh(x: Tensor): Tensor {
  return tanhOp(x);
}

/** max(x, 0) with relu'(0) = 0 (Keras and PyTorch agree). */
export function relu(x: Tensor): Tensor {
  return reluOp(x);
}

/** min(max(x, 0), 6). */
export function relu6(x: Tensor): Tensor {
  return clip(x, 0, 6);
}

/**
 * x if x > 0 else negativeSlope·x. The default slope 0.2 is Keras 3's for the function (its
 * LeakyReLU layer defaults to 0.3; PyTorch to 0.01). The gradient at 0 is the slope, as in
 * TensorFlow's LeakyReluGrad (features > 0 ? dy : alpha·dy).
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.2): Tensor {
  return where(greater(x, 0), x, mul(x, c(negativeSlope, x)));
}

/**
 * x if x > 0 else alpha·(exp(x) − 1). expm1 keeps the digits near 0. Its argument is
 * min(x, 0): the branch that `where` discards still gets a zero gradient multiplied by its
 * local derivative, and exp(1000) = inf would turn that 0 into 0·inf = NaN.
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  return where(greater(x, 0), x, mul(expm1(minimum(x, c(0, x))), c(alpha, x)));
}

/** SELU's constants (Klambauer et al. 2017), to the digits Keras uses. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale·elu(x, alpha) with the self-normalizing constants. */
export function selu(x: Tensor): Tensor {
  return mul(elu(x, SELU_ALPHA), c(SELU_SCALE, x));
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit. Exact (the default, as in Keras 3 and PyTorch):
 * 0.5·x·(1 + erf(x/√2)). approximate: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the form
 * of the original BERT code.
 */
export function gelu(x: Tensor, approximate = false): Tensor {
  const inner = approximate
    ? tanhOp(mul(add(x, mul(mul(mul(x, x), x), c(0.044715, x))), c(SQRT_2_OVER_PI, x)))
    : erf(mul(x, c(SQRT_HALF, x)));
  return mul(mul(x, c(0.5, x)), add(inner, c(1, x)));
}

/** x·sigmoid(x) (Keras 3 names it silu, with swish as an alias). */
export function silu(x: Tensor): Tensor {
  return mul(x, sigmoidOp(x));
}

/** The same function as silu (so activationName(swish) is 'silu', like Keras 3). */
export const swish: ActivationFn = silu;

/** log(1 + exp(x)) computed stably (max(x, 0) + log1p(exp(−|x|))). */
export function softplus(x: Tensor): Tensor {
  return softplusOp(x);
}

/** x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  return div(x, add(abs(x), c(1, x)));
}

/**
 * Keras 3's hard sigmoid: relu6(x + 3) / 6, i.e. clip(x/6 + 0.5, 0, 1). (Keras 2 used
 * clip(0.2·x + 0.5, 0, 1); PyTorch's Hardsigmoid matches Keras 3.)
 */
export function hardSigmoid(x: Tensor): Tensor {
  return div(relu6(add(x, c(3, x))), c(6, x));
}

/** exp(x − max)/sum over `axis` (default the last). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxOp(x, axis);
}

/** log(softmax(x)), finite at logits of ±1000. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return logSoftmaxOp(x, axis);
}

/** Each activation under its camelCase name; the first name listed for a function is its canonical one. */
const BY_NAME = {
  linear,
  step,
  sigmoid,
  tanh,
  relu,
  relu6,
  leakyRelu,
  elu,
  selu,
  gelu,
  silu,
  swish,
  softplus,
  softsign,
  hardSigmoid,
  softmax,
  logSoftmax,
} as const satisfies Record<string, ActivationFn>;

type CamelName = keyof typeof BY_NAME;

/** An activation's name: camelCase ('leakyRelu') or Keras's snake_case ('leaky_relu'). */
export type ActivationId = CamelOrSnake<CamelName>;

const CAMEL_NAMES = Object.keys(BY_NAME) as CamelName[];

function toCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

function isCamelName(name: string): name is CamelName {
  return Object.prototype.hasOwnProperty.call(BY_NAME, name);
}

/** True when `name` (e.g. read from a saved config) names a built-in activation. */
export function isActivationId(name: string): name is ActivationId {
  return isCamelName(toCamel(name)) && (name === toCamel(name) || name === name.toLowerCase());
}

/**
 * Resolves an activation. undefined and null mean linear (Keras's `activation=None`); a
 * function is returned as it is; a name may be camelCase or snake_case.
 */
export function getActivation(id: ActivationId | ActivationFn | null | undefined): ActivationFn {
  if (id === undefined || id === null) return linear;
  if (typeof id === 'function') return id;
  if (typeof id === 'string') {
    const camel = toCamel(id);
    if (isCamelName(camel)) return BY_NAME[camel];
  }
  throw new ValueError(`getActivation: unknown activation ${JSON.stringify(id)}; expected one of ${CAMEL_NAMES.join(', ')} (or their snake_case forms), a function, or null`);
}

/**
 * The name to serialize an activation under: the canonical camelCase name of a built-in
 * (swish → 'silu', as Keras 3 does), which getActivation accepts back. A user function gives
 * its own `name` (getActivation cannot resolve that; pass the function itself when loading).
 */
export function activationName(fn: ActivationFn): string {
  for (const name of CAMEL_NAMES) if (BY_NAME[name] === fn) return name;
  return fn.name === '' ? 'custom' : fn.name;
}
