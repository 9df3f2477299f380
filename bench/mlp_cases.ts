/**
 * The variants of the MLP benchmark (issue 11, "Speed"): which optimizer trains the book's
 * 784-300-100-10 MLP, and what follows each hidden layer. PyTorch's anchor
 * (bench/torch_optimizers.py, CASES) lists the same names with the same hyperparameters, so
 * both systems do the same arithmetic per step; bench/mlp_cases.test.ts checks that the two
 * lists name the same cases.
 *
 * Every hyperparameter is written out (Keras 3's defaults, ../shared/CONVENTIONS.md) rather
 * than left to the library, so a change of default cannot change what is timed unnoticed.
 */
import * as hb from '../src/index.js';

const KERAS_EPS = 1e-7;

/** Optimizer cases by name: the CLI's `--opt` values. 'sgd' and 'adam' are the original cases. */
export const OPTIMIZER_CASES = {
  sgd: () => hb.optimizers.sgd({ learningRate: 0.01 }),
  sgd_momentum: () => hb.optimizers.sgd({ learningRate: 0.01, momentum: 0.9 }),
  sgd_nesterov: () => hb.optimizers.sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true }),
  adagrad: () => hb.optimizers.adagrad({ learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: KERAS_EPS }),
  rmsprop: () => hb.optimizers.rmsprop({ learningRate: 0.001, rho: 0.9, epsilon: KERAS_EPS }),
  rmsprop_momentum: () => hb.optimizers.rmsprop({ learningRate: 0.001, rho: 0.9, momentum: 0.9, epsilon: KERAS_EPS }),
  rmsprop_centered: () => hb.optimizers.rmsprop({ learningRate: 0.001, rho: 0.9, centered: true, epsilon: KERAS_EPS }),
  adam: () => hb.optimizers.adam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: KERAS_EPS }),
  adamax: () => hb.optimizers.adamax({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: KERAS_EPS }),
  nadam: () => hb.optimizers.nadam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: KERAS_EPS }),
  adamw: () => hb.optimizers.adamw({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: KERAS_EPS, weightDecay: 0.004 }),
} as const satisfies Record<string, () => hb.Optimizer>;

export type OptimizerCase = keyof typeof OPTIMIZER_CASES;
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZER_CASES) as readonly string[];

export function isOptimizerCase(name: string): name is OptimizerCase {
  return Object.prototype.hasOwnProperty.call(OPTIMIZER_CASES, name);
}

/**
 * What follows each hidden Dense(relu): nothing (the book's ch. 10 MLP), batch normalization
 * (Keras defaults: momentum 0.99, epsilon 1e-3) or dropout(0.2).
 */
export const ARCHS = ['plain', 'bn', 'dropout'] as const;
export type Arch = (typeof ARCHS)[number];

export function isArch(name: string): name is Arch {
  return (ARCHS as readonly string[]).includes(name);
}

/** The layers inserted after one hidden layer for `arch` (fresh instances per call). */
export function afterHidden(arch: Arch): hb.Layer[] {
  if (arch === 'bn') return [hb.layers.batchNormalization({ momentum: 0.99, epsilon: 1e-3 })];
  if (arch === 'dropout') return [hb.layers.dropout({ rate: 0.2 })];
  return [];
}
