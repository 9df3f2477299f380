/**
 * Keras constraints: factories, look-up by name and serialization to {className, config}
 * (`{className: 'MaxNorm', config: {maxValue: 2, axis: 0}}`).
 */
import { kerasObjectLookup, type KerasFactory, type KerasObjectConfig } from '../core/keras_objects.js';
import type { CamelOrSnake } from '../core/names.js';
import { checkOptions } from '../core/options.js';
import { maxNorm, minMaxNorm, nonNeg, unitNorm, type Constraint, type MaxNormOptions, type MinMaxNormOptions, type UnitNormOptions } from './constraints.js';

export { maxNorm, minMaxNorm, nonNeg, unitNorm, type Constraint, type ConstraintAxis, type MaxNormOptions, type MinMaxNormOptions, type UnitNormOptions } from './constraints.js';

/** What serializeConstraint writes and getConstraint reads. */
export type ConstraintConfig = KerasObjectConfig;

/** A built-in's name, camelCase or Keras's snake_case (any case at run time: 'MaxNorm'). */
export type ConstraintName = CamelOrSnake<'maxNorm' | 'nonNeg' | 'unitNorm' | 'minMaxNorm'>;

/** Anything getConstraint resolves. */
export type ConstraintId = Constraint | ConstraintName | ConstraintConfig;

const LOOKUP = kerasObjectLookup<Constraint>({
  fn: 'getConstraint',
  what: 'constraint',
  factories: {
    maxnorm: (c) => maxNorm(c as MaxNormOptions),
    nonneg: (c) => (checkOptions('nonNeg', c, {}), nonNeg()),
    unitnorm: (c) => unitNorm(c as UnitNormOptions),
    minmaxnorm: (c) => minMaxNorm(c as MinMaxNormOptions),
  } satisfies Record<string, KerasFactory<Constraint>>,
  expected: `'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or Keras's 'MaxNorm', 'max_norm', ...), {className, config}, or an object with className, apply and getConfig`,
});

/**
 * A Constraint is returned as it is; a name gets Keras's defaults ('maxNorm' is maxNorm({maxValue:
 * 2, axis: 0})); {className, config} (serializeConstraint's output) rebuilds one.
 */
export function getConstraint(id: ConstraintId): Constraint {
  return LOOKUP.get(id);
}

/** {className, config}: plain JSON that getConstraint turns back into an equal constraint. */
export function serializeConstraint(c: Constraint): ConstraintConfig {
  return LOOKUP.serialize(c);
}
