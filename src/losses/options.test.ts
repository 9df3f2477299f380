/** Loss options, and loss configs ({name, ...options}) read through the same checks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as losses from './index.js';
import { getLoss } from './index.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;
/** Losses without options. */
const NO_OPTIONS = new Set(['meanSquaredError', 'meanAbsoluteError', 'mse', 'mae']);

const isLoss = (v: unknown): v is hb.Loss => typeof v === 'object' && v !== null && 'perSample' in v && 'name' in v;

describe('loss options', () => {
  it('every loss factory with options rejects an unknown one', () => {
    const factories = Object.entries(losses).filter(([k, f]) => {
      if (typeof f !== 'function' || NO_OPTIONS.has(k)) return false;
      try {
        return isLoss((f as () => unknown)());
      } catch {
        return false;
      }
    });
    assert.deepEqual(factories.map(([k]) => k).sort(), ['binaryCrossentropy', 'categoricalCrossentropy', 'huber', 'sparseCategoricalCrossentropy']);
    for (const [name, f] of factories) assertThrowsWith(() => (f as (o: unknown) => unknown)({ bogusOption: 1 }), hb.ValueError, `${name}: unknown option "bogusOption"`);
  });

  it('names the option and the closest valid one, in options and in configs', () => {
    assertThrowsExact(() => losses.sparseCategoricalCrossentropy(loose({ from_logits: true })), hb.ValueError, 'sparseCategoricalCrossentropy: unknown option "from_logits"; did you mean "fromLogits"?');
    assertThrowsExact(() => losses.binaryCrossentropy(loose({ labelSmooth: 0.1 })), hb.ValueError, 'binaryCrossentropy: unknown option "labelSmooth"; did you mean "labelSmoothing"?');
    assertThrowsExact(() => getLoss({ name: 'binary_crossentropy', from_logits: true }), hb.ValueError, 'binaryCrossentropy: unknown option "from_logits"; did you mean "fromLogits"?');
    assertThrowsExact(() => getLoss({ name: 'mse', delta: 1 }), hb.ValueError, 'mse: unknown option "delta"; valid options: none');
    const l = getLoss({ name: 'huber_loss', delta: 2 });
    assert.deepEqual(l.getConfig(), { name: 'huber_loss', delta: 2 });
    for (const loss of [losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), losses.sparseCategoricalCrossentropy({ fromLogits: true }), losses.huber({ delta: 3 })]) {
      assert.deepEqual(getLoss(loss.getConfig()).getConfig(), loss.getConfig());
    }
  });

  it('checks values and shows them as given', () => {
    assertThrowsExact(() => losses.binaryCrossentropy({ fromLogits: loose('true') }), hb.ValueError, 'binaryCrossentropy: fromLogits must be true or false, received "true" (a string)');
    assertThrowsExact(() => losses.categoricalCrossentropy({ labelSmoothing: loose('0.1') }), hb.ValueError, 'categoricalCrossentropy: labelSmoothing must be in [0, 1], received "0.1" (a string)');
    assertThrowsExact(() => losses.huber({ delta: -1 }), hb.ValueError, 'huber: delta must be a positive finite number, received -1');
  });
});
