import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertThrowsWith } from '../../test/helpers.js';

const values = (ts: readonly hb.Tensor[]): number[][] => ts.map((t) => Array.from(t.dataSync()));

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
    assert.deepEqual(values(m.getWeights()), values(d.getWeights()));
    hb.dispose([...before, k, b]);
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

  it('refuses an inexact conversion, naming the weight and the element, and changes no weight', () => {
    const n = builtNormalization();
    n.setWeights([hb.tensor([1, 2]), hb.tensor([4, 9]), hb.scalar(3)]);
    const bad = [hb.tensor([10, 20]), hb.tensor([30, 40]), hb.scalar(2.5)];
    assertThrowsWith(() => n.setWeights(bad), hb.DTypeError, 'setWeights', '"normalization', '/count"', 'int32', 'float32', 'element 0 (2.5)');
    assertThrowsWith(() => n.setWeights([bad[0]!, bad[1]!, hb.scalar(2 ** 31)]), hb.DTypeError, 'element 0 (2147483648)');
    assert.deepEqual(values(n.weights), [[1, 2], [4, 9], [3]]);
    // float64 digits that float32 cannot hold are refused too.
    assertThrowsWith(() => n.setWeights([hb.tensor([1 / 3, 0], [2], 'float64'), bad[1]!, hb.scalar(1)]), hb.DTypeError, 'element 0 (0.3333333333333333)');
    assert.deepEqual(values(n.weights), [[1, 2], [4, 9], [3]]);
    hb.dispose(bad);
    n.dispose();
  });

  it('checks count, shape, type and liveness of every value before assigning any', () => {
    const d = hb.layers.dense({ units: 2, name: 'd' });
    d.ensureBuilt([null, 1]);
    const saved = values(d.weights);
    const k = hb.tensor([[1, 2]]);
    const dead = hb.tensor([1, 2]);
    dead.dispose();
    assertThrowsWith(() => d.setWeights([k]), hb.ValueError, 'setWeights', 'Dense "d" has 2 weights, received 1');
    assertThrowsWith(() => d.setWeights([k, hb.tensor([1, 2, 3])]), hb.ShapeError, 'weight "d/bias" has shape [2], received [3]');
    assertThrowsWith(() => d.setWeights([k, dead]), hb.DisposedError, 'setWeights', '"d/bias"');
    // A JavaScript caller passing plain arrays gets a clear error, not a crash in assign.
    assertThrowsWith(() => Reflect.apply(d.setWeights, d, [[k, [1, 2]]]), hb.ValueError, 'expects a Tensor for weight "d/bias" (index 1), received object');
    assert.deepEqual(values(d.weights), saved);
    k.dispose();
    d.dispose();
  });
});
