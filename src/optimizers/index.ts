/**
 * Optimizer lookup and the public `optimizers` namespace. Names follow Keras ('sgd', 'adam',
 * case-insensitive); an Optimizer object passes through.
 */
import { ValueError } from '../core/errors.js';
import { adam } from './adam.js';
import { sgd } from './sgd.js';
import type { Optimizer } from './transform.js';

export { adam, scaleByAdam, type AdamOptions, type AdamState } from './adam.js';
export { sgd, traceKeras, type SgdOptions } from './sgd.js';
export { clipByGlobalNorm, clipByNorm, clipByValue } from './clip.js';
export { addDecayedWeights } from './decay.js';
export { withKerasOptions, type KerasOptimizerOptions } from './keras_options.js';
export {
  applyUpdates,
  chain,
  learningRateAt,
  optimizerWithRate,
  scaleByLearningRate,
  OptimizerRunner,
  type GradientTransformation,
  type LearningRate,
  type Optimizer,
  type Schedule,
} from './transform.js';

const factories = { sgd: () => sgd(), adam: () => adam() } as const satisfies Record<string, () => Optimizer>;

/**
 * A built-in optimizer's name, as Keras spells it in `compile` ('sgd', 'adam'). At run time
 * getOptimizer ignores case, so plain JavaScript may also write Keras's class names ('SGD', 'Adam').
 */
export type OptimizerName = keyof typeof factories;

/** What compile's `optimizer` takes: a name (Keras's defaults) or an optimizer object. */
export type OptimizerId = OptimizerName | Optimizer;

/** 'sgd' | 'adam' (Keras defaults) or an optimizer object. */
export function getOptimizer(id: OptimizerId): Optimizer {
  if (typeof id !== 'string') return id;
  const byName: Readonly<Record<string, () => Optimizer>> = factories;
  const key = id.toLowerCase();
  const f = Object.prototype.hasOwnProperty.call(byName, key) ? byName[key] : undefined;
  if (!f) {
    throw new ValueError(`getOptimizer: unknown optimizer "${id}"; expected one of ${Object.keys(factories).map((k) => `'${k}'`).join(', ')} or an Optimizer`);
  }
  return f();
}
