/**
 * Layer.getWeights / setWeights (Model inherits them). setWeights is all or nothing: every
 * value is checked (count, kind, liveness, shape, dtype and exact convertibility) before the
 * first weight is assigned. Nested arrays are accepted, converted like hb.tensor.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { dense, input, normalization } from './index.js';
import { sequential } from '../models/sequential.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

const values = (ts: readonly hb.Tensor[]): number[][] => ts.map((t) => Array.from(t.dataSync()));
const modelValues = (m: hb.Model): number[][] => {
  const ws = m.getWeights();
  const out = values(ws);
  hb.dispose(ws);
  return out;
};

function twoLayers(): hb.Sequential {
  return sequential([input({ shape: [2] }), dense({ units: 2, name: 'h' }), dense({ units: 1, name: 'o' })], { name: 'net' });
}

/** A built Normalization layer: weights mean [2], variance [2] (float32) and count [] (int32). */
function builtNormalization(): hb.layers.Normalization {
  const n = hb.layers.normalization();
  n.ensureBuilt([null, 2]);
  return n;
}

describe('Layer.getWeights / setWeights', () => {
  it('get copies of the values in `weights` order; set them back; copies stay independent', () => {
    const d = hb.layers.dense({ units: 2, kernelInitializer: 'ones' });
    d.ensureBuilt([null, 3]);
    const before = d.getWeights();
    assert.deepEqual(before.map((t) => t.shape), [[3, 2], [2]]);
    assert.deepEqual(values(before), [[1, 1, 1, 1, 1, 1], [0, 0]]);
    assert.ok(before.every((t, i) => t !== d.weights[i]));
    const k = hb.tensor([[1, 2], [3, 4], [5, 6]]);
    const b = hb.tensor([7, 8]);
    d.setWeights([k, b]);
    assert.deepEqual(values(d.weights), [[1, 2, 3, 4, 5, 6], [7, 8]]);
    assert.deepEqual(values(before), [[1, 1, 1, 1, 1, 1], [0, 0]]);
    // The model's getWeights is its layers' (the same implementation over the model's weights).
    const m = hb.sequential([hb.input({ shape: [3] }), d]);
    assert.deepEqual(modelValues(m), values(d.weights));
    hb.dispose([...before, k, b]);
    m.dispose();
  });

  it('accepts nested arrays (as hb.tensor converts them) mixed with Tensors', () => {
    const m = twoLayers();
    const t = hb.tensor([[1], [-1]]);
    m.setWeights([[[1, 2], [3, 4]], [0.5, -0.5], t, [0.25]]);
    assert.deepEqual(modelValues(m), [[1, 2, 3, 4], [0.5, -0.5], [1, -1], [0.25]]);
    // A linear stack: [1, 1]·[[1,2],[3,4]] + [0.5, -0.5] = [4.5, 5.5]; · [1, -1] + 0.25 = -0.75
    assert.deepEqual(Array.from((m.apply(hb.tensor([[1, 1]])) as hb.Tensor).dataSync()), [-0.75]);
    t.dispose();
    m.dispose();
  });

  it('converts a value to the weight dtype when exact: a float32 3 into the int32 count', () => {
    const n = builtNormalization();
    const [t0, b0] = [hb.numTensors(), hb.numBuffers()];
    const ws = [hb.tensor([1, 2]), hb.tensor([4, 9]), hb.scalar(3)];
    n.setWeights(ws);
    assert.equal(n.weights[2]?.dtype, 'int32');
    assert.deepEqual(values(n.weights), [[1, 2], [4, 9], [3]]);
    // int32 into float32 weights is exact for these values too.
    const ints = [hb.tensor([5, 6], [2], 'int32'), hb.tensor([1, 1], [2], 'int32'), hb.tensor(7, [], 'int32')];
    n.setWeights(ints);
    assert.deepEqual(values(n.weights), [[5, 6], [1, 1], [7]]);
    assert.deepEqual(n.weights.map((w) => w.dtype), ['float32', 'float32', 'int32']);
    hb.dispose([...ws, ...ints]);
    // The converted copies were freed: once the caller's values are gone, only the weights remain.
    assert.deepEqual([hb.numTensors(), hb.numBuffers()], [t0, b0]);
    n.dispose();
  });

  it('refuses an inexact conversion, naming the weight, its index and the element, and changes no weight', () => {
    const n = builtNormalization();
    n.setWeights([hb.tensor([1, 2]), hb.tensor([4, 9]), hb.scalar(3)]);
    const bad = [hb.tensor([10, 20]), hb.tensor([30, 40]), hb.scalar(2.5)];
    assertThrowsWith(() => n.setWeights(bad), hb.DTypeError, 'setWeights: weight 2 ("normalization', '/count")', 'int32', 'float32', 'element 0 (2.5)');
    assertThrowsWith(() => n.setWeights([bad[0]!, bad[1]!, hb.scalar(2 ** 31)]), hb.DTypeError, 'element 0 (2147483648)');
    assert.deepEqual(values(n.weights), [[1, 2], [4, 9], [3]]);
    // float64 digits that float32 cannot hold are refused too.
    assertThrowsWith(() => n.setWeights([hb.tensor([1 / 3, 0], [2], 'float64'), bad[1]!, hb.scalar(1)]), hb.DTypeError, 'element 0 (0.3333333333333333)');
    assert.deepEqual(values(n.weights), [[1, 2], [4, 9], [3]]);
    hb.dispose(bad);
    n.dispose();
  });

  it('an integer weight takes integers only from nested arrays too (nothing is rounded silently)', () => {
    const norm = normalization({ name: 'nz' });
    const m = sequential([input({ shape: [2] }), norm], { name: 'with_count' });
    const n0 = hb.numTensors();
    assertThrowsExact(
      () => m.setWeights([[0, 0], [1, 1], 2.5]),
      DTypeError,
      'setWeights: weight 2 ("nz/count") has dtype int32, received 2.5, which has no exact int32 equivalent (only integers in range convert to int32)',
    );
    assertThrowsExact(
      () => m.setWeights([[0, 0], [1, 1], [2 ** 31]]),
      DTypeError,
      'setWeights: weight 2 ("nz/count") has dtype int32, received a nested array; element [0] (2147483648) has no exact int32 equivalent (only integers in range convert to int32)',
    );
    assert.equal(hb.numTensors(), n0);
    m.setWeights([[1, 2], [4, 9], 7]);
    assert.deepEqual(modelValues(m), [[1, 2], [4, 9], [7]]);
    m.dispose();
  });

  it('checks count, shape, type and liveness of every value before assigning any', () => {
    const d = hb.layers.dense({ units: 2, name: 'd' });
    d.ensureBuilt([null, 1]);
    const saved = values(d.weights);
    const k = hb.tensor([[1, 2]]);
    const b3 = hb.tensor([1, 2, 3]);
    const dead = hb.tensor([1, 2]);
    dead.dispose();
    assertThrowsExact(() => d.setWeights([k]), ValueError, 'setWeights: Dense "d" has 2 weights, received 1');
    assertThrowsExact(() => d.setWeights([k, b3]), ShapeError, 'setWeights: weight 1 ("d/bias") has shape [2], received [3]');
    assertThrowsWith(() => d.setWeights([k, dead]), hb.DisposedError, 'setWeights: weight 1 ("d/bias")');
    // A JavaScript caller passing something that is neither a Tensor nor an array gets a clear error.
    assertThrowsExact(() => Reflect.apply(d.setWeights, d, [[k, 'x']]), ValueError, 'setWeights: weight 1 ("d/bias"): expected a Tensor or a nested array, received "x" (a string)');
    assertThrowsExact(() => Reflect.apply(d.setWeights, d, [k]), ValueError, 'setWeights: Dense "d" expects an array of 2 values (Tensors or nested arrays), received a Tensor of shape [1, 2] (float32)');
    assert.deepEqual(values(d.weights), saved);
    hb.dispose([k, b3]);
    d.dispose();
  });

  it('a bad fourth value leaves the first three weights of a model unchanged (and leaks nothing)', () => {
    const m = twoLayers();
    const before = modelValues(m);
    const good = [hb.tensor([[1, 2], [3, 4]]), hb.tensor([5, 6]), hb.tensor([[7], [8]])];
    const wrongShape = hb.tensor([1, 2]);
    // 2^24 + 1 has no float32 equivalent: the int32 value cannot be converted exactly.
    const inexact = hb.tensor([2 ** 24 + 1], undefined, 'int32');
    const dead = hb.tensor([1]);
    dead.dispose();
    const n0 = hb.numTensors();
    assertThrowsExact(() => m.setWeights([...good, wrongShape]), ShapeError, 'setWeights: weight 3 ("o/bias") has shape [1], received [2]');
    assertThrowsExact(
      () => m.setWeights([...good, inexact]),
      DTypeError,
      'setWeights: weight 3 ("o/bias") has dtype float32, received int32 values; element 0 (16777217) has no exact float32 equivalent',
    );
    assertThrowsExact(() => m.setWeights([...good, [[1, 2], [3]]]), ShapeError, 'setWeights: weight 3 ("o/bias"): tensor: ragged nested array at values[1]: expected 2 entries, received 1');
    // Nested arrays converted for the first values are freed when a later one fails.
    assertThrowsExact(() => m.setWeights([[[1, 2], [3, 4]], [5, 6], [[7], [8]], [1, 2]]), ShapeError, 'setWeights: weight 3 ("o/bias") has shape [1], received [2]');
    const text: unknown = 'x'; // what a JavaScript caller might pass
    assertThrowsExact(() => m.setWeights([...good, text as hb.Tensor]), ValueError, 'setWeights: weight 3 ("o/bias"): expected a Tensor or a nested array, received "x" (a string)');
    assertThrowsExact(() => m.setWeights([...good, [0], [0]]), ValueError, 'setWeights: Sequential "net" has 4 weights, received 5');
    assert.throws(() => m.setWeights([...good, dead]), hb.DisposedError);
    assert.equal(hb.numTensors(), n0);
    assert.deepEqual(modelValues(m), before);
    hb.dispose([...good, wrongShape, inexact]);
    m.dispose();
  });
});
