/**
 * Keras initializers: factories, lookup by name, and serialization to {className, config}.
 */
import { kerasObjectLookup, type KerasFactory, type KerasObjectConfig } from '../core/keras_objects.js';
import type { CamelOrSnake } from '../core/names.js';
import { checkOptions } from '../core/options.js';
import { constant, ones, zeros, type ConstantOptions } from './constant.js';
import type { Initializer } from './initializer.js';
import { identity, orthogonal, type IdentityOptions, type OrthogonalOptions } from './orthogonal.js';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  type NormalOptions,
  type SeedOption,
  type UniformOptions,
  type VarianceScalingOptions,
} from './random.js';

export { computeFans, type Initializer } from './initializer.js';
export { constant, ones, zeros, type ConstantOptions } from './constant.js';
export { identity, orthogonal, type IdentityOptions, type OrthogonalOptions } from './orthogonal.js';
export {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  TRUNCATED_STDDEV_FACTOR,
  type Distribution,
  type FanMode,
  type NormalOptions,
  type SeedOption,
  type UniformOptions,
  type VarianceScalingOptions,
} from './random.js';

/** What serializeInitializer produces and getInitializer accepts. */
export type InitializerConfig = KerasObjectConfig;

/** The built-in initializers under their camelCase names; FACTORIES below builds each. */
const NAMES = [
  'zeros',
  'ones',
  'constant',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'glorotUniform',
  'glorotNormal',
  'heNormal',
  'heUniform',
  'lecunNormal',
  'lecunUniform',
  'orthogonal',
  'identity',
] as const;

/**
 * A built-in initializer's name: camelCase ('glorotUniform', 'heNormal'), Keras's snake_case
 * ('glorot_uniform', 'he_normal') or Keras's aliases 'normal' and 'uniform'. At run time
 * getInitializer also accepts any case and Keras's class names ('GlorotUniform').
 */
export type InitializerId = CamelOrSnake<(typeof NAMES)[number]> | 'normal' | 'uniform';

/**
 * Factories by normalized name (underscores dropped, lower case), each given the config as
 * its options: the factory checks the names (a misspelt key is an error, not a default) and
 * the values, so a config is read exactly as the same options would be.
 */
type Factory = KerasFactory<Initializer>;
const FACTORIES: Readonly<Record<string, Factory>> = {
  zeros: (c) => (checkOptions('zeros', c), zeros()),
  ones: (c) => (checkOptions('ones', c), ones()),
  constant: (c) => constant(c as ConstantOptions),
  randomnormal: (c) => randomNormal(c as NormalOptions),
  randomuniform: (c) => randomUniform(c as UniformOptions),
  truncatednormal: (c) => truncatedNormal(c as NormalOptions),
  variancescaling: (c) => varianceScaling(c as VarianceScalingOptions),
  glorotuniform: (c) => glorotUniform(c as SeedOption),
  glorotnormal: (c) => glorotNormal(c as SeedOption),
  heuniform: (c) => heUniform(c as SeedOption),
  henormal: (c) => heNormal(c as SeedOption),
  lecununiform: (c) => lecunUniform(c as SeedOption),
  lecunnormal: (c) => lecunNormal(c as SeedOption),
  orthogonal: (c) => orthogonal(c as OrthogonalOptions),
  identity: (c) => identity(c as IdentityOptions),
} satisfies Record<Lowercase<(typeof NAMES)[number]>, Factory>;
// Keras's short aliases.
const ALIASES: Readonly<Record<string, string>> = { normal: 'randomnormal', uniform: 'randomuniform' };

const LOOKUP = kerasObjectLookup<Initializer>({
  fn: 'getInitializer',
  what: 'initializer',
  factories: FACTORIES,
  aliases: ALIASES,
  expected: `a name such as 'glorotUniform' or 'glorot_uniform' (${[...Object.keys(FACTORIES), ...Object.keys(ALIASES)].join(', ')} ignoring case and underscores), an Initializer, or {className, config}`,
});

/**
 * Resolves an initializer: an Initializer is returned as it is; a name ('glorotUniform',
 * 'glorot_uniform', 'GlorotUniform') gets Keras's defaults; {className, config} (what
 * serializeInitializer writes, and what Keras's JSON holds) rebuilds one.
 */
export function getInitializer(id: InitializerId | Initializer | InitializerConfig): Initializer {
  return LOOKUP.get(id);
}

/** {className, config}: plain JSON that getInitializer turns back into an equal initializer. */
export function serializeInitializer(init: Initializer): InitializerConfig {
  return LOOKUP.serialize(init);
}
