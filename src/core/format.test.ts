import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_ITEMS, SUMMARY_THRESHOLD, formatValues } from './format.js';

const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('formatValues', () => {
  it('right-aligns every element to the widest; floats to their precision', () => {
    assert.equal(formatValues([1, -22, 333], [3], 'int32'), '[  1, -22, 333]');
    assert.equal(formatValues([Math.fround(0.1), 1 / 3], [2], 'float32'), '[      0.1, 0.3333333]');
    assert.equal(formatValues([1 / 3], [1], 'float64'), '[0.333333333333333]');
    assert.equal(formatValues([NaN, -Infinity], [2], 'float32'), '[      NaN, -Infinity]');
    assert.equal(formatValues([0, 1], [2], 'bool'), '[false,  true]');
    assert.equal(formatValues([7], [], 'int32'), '7');
    assert.equal(formatValues([], [0], 'float32'), '[]');
  });

  it('puts rows on lines, sets blocks apart with blank lines, and indents under a prefix', () => {
    assert.equal(formatValues(iota(8), [2, 2, 2], 'int32'), '[[[0, 1],\n  [2, 3]],\n\n [[4, 5],\n  [6, 7]]]');
    assert.equal(formatValues(iota(4), [2, 2], 'int32', '    '), '[[0, 1],\n     [2, 3]]');
  });

  it(`abbreviates past ${SUMMARY_THRESHOLD} elements to ${EDGE_ITEMS} at each edge of each long axis`, () => {
    assert.equal(formatValues(iota(SUMMARY_THRESHOLD), [SUMMARY_THRESHOLD], 'int32').split(', ').length, SUMMARY_THRESHOLD);
    assert.equal(formatValues(iota(1001), [1001], 'int32'), '[   0,    1,    2, ...,  998,  999, 1000]');
    // 2 x 501: the short axis is shown whole, the long one abbreviated; widths from shown elements only.
    assert.equal(formatValues(iota(1002), [2, 501], 'int32'), '[[   0,    1,    2, ...,  498,  499,  500],\n [ 501,  502,  503, ...,  999, 1000, 1001]]');
    assert.equal(formatValues(iota(1001 * 2), [1001, 2], 'int32'), '[[   0,    1],\n [   2,    3],\n [   4,    5],\n ...,\n [1996, 1997],\n [1998, 1999],\n [2000, 2001]]');
  });
});
