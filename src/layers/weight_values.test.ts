/**
 * setWeights is all or nothing: every value is checked (count, shape, dtype, convertibility)
 * before the first weight is assigned. Nested arrays are accepted, converted like hb.tensor.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { dense, input, normalization } from './index.js';
import { sequential } from '../models/sequential.js';
import { assertThrowsExact } from '../../test/helpers.js';

function twoLayers(): hb.Sequential {
  return sequential([input({ shape: [2] }), dense({ units: 2, name: 'h' }), dense({ units: 1, name: 'o' })], { name: 'net' });
}

const values = (m: hb.Model): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('setWeights', () => {
  it('a bad fourth value leaves the first three weights unchanged (and leaks nothing)', () => {
    const m = twoLayers();
    const before = values(m);
    const good = [hb.tensor([[1, 2], [3, 4]]), hb.tensor([5, 6]), hb.tensor([[7], [8]])];
    const wrongShape = hb.tensor([1, 2]);
    const wrongDtype = hb.tensor([1], undefined, 'int32');
    const dead = hb.tensor([1]);
    dead.dispose();
    const n0 = hb.numTensors();
    assertThrowsExact(() => m.setWeights([...good, wrongShape]), ShapeError, 'setWeights: weight 3 ("o/bias") has shape [1], received [2]');
    assertThrowsExact(() => m.setWeights([...good, wrongDtype]), DTypeError, 'setWeights: weight 3 ("o/bias") has dtype float32, received int32');
    assertThrowsExact(() => m.setWeights([...good, [[1, 2], [3]]]), ShapeError, 'setWeights: weight 3 ("o/bias"): tensor: ragged nested array at values[1]: expected 2 entries, received 1');
    // Nested arrays converted for the first values are freed when a later one fails.
    assertThrowsExact(() => m.setWeights([[[1, 2], [3, 4]], [5, 6], [[7], [8]], [1, 2]]), ShapeError, 'setWeights: weight 3 ("o/bias") has shape [1], received [2]');
    const text: unknown = 'x'; // what a JavaScript caller might pass
    assertThrowsExact(() => m.setWeights([...good, text as hb.Tensor]), ValueError, 'setWeights: weight 3 ("o/bias"): expected a Tensor or a nested array, received string');
    assertThrowsExact(() => m.setWeights([...good, [0], [0]]), ValueError, 'setWeights: model "net" has 4 weights, received 5');
    assert.throws(() => m.setWeights([...good, dead]), hb.DisposedError);
    assert.equal(hb.numTensors(), n0);
    assert.deepEqual(values(m), before);
    hb.dispose([...good, wrongShape, wrongDtype]);
  });

  it('accepts nested arrays (as hb.tensor converts them) mixed with Tensors', () => {
    const m = twoLayers();
    m.setWeights([[[1, 2], [3, 4]], [0.5, -0.5], hb.tensor([[1], [-1]]), [0.25]]);
    assert.deepEqual(values(m), [[1, 2, 3, 4], [0.5, -0.5], [1, -1], [0.25]]);
    // y = relu-free linear stack: [1, 1]·[[1,2],[3,4]] + [0.5, -0.5] = [4.5, 5.5]; · [1, -1] + 0.25 = -0.75
    assert.deepEqual(Array.from((m.apply(hb.tensor([[1, 1]])) as hb.Tensor).dataSync()), [-0.75]);
  });

  it('an integer weight takes integers only (nothing is rounded silently)', () => {
    const norm = normalization({ name: 'nz' });
    const m = sequential([input({ shape: [2] }), norm], { name: 'with_count' });
    assertThrowsExact(() => m.setWeights([[0, 0], [1, 1], 2.5]), DTypeError, 'setWeights: weight 2 ("nz/count") has dtype int32, received a non-integer at (the value)');
    m.setWeights([[1, 2], [4, 9], 7]);
    assert.deepEqual(values(m), [[1, 2], [4, 9], [7]]);
  });
});
