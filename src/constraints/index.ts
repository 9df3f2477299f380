/**
 * Keras constraints: factories, look-up by name and serialization to {className, config}
 * (`{className: 'MaxNorm', config: {maxValue: 2, axis: 0}}`).
 */
import { ValueError } from '../core/errors.js';
import { normalizeName, type CamelOrSnake } from '../core/names.js';
import { checkOptions } from '../core/options.js';
import { maxNorm, minMaxNorm, nonNeg, unitNorm, type Constraint, type MaxNormOptions, type MinMaxNormOptions, type UnitNormOptions } from './constraints.js';

export { maxNorm, minMaxNorm, nonNeg, unitNorm, type Constraint, type ConstraintAxis, type MaxNormOptions, type MinMaxNormOptions, type UnitNormOptions } from './constraints.js';

/** What serializeConstraint writes and getConstraint reads. */
export interface ConstraintConfig {
  className: string;
  config?: Record<string, unknown>;
}

/** A built-in's name, camelCase or Keras's snake_case (any case at run time: 'MaxNorm'). */
export type ConstraintName = CamelOrSnake<'maxNorm' | 'nonNeg' | 'unitNorm' | 'minMaxNorm'>;

/** Anything getConstraint resolves. */
export type ConstraintId = Constraint | ConstraintName | ConstraintConfig;

type Factory = (c: Record<string, unknown>) => Constraint;
const FACTORIES: Readonly<Record<string, Factory>> = {
  maxnorm: (c) => maxNorm(c as MaxNormOptions),
  nonneg: (c) => (checkOptions('nonNeg', c, {}), nonNeg()),
  unitnorm: (c) => unitNorm(c as UnitNormOptions),
  minmaxnorm: (c) => minMaxNorm(c as MinMaxNormOptions),
};

function isConstraint(x: unknown): x is Constraint {
  return typeof x === 'object' && x !== null && 'apply' in x && typeof x.apply === 'function' && 'className' in x && typeof x.className === 'string';
}

function factory(name: string): Factory | undefined {
  const k = normalizeName(name);
  return Object.prototype.hasOwnProperty.call(FACTORIES, k) ? FACTORIES[k] : undefined;
}

/**
 * A Constraint is returned as it is; a name gets Keras's defaults ('maxNorm' is maxNorm({maxValue:
 * 2, axis: 0})); {className, config} (serializeConstraint's output) rebuilds one.
 */
export function getConstraint(id: ConstraintId): Constraint {
  if (isConstraint(id)) return id;
  if (typeof id === 'string') {
    const make = factory(id);
    if (make) return make({});
  } else if (typeof id === 'object' && id !== null && typeof id.className === 'string') {
    const make = factory(id.className);
    const config = id.config ?? {};
    if (make && typeof config === 'object' && config !== null && !Array.isArray(config)) return make(config);
  }
  throw new ValueError(
    `getConstraint: unknown constraint ${JSON.stringify(id) ?? String(id)}; expected 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or Keras's 'MaxNorm', 'max_norm', ...), {className, config}, or an object with className, apply and getConfig`,
  );
}

/** {className, config}: plain JSON that getConstraint turns back into an equal constraint. */
export function serializeConstraint(c: Constraint): ConstraintConfig {
  return { className: c.className, config: c.getConfig() };
}
