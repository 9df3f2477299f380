import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import * as hb from '../index.js';
import { assertTensor, assertNoLeak, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

describe('Tensor', () => {
  it('exposes shape, dtype, size, rank and immutable shape arrays', () => {
    assertNoLeak(() => {
      const t = hb.tensor([[1, 2, 3], [4, 5, 6]]);
      assert.deepEqual([...t.shape], [2, 3]);
      assert.equal(t.size, 6);
      assert.equal(t.rank, 2);
      assert.equal(t.dtype, 'float32');
      assert.ok(Object.isFrozen(t.shape));
      assert.equal(hb.scalar(1).rank, 0);
    });
  });

  it('reads values back: dataSync, data, arraySync, array, item', async () => {
    const t = hb.tensor([[1, 2], [3, 4]], undefined, 'int32');
    assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3, 4]);
    assert.ok(t.dataSync() instanceof Int32Array);
    assert.deepEqual(Array.from(await t.data()), [1, 2, 3, 4]);
    assert.deepEqual(t.arraySync(), [[1, 2], [3, 4]]);
    assert.deepEqual(await t.array(), [[1, 2], [3, 4]]);
    // reading a transposed view gives its own row-major order, and frees the temporary copy
    const b0 = hb.numBuffers();
    const tt = hb.transpose(t);
    assert.deepEqual(tt.arraySync(), [[1, 3], [2, 4]]);
    assert.deepEqual(Array.from(await tt.data()), [1, 3, 2, 4]);
    assert.equal(hb.numBuffers(), b0);
    assert.equal(hb.scalar(2.5).item(), 2.5);
    assertThrowsExact(() => t.item(), hb.ShapeError, 'item: expected a tensor with one element, received shape [2, 2]');
    // the returned array is a copy: writing to it does not change the tensor
    const d = t.dataSync();
    d[0] = 100;
    assert.equal(t.dataSync()[0], 1);
    hb.dispose([t, tt]);
  });

  it('dispose is idempotent; using a disposed tensor is a DisposedError naming the op and argument', () => {
    const t = hb.tensor([1, 2]);
    const id = t.id;
    const b0 = hb.numBuffers();
    t.dispose();
    t.dispose();
    assert.equal(t.isDisposed, true);
    assert.equal(hb.numBuffers(), b0 - 1);
    assertThrowsExact(() => t.dataSync(), hb.DisposedError, `dataSync: tensor ${id} of shape [2] was already disposed`);
    assertThrowsExact(() => hb.add(hb.scalar(1), t), hb.DisposedError, `add: argument b: tensor ${id} of shape [2] was already disposed`);
    assertThrowsWith(() => hb.matmul(t, t), hb.DisposedError, 'matmul', 'argument a', 'already disposed');
    assertThrowsWith(() => hb.reshape(t, [2]), hb.DisposedError, 'reshape', 'already disposed');
    assertThrowsWith(() => hb.sum(t), hb.DisposedError, 'sum', 'already disposed');
    assertThrowsWith(() => hb.valueAndGrad(() => t, [t]), hb.DisposedError, 'valueAndGrad', 'already disposed');
  });

  it('a view keeps the storage alive after its base is disposed; the buffer goes with the last view', () => {
    const b0 = hb.numBuffers();
    const base = hb.tensor([1, 2, 3, 4], [2, 2]);
    const v1 = hb.transpose(base);
    const v2 = hb.slice(base, [1], [1]);
    base.dispose();
    assertTensor(v1, [2, 2], [1, 3, 2, 4]);
    v1.dispose();
    assertTensor(v2, [1, 2], [3, 4]);
    assert.equal(hb.numBuffers(), b0 + 1);
    v2.dispose();
    assert.equal(hb.numBuffers(), b0);
  });
});

