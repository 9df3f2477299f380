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

const factories: Readonly<Record<string, () => Optimizer>> = { sgd: () => sgd(), adam: () => adam() };

export type OptimizerId = 'sgd' | 'adam' | Optimizer;

/** 'sgd' | 'adam' (Keras defaults) or an optimizer object. */
export function getOptimizer(id: OptimizerId | string): Optimizer {
  if (typeof id !== 'string') return id;
  const f = factories[id.toLowerCase()];
  if (!f) {
    throw new ValueError(`getOptimizer: unknown optimizer "${id}"; expected one of ${Object.keys(factories).map((k) => `'${k}'`).join(', ')} or an Optimizer`);
  }
  return f();
}
