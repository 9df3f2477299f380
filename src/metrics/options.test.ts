/** Metric options: unknown names rejected, naming the metric and the closest valid one. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as metrics from './index.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;
const isMetric = (v: unknown): v is hb.Metric => typeof v === 'object' && v !== null && 'update' in v && 'result' in v;

describe('metric options', () => {
  it('every metric factory rejects an unknown option', () => {
    const factories = Object.entries(metrics).filter(([, f]) => {
      if (typeof f !== 'function') return false;
      try {
        return isMetric((f as () => unknown)());
      } catch {
        return false;
      }
    });
    assert.ok(factories.length >= 7, factories.map(([k]) => k).join(', '));
    for (const [name, f] of factories) assertThrowsWith(() => (f as (o: unknown) => unknown)({ bogusOption: 1 }), hb.ValueError, `${name}: unknown option "bogusOption"`, 'name');
  });

  it('names the option and the closest valid one', () => {
    assertThrowsExact(() => metrics.binaryAccuracy(loose({ treshold: 0.3 })), hb.ValueError, 'binaryAccuracy: unknown option "treshold"; did you mean "threshold"?');
    assertThrowsExact(() => metrics.accuracy(loose({ kinds: 'binary' })), hb.ValueError, 'accuracy: unknown option "kinds"; did you mean "kind"?');
    assertThrowsExact(() => metrics.binaryAccuracy({ threshold: loose('0.3') }), hb.ValueError, 'binaryAccuracy: threshold must be a finite number, received "0.3" (a string)');
    assert.equal(metrics.meanAbsoluteError({ name: 'mae_x' }).name, 'mae_x');
    assert.equal(metrics.accuracy({ kind: 'binary' }).kind, 'binary');
  });
});
