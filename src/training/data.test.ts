import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ShapeError, ValueError } from '../core/errors.js';
import { Generator } from '../core/random.js';
import { DataSet, epochOrder, numBatches } from './data.js';
import { hostSampleWeights } from './weights.js';

describe('DataSet.from', () => {
  it('accepts a tensor, {data, shape} and nested arrays for one input', () => {
    const t = hb.tensor([[1, 2], [3, 4]]);
    const a = DataSet.from('fit', 'x', t, ['in']);
    assert.equal(a.tensors[0], t); // used as is
    const b = DataSet.from('fit', 'x', { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] }, ['in']);
    assert.deepEqual(b.tensors[0]?.shape, [3, 2]);
    const c = DataSet.from('fit', 'y', { data: new Int32Array([0, 2, 1]), shape: [3] }, ['out']);
    assert.equal(c.tensors[0]?.dtype, 'int32');
    const u8 = DataSet.from('fit', 'y', { data: new Uint8Array([0, 9, 255]), shape: [3] }, ['out']);
    assert.equal(u8.tensors[0]?.dtype, 'float32');
    assert.deepEqual(Array.from(u8.tensors[0]!.dataSync()), [0, 9, 255]);
    u8.dispose();
        const d = DataSet.from('fit', 'x', [[1], [2], [3]], ['in']);
    assert.deepEqual(d.tensors[0]?.arraySync(), [[1], [2], [3]]);
    for (const s of [a, b, c, d]) s.dispose();
    assert.equal(t.isDisposed, false);
    t.dispose();
  });
  it('takes several inputs as an array in order or an object keyed by name', () => {
    const arr = DataSet.from('fit', 'x', [[[1, 2]], { data: [5], shape: [1, 1] }], ['wide', 'deep']);
    assert.deepEqual(arr.tensors.map((t) => t.shape), [[1, 2], [1, 1]]);
    const obj = DataSet.from('fit', 'x', { deep: [[5]], wide: [[1, 2]] }, ['wide', 'deep']);
    assert.deepEqual(obj.tensors.map((t) => t.shape), [[1, 2], [1, 1]]);
    arr.dispose();
    obj.dispose();
  });
  it('names the argument in errors', () => {
    assert.throws(() => DataSet.from('fit', 'x', [[1, 2]], ['wide', 'deep']), (e: unknown) => e instanceof ValueError && /fit: x must hold 2 arrays/.test(e.message));
    assert.throws(() => DataSet.from('fit', 'x', { wide: [[1]] }, ['wide', 'deep']), /x lacks "deep"/);
    assert.throws(() => DataSet.from('fit', 'x', { wide: [[1]], deep: [[1]], wrong: [[1]] }, ['wide', 'deep']), /unknown keys \[wrong\]/);
    assert.throws(() => DataSet.from('fit', 'x', { data: new Float32Array(5), shape: [2, 3] }, ['in']), (e: unknown) => e instanceof ShapeError && /needs 6 values, received 5/.test(e.message));
  });
  it('several arrays for a one-input model is an error naming the input', () => {
    hb.scope(() => assert.throws(() => DataSet.from('fit', 'x', [hb.zeros([2, 1]), hb.zeros([2, 1])], ['in']), /fit: the model has one input \(in\); x holds 2 arrays/));
  });
    it('finds NaN on the host and says where', async () => {
    const d = DataSet.from('fit', 'y', { data: new Float32Array([1, 2, 3, NaN, 5, 6]), shape: [3, 2] }, ['out']);
    await assert.rejects(d.checkFinite('fit', 'y'), (e: unknown) => e instanceof ValueError && /y contains NaN at sample 1/.test(e.message));
    d.dispose();
  });
  it('checks a large x in slices and still names the right sample (past a slice boundary)', async () => {
    const data = new Float32Array(3000 * 784);
    data[2000 * 784 + 5] = Infinity; // slices hold floor(2^20 / 784) = 1337 rows
    const d = DataSet.from('fit', 'x', { data, shape: [3000, 784] }, ['in']);
    const before = hb.numTensors();
    await assert.rejects(d.checkFinite('fit', 'x', false), (e: unknown) => e instanceof ValueError && /x contains Infinity at sample 2000 \(flat index 1568005\)/.test(e.message));
    assert.equal(hb.numTensors(), before);
    data[2000 * 784 + 5] = 0;
    const d2 = DataSet.from('fit', 'x', { data, shape: [3000, 784] }, ['in']);
    assert.deepEqual(await d2.checkFinite('fit', 'x', false), []);
    d.dispose();
    d2.dispose();
  });
  it('checks a finite x on the backend: only a scalar comes back; NaN and -Infinity are still found', async () => {
    const data = Float32Array.from({ length: 3000 * 100 }, (_, i) => (i % 7) - 3);
    const be = hb.getBackend();
    let elementsRead = 0;
    let depth = 0; // a backend's read may call its own readSync: count the outer call only
    const read = be.read.bind(be);
    const readSync = be.readSync?.bind(be);
    be.read = async (b) => {
      depth++;
      const p = read(b);
      depth--;
      const v = await p;
      if (depth === 0) elementsRead += v.length;
      return v;
    };
    if (readSync) be.readSync = (b) => {
      depth++;
      const v = readSync(b);
      depth--;
      if (depth === 0) elementsRead += v.length;
      return v;
    };
    try {
      const d = DataSet.from('fit', 'x', { data, shape: [3000, 100] }, ['in']);
      assert.deepEqual(await d.checkFinite('fit', 'x', false), []);
      assert.ok(elementsRead <= 1, `read back ${elementsRead} elements`);
      d.dispose();
    } finally {
      be.read = read;
      if (readSync) be.readSync = readSync;
    }
    for (const [bad, at] of [[NaN, 2999], [-Infinity, 0]] as const) {
      const copy = data.slice();
      copy[at * 100 + 99] = bad;
      const d = DataSet.from('fit', 'x', { data: copy, shape: [3000, 100] }, ['in']);
      await assert.rejects(d.checkFinite('fit', 'x', false), new RegExp(`x contains ${bad} at sample ${at} \\(flat index ${at * 100 + 99}\\)`));
      d.dispose();
    }
  });
  it('checks that the arrays of several inputs have the same length', () => {
    const d = DataSet.from('fit', 'x', [[[1], [2]], [[1]]], ['a', 'b']);
    assert.throws(() => d.checkLengths('fit', 'x'), /x\[0\] has 2, x\[1\] has 1/);
    d.dispose();
  });
});

