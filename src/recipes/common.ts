/**
 * What both recipes share: the output layer and the loss and metrics that go with it, the
 * optimizer by name, and the checks of the common options (each error names the recipe and
 * the option, as everywhere in hebb).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { positiveInt } from '../core/option_values.js';
import type { OptionKeys } from '../core/options.js';
import { activationName, getActivation, type ActivationId } from '../activations.js';
import type { LossId, MetricId } from '../training/compile.js';
import { nadam } from '../optimizers/nadam.js';
import { adamw } from '../optimizers/adamw.js';
import { sgd } from '../optimizers/sgd.js';
import type { LearningRate, Optimizer } from '../optimizers/transform.js';

/** The optimizers a recipe names: the book's Nadam, AdamW, or Nesterov momentum ('sgd'). */
export type RecipeOptimizer = 'nadam' | 'adamw' | 'sgd' | Optimizer;

export interface NetOptions {
  /** The shape of one sample, without the batch dimension: `[28, 28]` (flattened first) or `[8]`. */
  inputShape: readonly number[];
  /** Units of the output layer: classes for softmax, 1 for a regression or a binary output. */
  outputUnits: number;
  /** ['softmax'] the output's activation; null (or 'linear') for a regression. */
  outputActivation?: ActivationId | null;
  /** [from outputActivation: softmax → 'sparseCategoricalCrossentropy', sigmoid → 'binaryCrossentropy', otherwise 'mse'] */
  loss?: LossId;
  /** [['accuracy'] for softmax and sigmoid outputs, [] otherwise] */
  metrics?: readonly MetricId[];
  /** Hidden layers (positive integer). */
  depth?: number;
  /** [100] units per hidden layer (positive integer). */
  units?: number;
  /** The optimizer: 'nadam', 'adamw', 'sgd' (Nesterov momentum 0.9) or an optimizer object (then learningRate and weightDecay are its own). */
  optimizer?: RecipeOptimizer;
  /** [1e-3 for nadam and adamw, 1e-2 for sgd] a number, or a schedule such as hb.schedules.oneCycle. */
  learningRate?: LearningRate;
  /** The model's name. */
  name?: string;
}

export const NET_OPTIONS: OptionKeys<NetOptions> = {
  inputShape: true,
  outputUnits: true,
  outputActivation: true,
  loss: true,
  metrics: true,
  depth: true,
  units: true,
  optimizer: true,
  learningRate: true,
  name: true,
};

export interface CheckedNet {
  inputShape: number[];
  outputUnits: number;
  outputActivation: ActivationId | null;
  depth: number;
  units: number;
  loss: LossId;
  metrics: MetricId[];
}

/** Checks the common options (required ones first) and fills in the loss and metrics. */
export function checkNet(who: string, o: NetOptions, defaultDepth: number): CheckedNet {
  const shape: unknown = o.inputShape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${who}: inputShape must be a non-empty array of positive integers (one sample's shape, without the batch dimension), received ${fmtReceived(shape)}`);
  }
  const outputUnits = positiveInt(who, 'outputUnits', o.outputUnits);
  const outputActivation = o.outputActivation === undefined ? 'softmax' : o.outputActivation;
  getActivation(outputActivation); // an unknown name fails here, under its own message
  const act = outputActivation === null ? 'linear' : activationName(getActivation(outputActivation));
  if (act === 'softmax' && outputUnits < 2) throw new ValueError(`${who}: a softmax output needs outputUnits >= 2 (one per class), received ${outputUnits}; use outputActivation 'sigmoid' for a binary output`);
  const classifier = act === 'softmax' || act === 'sigmoid';
  const loss: LossId = o.loss ?? (act === 'softmax' ? 'sparseCategoricalCrossentropy' : act === 'sigmoid' ? 'binaryCrossentropy' : 'mse');
  return {
    inputShape: [...(shape as number[])],
    outputUnits,
    outputActivation,
    depth: positiveInt(who, 'depth', o.depth, defaultDepth),
    units: positiveInt(who, 'units', o.units, 100),
    loss,
    metrics: o.metrics === undefined ? (classifier ? ['accuracy'] : []) : [...o.metrics],
  };
}

/** Keras's own name for the variables decoupled weight decay leaves alone: biases and the normalization scale and shift. */
export const NO_DECAY = ['bias', 'gamma', 'beta'];

/**
 * The optimizer a recipe compiles with. By name, with the recipe's rate and, when given, a
 * decoupled weight decay that skips biases and batch-normalization weights.
 */
export function recipeOptimizer(who: string, id: RecipeOptimizer | undefined, fallback: 'nadam' | 'sgd', learningRate: LearningRate | undefined, weightDecay: number | undefined): Optimizer {
  const choice = id ?? fallback;
  if (typeof choice !== 'string') {
    if (learningRate !== undefined || weightDecay !== undefined) {
      throw new ValueError(`${who}: learningRate and weightDecay go to the optimizer object itself, not beside it`);
    }
    return choice;
  }
  const decay = weightDecay === undefined ? {} : { weightDecay, excludeFromWeightDecay: NO_DECAY };
  switch (choice) {
    case 'nadam':
      return nadam({ learningRate: learningRate ?? 1e-3, ...decay });
    case 'adamw':
      return adamw({ learningRate: learningRate ?? 1e-3, excludeFromWeightDecay: NO_DECAY, ...(weightDecay === undefined ? {} : { weightDecay }) });
    case 'sgd':
      return sgd({ learningRate: learningRate ?? 1e-2, momentum: 0.9, nesterov: true, ...decay });
    default:
      throw new ValueError(`${who}: optimizer must be 'nadam', 'adamw', 'sgd' or an optimizer object, received ${fmtReceived(choice)}`);
  }
}
