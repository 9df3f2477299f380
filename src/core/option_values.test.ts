import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from './errors.js';
import { boolOption, positiveInt } from './option_values.js';
import { assertThrowsExact } from '../../test/helpers.js';

describe('option value checks', () => {
  it('boolOption: true/false pass, absent gives the default, anything else is named', () => {
    assert.equal(boolOption('fit', 'shuffle', true, false), true);
    assert.equal(boolOption('fit', 'shuffle', false, true), false);
    assert.equal(boolOption('fit', 'shuffle', undefined, true), true);
    assertThrowsExact(() => boolOption('Dense "d"', 'useBias', 'no', true), ValueError, 'Dense "d": useBias must be true or false, received "no" (a string)');
    assertThrowsExact(() => boolOption('fit', 'shuffle', 0, true), ValueError, 'fit: shuffle must be true or false, received 0');
    assertThrowsExact(() => boolOption('fit', 'shuffle', null, true), ValueError, 'fit: shuffle must be true or false, received null');
    assertThrowsExact(() => boolOption('fit', 'shuffle', [true], true), ValueError, 'fit: shuffle must be true or false, received [true]');
  });

  it('positiveInt: integers >= 1 pass; 0, fractions, NaN and strings are named', () => {
    assert.equal(positiveInt('fit', 'batchSize', 7), 7);
    assert.equal(positiveInt('fit', 'batchSize', undefined, 32), 32);
    for (const [v, shown] of [[0, '0'], [1.5, '1.5'], [NaN, 'NaN'], [-3, '-3'], ['8', '"8" (a string)'], [undefined, 'undefined']] as const) {
      assertThrowsExact(() => positiveInt('fit', 'batchSize', v), ValueError, `fit: batchSize must be a positive integer, received ${shown}`);
    }
  });
});
