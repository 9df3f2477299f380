/**
 * Optimizer lookup and the public `optimizers` namespace. Names follow Keras ('sgd', 'adam',
 * 'rmsprop', ..., case-insensitive, so Keras's class names 'RMSprop' and 'AdamW' work too);
 * an Optimizer object passes through.
 */
import { ValueError } from '../core/errors.js';
import { normalizeName } from '../core/names.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { adamw } from './adamw.js';
import { nadam } from './nadam.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';
import type { Optimizer } from './transform.js';

export { adam, scaleByAdam, type AdamOptions, type AdamState, type AdamOptimizerState } from './adam.js';
export { adamw, type AdamWOptions } from './adamw.js';
export { adagrad, scaleByAdagrad, type AdagradOptions, type AdagradState } from './adagrad.js';
export { adamax, scaleByAdamax, type AdamaxOptions, type AdamaxState, type AdamaxOptimizerState } from './adamax.js';
export { nadam, nadamMomentum, scaleByNadam, type NadamOptions, type NadamState, type NadamOptimizerState } from './nadam.js';
export { rmsprop, scaleByRms, type RmspropOptions, type RmsState, type RmspropState } from './rmsprop.js';
export { sgd, traceKeras, type SgdOptions, type SgdState } from './sgd.js';
export { clipByGlobalNorm, clipByNorm, clipByValue } from './clip.js';
export { addDecayedWeights, decays, type WeightDecayExclusion } from './decay.js';
export { kerasOptionLinks, kerasOptionsConfig, type ClipLinks, type DecayLinks, type KerasChainState, type KerasOptimizerOptions } from './keras_options.js';
export { stateFromData, stateToData, type OptimizerStateData } from './state.js';
export {
  applyUpdates,
  chain,
  learningRateAt,
  optimizerWithRate,
  scaleByLearningRate,
  OptimizerRunner,
  type ChainState,
  type ChainStateOf,
  type GradientTransformation,
  type LearningRate,
  type Link,
  type Links,
  type Optimizer,
  type RateOptimizer,
  type Schedule,
  type StateOf,
} from './transform.js';

const factories = {
  sgd: () => sgd(),
  adam: () => adam(),
  adamw: () => adamw(),
  adagrad: () => adagrad(),
  adamax: () => adamax(),
  nadam: () => nadam(),
  rmsprop: () => rmsprop(),
} as const satisfies Record<string, () => Optimizer>;

/**
 * A built-in optimizer's name, as Keras spells it in `compile` ('sgd', 'adam', 'adamw',
 * 'adagrad', 'adamax', 'nadam', 'rmsprop'; none has a word break, so camelCase and
 * snake_case coincide). At run time getOptimizer ignores case and underscores, so plain
 * JavaScript may also write Keras's class names ('SGD', 'RMSprop', 'AdamW').
 */
export type OptimizerName = keyof typeof factories;

/** What compile's `optimizer` takes: a name (Keras's defaults) or an optimizer object. */
export type OptimizerId = OptimizerName | Optimizer;

/** A built-in name (Keras defaults) or an optimizer object. */
export function getOptimizer(id: OptimizerId): Optimizer {
  if (typeof id !== 'string') return id;
  const byName: Readonly<Record<string, () => Optimizer>> = factories;
  const key = normalizeName(id);
  const f = Object.prototype.hasOwnProperty.call(byName, key) ? byName[key] : undefined;
  if (!f) {
    throw new ValueError(`getOptimizer: unknown optimizer "${id}"; expected one of ${Object.keys(factories).map((k) => `'${k}'`).join(', ')} or an Optimizer`);
  }
  return f();
}