describe('splits and batches', () => {
  it('validationSplit keeps the LAST fraction, like Keras (int(n·(1−f)) for training)', () => {
    const d = DataSet.from('fit', 'x', { data: Float32Array.from({ length: 10 }, (_, i) => i), shape: [10, 1] }, ['in']);
    const { train, val } = d.splitLast('fit', 0.25);
    assert.deepEqual(Array.from(train.tensors[0]!.dataSync()), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(val.tensors[0]!.dataSync()), [7, 8, 9]);
    const before = hb.numTensors();
    train.dispose();
    val.dispose();
    assert.equal(hb.numTensors(), before - 2);
    d.dispose();
  });
  it('shuffled epochs are permutations that differ between epochs', () => {
    const g = new Generator(1);
    const a = epochOrder(100, true, g)!;
    const b = epochOrder(100, true, g)!;
    assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
    assert.notDeepEqual(Array.from(a), Array.from(b));
    assert.equal(epochOrder(5, false, null), null);
    assert.equal(numBatches(55000, 32), 1719);
  });
  it('take gathers rows in the given order', () => {
    const d = DataSet.from('fit', 'x', [[0], [10], [20], [30]], ['in']);
    hb.scope(() => {
      const idx = hb.tensor(new Int32Array([3, 0, 2]));
      assert.deepEqual(d.take(idx)[0]!.arraySync(), [[30], [0], [20]]);
    });
    d.dispose();
  });
});

describe('sample weights', () => {
  it('multiplies sampleWeight by classWeight[label]; sparse and one-hot labels', async () => {
    const sparse = await hostSampleWeights('fit', 3, [1, 2, 3], { 0: 0.5, 2: 10 }, [{ host: new Int32Array([0, 1, 2]), shape: [3] }]);
    assert.deepEqual(Array.from(sparse!), [0.5, 2, 30]);
    const oneHot = await hostSampleWeights('fit', 2, undefined, { 1: 4 }, [{ host: new Float32Array([0, 1, 1, 0]), shape: [2, 2] }]);
    assert.deepEqual(Array.from(oneHot!), [4, 1]);
    assert.equal(await hostSampleWeights('fit', 2, undefined, undefined, []), null);
    await assert.rejects(hostSampleWeights('fit', 3, [1, 2], undefined, []), /sampleWeight must hold one weight per sample \(shape \[3\]\)/);
  });
});
