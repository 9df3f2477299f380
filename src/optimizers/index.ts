/**
 * Optimizer lookup and the public `optimizers` namespace. Names follow Keras ('sgd', 'adam',
 * 'rmsprop', ..., case-insensitive, so Keras's class names 'RMSprop' and 'AdamW' work too);
 * an Optimizer object passes through.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { normalizeName } from '../core/names.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { adamw } from './adamw.js';
import { nadam } from './nadam.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';
import type { Optimizer } from './transform.js';
import { isClassConfig, rateFromConfig } from './rate_config.js';

export { adam, scaleByAdam, type AdamOptions, type AdamState, type AdamOptimizerState } from './adam.js';
export { adamw, type AdamWOptions } from './adamw.js';
export { adagrad, scaleByAdagrad, type AdagradOptions, type AdagradState } from './adagrad.js';
export { adamax, scaleByAdamax, type AdamaxOptions, type AdamaxState, type AdamaxOptimizerState } from './adamax.js';
export { nadam, nadamMomentum, scaleByNadam, type NadamOptions, type NadamState, type NadamOptimizerState } from './nadam.js';
export { rmsprop, scaleByRms, type RmspropOptions, type RmsState, type RmspropState } from './rmsprop.js';
export { sgd, traceKeras, momentumAt, type Momentum, type SgdOptions, type SgdState } from './sgd.js';
export { rateConfig, rateFromConfig, type RateConfig, type FunctionConfig } from './rate_config.js';
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

/**
 * Each factory takes its options from a plain object: `{}` for Keras's defaults by name, or a
 * config read back (getConfig), whose option checks then apply to it as to any options.
 */
const factories = {
  sgd: (o: object) => sgd(o),
  adam: (o: object) => adam(o),
  adamw: (o: object) => adamw(o),
  adagrad: (o: object) => adagrad(o),
  adamax: (o: object) => adamax(o),
  nadam: (o: object) => nadam(o),
  rmsprop: (o: object) => rmsprop(o),
} as const satisfies Record<string, (o: object) => Optimizer>;

/**
 * A built-in optimizer's name, as Keras spells it in `compile` ('sgd', 'adam', 'adamw',
 * 'adagrad', 'adamax', 'nadam', 'rmsprop'; none has a word break, so camelCase and
 * snake_case coincide). At run time getOptimizer ignores case and underscores, so plain
 * JavaScript may also write Keras's class names ('SGD', 'RMSprop', 'AdamW').
 */
export type OptimizerName = keyof typeof factories;

/** An optimizer's JSON form (Keras's `optimizers.serialize`): its name and its getConfig(). */
export interface OptimizerConfig {
  className: string;
  config: Record<string, unknown>;
}

/** What compile's `optimizer` takes: a name (Keras's defaults), an optimizer object, or a config. */
export type OptimizerId = OptimizerName | Optimizer | OptimizerConfig;

function factoryFor(name: string): (o: object) => Optimizer {
  const byName: Readonly<Record<string, (o: object) => Optimizer>> = factories;
  const key = normalizeName(name);
  const f = Object.prototype.hasOwnProperty.call(byName, key) ? byName[key] : undefined;
  if (!f) {
    throw new ValueError(`getOptimizer: unknown optimizer "${name}"; expected one of ${Object.keys(factories).map((k) => `'${k}'`).join(', ')} or an Optimizer`);
  }
  return f;
}

/** `{className: opt.name, config: opt.getConfig()}`, what `deserializeOptimizer` reads. */
export function serializeOptimizer(opt: Optimizer): OptimizerConfig {
  return { className: opt.name, config: opt.getConfig() };
}

/**
 * Rebuilds a built-in optimizer from `{className, config}`. A learning rate (or SGD momentum)
 * written as a schedule's `{className, config}` is rebuilt with `schedules.fromConfig`; one
 * written as a plain function's marker throws (rate_config.ts).
 */
export function deserializeOptimizer(json: unknown): Optimizer {
  if (!isClassConfig(json) || typeof json.className !== 'string' || typeof json.config !== 'object' || json.config === null || Array.isArray(json.config)) {
    throw new ValueError(`deserializeOptimizer: expected {className: string, config: object}, received ${fmtReceived(json)}`);
  }
  const make = factoryFor(json.className);
  const who = `deserializeOptimizer(${json.className})`;
  const options = Object.fromEntries(Object.entries(json.config).map(([k, v]) => [k, rateFromConfig(who, k, v)]));
  return make(options);
}

/** A built-in name (Keras defaults), an optimizer object, or a config (`deserializeOptimizer`). */
export function getOptimizer(id: OptimizerId): Optimizer {
  if (typeof id === 'string') return factoryFor(id)({});
  if ('init' in id) return id;
  return deserializeOptimizer(id);
}
