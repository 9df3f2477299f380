/**
 * Keras regularizers: factories, look-up by name and serialization to {className, config}
 * (Keras's JSON: `{className: 'L2', config: {l2: 0.01}}`).
 */
import { kerasObjectLookup, type KerasFactory, type KerasObjectConfig } from '../core/keras_objects.js';
import { checkOptions } from '../core/options.js';
import { l1, l1l2, l2, type L1L2Options, type Regularizer } from './regularizers.js';

export { l1, l1l2, l2, type L1L2Options, type Regularizer } from './regularizers.js';

/** What serializeRegularizer writes and getRegularizer reads. */
export type RegularizerConfig = KerasObjectConfig;

/** A built-in's name: 'l1', 'l2', 'l1l2' or Keras's 'l1_l2' (any case at run time: 'L1L2'). */
export type RegularizerName = 'l1' | 'l2' | 'l1l2' | 'l1_l2';

/** Anything getRegularizer resolves. */
export type RegularizerId = Regularizer | RegularizerName | RegularizerConfig;

const LOOKUP = kerasObjectLookup<Regularizer>({
  fn: 'getRegularizer',
  what: 'regularizer',
  // A config is read as the same options would be: its keys are checked, then its values.
  factories: {
    l1: (c) => (checkOptions('l1', c, { l1: true }), l1(c['l1'] as number | undefined)),
    l2: (c) => (checkOptions('l2', c, { l2: true }), l2(c['l2'] as number | undefined)),
    l1l2: (c) => l1l2(c as L1L2Options),
  } satisfies Record<string, KerasFactory<Regularizer>>,
  expected: `'l1', 'l2', 'l1l2' (or Keras's 'L1', 'L2', 'L1L2', 'l1_l2'), {className, config}, or an object with className, apply and getConfig`,
});

/**
 * A Regularizer is returned as it is; a name gets Keras's defaults ('l2' is l2(0.01), 'l1l2'
 * has both factors 0); {className, config} (serializeRegularizer's output) rebuilds one.
 */
export function getRegularizer(id: RegularizerId): Regularizer {
  return LOOKUP.get(id);
}

/** {className, config}: plain JSON that getRegularizer turns back into an equal regularizer. */
export function serializeRegularizer(r: Regularizer): RegularizerConfig {
  return LOOKUP.serialize(r);
}