describe('printing: toString and util.inspect (console.log)', () => {
  it('show dtype, shape and the values, NumPy-style', () => {
    assertNoLeak(() => {
      assert.equal(String(hb.tensor([1, 2.5, -3])), 'Tensor(float32, shape=[3]) [  1, 2.5,  -3]');
      assert.equal(inspect(hb.scalar(0.1)), 'Tensor(float32, shape=[]) 0.1');
      assert.equal(inspect(hb.tensor([[1, 2], [3, 40]], undefined, 'int32')), 'Tensor(int32, shape=[2, 2])\n[[ 1,  2],\n [ 3, 40]]');
      assert.equal(inspect(hb.tensor([true, false], undefined, 'bool')), 'Tensor(bool, shape=[2]) [ true, false]');
      // Nested in other values too, as console.log({loss}) prints it.
      assert.equal(inspect({ t: hb.tensor([1]) }), '{ t: Tensor(float32, shape=[1]) [1] }');
    });
  });

  it('a Variable shows its name; a disposed tensor says so instead of throwing', () => {
    const v = hb.variable(hb.tensor([[1, 2]]), { name: 'dense/kernel' });
    assert.equal(inspect(v), 'Variable("dense/kernel", float32, shape=[1, 2])\n[[1, 2]]');
    v.dispose();
    assert.equal(inspect(v), 'Variable("dense/kernel", float32, shape=[1, 2], disposed)');
    const t = hb.tensor([1, 2]);
    t.dispose();
    assert.equal(String(t), 'Tensor(float32, shape=[2], disposed)');
  });

  it('a backend without synchronous reads gives dtype and shape only', () => {
    const t = hb.tensor([1, 2]);
    const be = t.storage.backend;
    const readSync = be.readSync;
    be.readSync = undefined;
    try {
      assert.equal(inspect(t), `Tensor(float32, shape=[2], on backend "${be.name}": read the values with await data())`);
    } finally {
      be.readSync = readSync;
      t.dispose();
    }
  });

  it('printing leaves no tensor or buffer behind, for views too', () => {
    const t = hb.tensor([[1, 2], [3, 4]]);
    const tt = hb.transpose(t);
    const [n, b] = [hb.numTensors(), hb.numBuffers()];
    assert.equal(String(tt), 'Tensor(float32, shape=[2, 2])\n[[1, 3],\n [2, 4]]');
    assert.deepEqual([hb.numTensors(), hb.numBuffers()], [n, b]);
    hb.dispose([t, tt]);
  });
});

describe('Variable', () => {
  it('assign replaces the value; tensors computed from the old value keep it; no buffer leaks', () => {
    const b0 = hb.numBuffers();
    const t0 = hb.numTensors();
    const v = hb.scope(() => hb.variable(hb.tensor([1, 2])));
    const m = hb.scope(() => hb.variable(hb.zeros([2, 2])));
    hb.scope(() => {
      const old = hb.mul(v, 1);
      const view = hb.reshape(v, [2, 1]);
      v.assign(hb.tensor([5, 6]));
      assertTensor(v, [2], [5, 6]);
      assertTensor(old, [2], [1, 2]);
      assertTensor(view, [2, 1], [1, 2]);
      // assigning a transposed view materialises it
      m.assign(hb.transpose(hb.tensor([[1, 2], [3, 4]])));
      assertTensor(m, [2, 2], [1, 3, 2, 4]);
    });
    assert.equal(hb.numBuffers(), b0 + 2, 'only the two variables\' current values stay');
    assert.equal(hb.numTensors(), t0 + 2);
    v.dispose();
    m.dispose();
    assert.equal(hb.numBuffers(), b0);
    assert.equal(hb.numTensors(), t0);
  });

  it('assign rejects another shape or dtype, naming the variable', () => {
    const v = hb.variable(hb.zeros([2, 3]), { name: 'dense/kernel' });
    assertThrowsExact(() => v.assign(hb.zeros([3, 2])), hb.ShapeError,
      'assign: variable "dense/kernel" has shape [2, 3], received a value of shape [3, 2]');
    assertThrowsExact(() => v.assign(hb.zeros([2, 3], 'float64')), hb.DTypeError,
      'assign: variable "dense/kernel" has dtype float32, received float64');
    const t = hb.zeros([2, 3]);
    t.dispose();
    assertThrowsWith(() => v.assign(t), hb.DisposedError, 'assign to "dense/kernel"', 'already disposed');
    v.dispose();
    assertThrowsWith(() => v.assign(hb.zeros([2, 3])), hb.DisposedError, 'assign to "dense/kernel"');
  });

  it('cannot be made from a disposed tensor', () => {
    const t = hb.zeros([2]);
    t.dispose();
    assertThrowsWith(() => hb.variable(t), hb.DisposedError, 'variable: initial value', 'already disposed');
  });

  it('is never disposed by a scope', () => {
    let v: hb.Variable | null = null;
    hb.scope(() => {
      v = hb.variable(hb.ones([2]));
    });
    assert.equal(v!.isDisposed, false);
    hb.scope(() => v!.assign(hb.mul(v!, 3)));
    assertTensor(v!, [2], [3, 3]);
    v!.dispose();
  });
});
