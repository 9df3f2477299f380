/**
 * Keras losses: factories, lookup by name, and the batch reduction.
 */
import { ValueError } from '../core/errors.js';
import { normalizeName, type CamelOrSnake } from '../core/names.js';
import type { Tensor } from '../core/tensor.js';
import { checkOptions } from '../core/options.js';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, type CrossentropyOptions, type SparseCrossentropyOptions } from './crossentropy.js';
import { checkPrediction, meanPerSample, type Loss } from './loss.js';
import { huber, meanAbsoluteError, meanSquaredError, type HuberOptions } from './regression.js';

export { computeLoss, type Loss } from './loss.js';
export { huber, meanAbsoluteError, meanSquaredError, type HuberOptions } from './regression.js';
export {
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  EPSILON,
  type CrossentropyOptions,
  type SparseCrossentropyOptions,
} from './crossentropy.js';

/** Keras's short aliases. */
export const mse = meanSquaredError;
export const mae = meanAbsoluteError;

/** A loss written as a function of (yTrue, yPred) returning per-sample (or per-element) values. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** The built-in losses under their camelCase names (Keras's short aliases included). */
const BY_NAME = {
  meanSquaredError,
  mse: meanSquaredError,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  huber,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} as const satisfies Record<string, () => Loss>;

/**
 * A built-in loss's name, camelCase or snake_case ('sparseCategoricalCrossentropy',
 * 'sparse_categorical_crossentropy', 'mse'). At run time getLoss also accepts any case and
 * Keras's class names ('MeanSquaredError', 'huber_loss'), as configs from Keras may hold them.
 */
export type LossName = CamelOrSnake<keyof typeof BY_NAME>;

/** Factories by normalized name (see normalizeName), plus Keras's 'huber_loss'. */
const FACTORIES: Readonly<Record<string, () => Loss>> = {
  ...Object.fromEntries(Object.entries(BY_NAME).map(([k, f]) => [normalizeName(k), f])),
  huberloss: huber,
};

/** Wraps a plain function as a Loss; values beyond the batch axis are averaged. */
export function lossFromFunction(fn: LossFn, name = fn.name || 'custom_loss'): Loss {
  return {
    name,
    perSample(yTrue: Tensor, yPred: Tensor): Tensor {
      checkPrediction(name, yPred);
      const v = fn(yTrue, yPred);
      if (v.rank === 0) throw new ValueError(`loss "${name}": the function must return one value per sample, received a scalar`);
      return meanPerSample(v);
    },
    getConfig: () => ({ name }),
  };
}

/** A loss's getConfig() output: {name, ...options}, as plain JSON. */
export type LossConfig = Readonly<Record<string, unknown>>;

function isLoss(x: unknown): x is Loss {
  return typeof x === 'object' && x !== null && 'perSample' in x && typeof x.perSample === 'function' && 'name' in x && typeof x.name === 'string';
}

/**
 * Resolves a loss: a Loss is returned as it is, a function is wrapped, a name ('mse', 'mae',
 * 'meanSquaredError', 'mean_squared_error', 'binaryCrossentropy', ...) gets a fresh loss with
 * Keras's defaults. A config object {name, ...options} (what getConfig returns) is accepted
 * too, so a saved loss round-trips.
 */
export function getLoss(id: LossName | Loss | LossFn | LossConfig): Loss {
  if (typeof id === 'function') return lossFromFunction(id);
  if (typeof id === 'string') {
    const make = FACTORIES[normalizeName(id)];
    if (make) return make();
  } else if (isLoss(id)) {
    return id;
  } else if (typeof id === 'object' && id !== null && typeof id['name'] === 'string') {
    // The rest of the config is the loss's options: the factory checks names and values.
    const { name, ...options } = id;
    const key = normalizeName(name);
    if (key === 'huber' || key === 'huberloss') return huber(options as HuberOptions);
    if (key === 'binarycrossentropy') return binaryCrossentropy(options as CrossentropyOptions);
    if (key === 'categoricalcrossentropy') return categoricalCrossentropy(options as CrossentropyOptions);
    if (key === 'sparsecategoricalcrossentropy') return sparseCategoricalCrossentropy(options as SparseCrossentropyOptions);
    const make = FACTORIES[key];
    if (make) {
      checkOptions(name, options);
      return make();
    }
  }
  const shown = typeof id === 'string' ? JSON.stringify(id) : JSON.stringify(id) ?? String(id);
  throw new ValueError(
    `getLoss: unknown loss ${shown}; expected one of meanSquaredError (mse), meanAbsoluteError (mae), huber, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy (camelCase or snake_case), a Loss, or a function`,
  );
}
