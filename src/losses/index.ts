/**
 * Keras losses: factories, lookup by name, and the batch reduction.
 */
import { ValueError } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import type { Tensor } from '../core/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy.js';
import { checkPrediction, meanPerSample, normalizeName, type Loss } from './loss.js';
import { huber, meanAbsoluteError, meanSquaredError } from './regression.js';

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

/** Names getLoss accepts, after dropping underscores and case (so camelCase, snake_case and Keras class names all work). */
const FACTORIES: Record<string, () => Loss> = {
  meansquarederror: meanSquaredError,
  mse: meanSquaredError,
  meanabsoluteerror: meanAbsoluteError,
  mae: meanAbsoluteError,
  huber: huber,
  huberloss: huber,
  binarycrossentropy: binaryCrossentropy,
  categoricalcrossentropy: categoricalCrossentropy,
  sparsecategoricalcrossentropy: sparseCategoricalCrossentropy,
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
export function getLoss(id: string | Loss | LossFn | LossConfig): Loss {
  if (typeof id === 'function') return lossFromFunction(id);
  if (typeof id === 'string') {
    const make = FACTORIES[normalizeName(id)];
    if (make) return make();
  } else if (isLoss(id)) {
    return id;
  } else if (typeof id === 'object' && id !== null && typeof id['name'] === 'string') {
    const key = normalizeName(id['name']);
    // A config's fromLogits: 'true' must not silently mean false.
    const fromLogits = boolOption(`getLoss(${id['name']})`, 'fromLogits', id['fromLogits'], false);
    const labelSmoothing = typeof id['labelSmoothing'] === 'number' ? id['labelSmoothing'] : undefined;
    if (key === 'huber' || key === 'huberloss') return huber({ delta: typeof id['delta'] === 'number' ? id['delta'] : undefined });
    if (key === 'binarycrossentropy') return binaryCrossentropy({ fromLogits, labelSmoothing });
    if (key === 'categoricalcrossentropy') return categoricalCrossentropy({ fromLogits, labelSmoothing });
    if (key === 'sparsecategoricalcrossentropy') return sparseCategoricalCrossentropy({ fromLogits });
    const make = FACTORIES[key];
    if (make) return make();
  }
  const shown = typeof id === 'string' ? JSON.stringify(id) : JSON.stringify(id) ?? String(id);
  throw new ValueError(
    `getLoss: unknown loss ${shown}; expected one of meanSquaredError (mse), meanAbsoluteError (mae), huber, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy (camelCase or snake_case), a Loss, or a function`,
  );
}
