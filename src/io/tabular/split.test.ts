import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../core/errors.js';
import { trainTestSplitIndices } from '../datasets/arrays.js';
import { trainTestSplit } from './split.js';

describe('trainTestSplit', () => {
  it('splits x and y with one permutation, so each row keeps its label', () => {
    const n = 40;
    const x = { data: Float64Array.from({ length: 2 * n }, (_, i) => i), shape: [n, 2] };
    const y = { data: Int32Array.from({ length: n }, (_, i) => 1000 + i), shape: [n] };
    const s = trainTestSplit(x, y, { testSize: 0.25, seed: 9 });
    assert.deepEqual(s.xTest.shape, [10, 2]);
    assert.deepEqual(s.yTrain.shape, [30]);
    for (const [xs, ys] of [[s.xTrain, s.yTrain], [s.xTest, s.yTest]] as const) {
      ys.data.forEach((label, i) => assert.deepEqual([xs.data[2 * i], xs.data[2 * i + 1]], [2 * (label - 1000), 2 * (label - 1000) + 1]));
    }
    assert.deepEqual([...s.trainIndices, ...s.testIndices].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
    assert.throws(() => trainTestSplit(x, { data: new Int32Array(3), shape: [3] }, { testSize: 0.2, seed: 0 }), ShapeError);
  });

  it('stratify keeps each class share in both parts (largest remainders), seeded', () => {
    // 60 / 30 / 10 samples of classes 0 / 1 / 2; 25 % test → 15, 7.5, 2.5 → 15 + 8 + 2 or 15 + 7 + 3
    const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
    const { train, test } = trainTestSplitIndices(100, { testSize: 0.25, seed: 1, stratify: labels });
    assert.equal(test.length, 25);
    assert.equal(train.length, 75);
    const count = (idx: Int32Array, c: number): number => [...idx].filter((i) => labels[i] === c).length;
    assert.equal(count(test, 0), 15);
    // equal remainders (0.5): the larger class wins the last sample
    assert.equal(count(test, 1), 8);
    assert.equal(count(test, 2), 2);
    assert.deepEqual([...train, ...test].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    assert.deepEqual(trainTestSplitIndices(100, { testSize: 0.25, seed: 1, stratify: labels }), { train, test });
    assert.notDeepEqual([...trainTestSplitIndices(100, { testSize: 0.25, seed: 2, stratify: labels }).test], [...test]);
    // the unstratified split is unchanged by the option's existence: the first nTest of one permutation
    assert.equal(trainTestSplitIndices(100, { testSize: 0.25, seed: 1 }).test.length, 25);
    assert.throws(() => trainTestSplitIndices(10, { testSize: 0.2, seed: 0, stratify: [0, 1] }), (e: unknown) => e instanceof ValueError && e.message === 'trainTestSplitIndices: stratify has 2 labels for 10 samples');
  });
});
