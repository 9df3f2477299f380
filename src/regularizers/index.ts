/**
 * Keras regularizers: factories, look-up by name and serialization to {className, config}
 * (Keras's JSON: `{className: 'L2', config: {l2: 0.01}}`).
 */
import { ValueError } from '../core/errors.js';
import { normalizeName } from '../core/names.js';
import { checkOptions } from '../core/options.js';
import { l1, l1l2, l2, type L1L2Options, type Regularizer } from './regularizers.js';

export { l1, l1l2, l2, type L1L2Options, type Regularizer } from './regularizers.js';

/** What serializeRegularizer writes and getRegularizer reads. */
export interface RegularizerConfig {
  className: string;
  config?: Record<string, unknown>;
}

/** A built-in's name: 'l1', 'l2', 'l1l2' or Keras's 'l1_l2' (any case at run time: 'L1L2'). */
export type RegularizerName = 'l1' | 'l2' | 'l1l2' | 'l1_l2';

/** Anything getRegularizer resolves. */
export type RegularizerId = Regularizer | RegularizerName | RegularizerConfig;

type Factory = (c: Record<string, unknown>) => Regularizer;
// A config is read as the same options would be: its keys are checked, then its values.
const FACTORIES: Readonly<Record<string, Factory>> = {
  l1: (c) => (checkOptions('l1', c, { l1: true }), l1(c['l1'] as number | undefined)),
  l2: (c) => (checkOptions('l2', c, { l2: true }), l2(c['l2'] as number | undefined)),
  l1l2: (c) => l1l2(c as L1L2Options),
};

function isRegularizer(x: unknown): x is Regularizer {
  return typeof x === 'object' && x !== null && 'apply' in x && typeof x.apply === 'function' && 'className' in x && typeof x.className === 'string';
}

function factory(name: string): Factory | undefined {
  const k = normalizeName(name);
  return Object.prototype.hasOwnProperty.call(FACTORIES, k) ? FACTORIES[k] : undefined;
}

/**
 * A Regularizer is returned as it is; a name gets Keras's defaults ('l2' is l2(0.01), 'l1l2'
 * has both factors 0); {className, config} (serializeRegularizer's output) rebuilds one.
 */
export function getRegularizer(id: RegularizerId): Regularizer {
  if (isRegularizer(id)) return id;
  if (typeof id === 'string') {
    const make = factory(id);
    if (make) return make({});
  } else if (typeof id === 'object' && id !== null && typeof id.className === 'string') {
    const make = factory(id.className);
    const config = id.config ?? {};
    if (make && typeof config === 'object' && config !== null && !Array.isArray(config)) return make(config);
  }
  throw new ValueError(
    `getRegularizer: unknown regularizer ${JSON.stringify(id) ?? String(id)}; expected 'l1', 'l2', 'l1l2' (or Keras's 'L1', 'L2', 'L1L2', 'l1_l2'), {className, config}, or an object with className, apply and getConfig`,
  );
}

/** {className, config}: plain JSON that getRegularizer turns back into an equal regularizer. */
export function serializeRegularizer(r: Regularizer): RegularizerConfig {
  return { className: r.className, config: r.getConfig() };
}
