/** Initializer options, and {className, config} read through the same checks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as initializers from './index.js';
import { getInitializer } from './index.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;
/** Initializers without options (Keras's Zeros and Ones take none). */
const NO_OPTIONS = new Set(['zeros', 'ones']);

const isInitializer = (v: unknown): v is hb.Initializer => typeof v === 'object' && v !== null && 'apply' in v && 'className' in v;

describe('initializer options', () => {
  it('every initializer factory with options rejects an unknown one', () => {
    const factories = Object.entries(initializers).filter(([k, f]) => {
      if (typeof f !== 'function' || NO_OPTIONS.has(k)) return false;
      try {
        return isInitializer((f as () => unknown)());
      } catch {
        return false;
      }
    });
    assert.ok(factories.length >= 13, factories.map(([k]) => k).join(', '));
    for (const [name, f] of factories) {
      assertThrowsWith(() => (f as (o: unknown) => unknown)({ bogusOption: 1 }), hb.ValueError, `${name}: unknown option "bogusOption"`);
    }
  });

  it('names the option and the closest valid one', () => {
    assertThrowsExact(() => initializers.randomNormal(loose({ stdev: 1 })), hb.ValueError, 'randomNormal: unknown option "stdev"; did you mean "stddev"?');
    assertThrowsExact(() => initializers.randomUniform(loose({ min_val: -1 })), hb.ValueError, 'randomUniform: unknown option "min_val"; did you mean "minval"?');
    assertThrowsExact(() => initializers.glorotUniform(loose({ sed: 1 })), hb.ValueError, 'glorotUniform: unknown option "sed"; did you mean "seed"?');
    assertThrowsExact(() => initializers.varianceScaling(loose({ scale: 2, mod: 'fanIn' })), hb.ValueError, 'varianceScaling: unknown option "mod"; did you mean "mode"?');
  });

  it('a config is read like options: a misspelt key or a wrong value is an error, not a default', () => {
    assertThrowsExact(() => getInitializer({ className: 'RandomNormal', config: { stdev: 2 } }), hb.ValueError, 'randomNormal: unknown option "stdev"; did you mean "stddev"?');
    assertThrowsExact(() => getInitializer({ className: 'Zeros', config: { value: 1 } }), hb.ValueError, 'zeros: unknown option "value"; valid options: none');
    assertThrowsExact(() => getInitializer({ className: 'Constant', config: { value: '2' } }), hb.ValueError, 'constant: value must be a finite number, received "2" (a string)');
    const init = getInitializer({ className: 'RandomNormal', config: { mean: 1, stddev: 2, seed: 5 } });
    assert.deepEqual(init.getConfig(), { mean: 1, stddev: 2, seed: 5 });
    // What serializeInitializer writes comes back.
    for (const i of [initializers.glorotUniform({ seed: 1 }), initializers.varianceScaling({ scale: 2, mode: 'fanOut' }), initializers.orthogonal({ gain: 2 }), initializers.identity(), initializers.constant({ value: 3 }), initializers.zeros()]) {
      assert.deepEqual(getInitializer(initializers.serializeInitializer(i)).getConfig(), i.getConfig());
    }
  });

  it('shows received values as given', () => {
    assertThrowsExact(() => initializers.randomNormal({ seed: 1.5 }), hb.ValueError, 'randomNormal: seed must be a safe integer, received 1.5');
    assertThrowsExact(() => initializers.varianceScaling({ mode: loose('fan') }), hb.ValueError, "varianceScaling: mode must be 'fanIn', 'fanOut' or 'fanAvg', received \"fan\" (a string)");
  });
});
