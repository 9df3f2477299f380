/**
 * The helpers of examples/transfer/: flags, subsets, weight snapshots, statistics and the
 * image rotation of the auxiliary task, checked against values worked by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorReduction, meanStd, parseFlags, pickRows, rowsOfClasses, sameWeights, seedList } from '../../examples/transfer/common.js';
import { rotateImages, rotationTask } from '../../examples/transfer/rotation_pretraining.js';

describe('transfer examples: helpers', () => {
  it('parseFlags reads --kebab-case flags into camelCase numbers and refuses bad ones', () => {
    const d = { seeds: 5, trainA: 20000, fineTuneLearningRate: 0.001 };
    assert.deepEqual(parseFlags([], d, ''), d);
    assert.deepEqual(parseFlags(['--seeds', '3', '--train-a=400', '--fine-tune-learning-rate', '1e-4'], d, ''), { seeds: 3, trainA: 400, fineTuneLearningRate: 1e-4 });
    assert.throws(() => parseFlags(['--sedes', '3'], d, ''), /sedes/);
    assert.throws(() => parseFlags(['--seeds', 'five'], d, ''), /--seeds: expected a number, received "five"/);
    assert.throws(() => parseFlags(['--seeds', ''], d, ''), /--seeds/);
  });

  it('meanStd is the mean and the sample standard deviation; errorReduction the relative drop in error', () => {
    const s = meanStd([1, 2, 3, 4]);
    assert.equal(s.mean, 2.5);
    assert.ok(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-15); // squares 2.25 + 0.25 + 0.25 + 2.25 = 5, over n − 1 = 3
    assert.deepEqual(meanStd([0.7]), { mean: 0.7, std: 0 });
    assert.ok(Math.abs(errorReduction(0.9, 0.95) - 0.5) < 1e-12); // error 0.10 → 0.05
    assert.ok(Math.abs(errorReduction(0.9, 0.8) + 1) < 1e-12); // error doubled: −100%
    assert.deepEqual(seedList(3), [42, 43, 44]);
    assert.deepEqual(seedList(2, 7), [7, 8]);
  });

  it('pickRows copies and scales the chosen rows; rowsOfClasses keeps file order and the limit', () => {
    const x = { data: Uint8Array.from([0, 255, 51, 102, 10, 20]), shape: [3, 2] };
    const p = pickRows(x, [2, 0]);
    assert.deepEqual(p.shape, [2, 2]);
    assert.deepEqual(Array.from(p.data), [10 / 255, 20 / 255, 0, 1].map(Math.fround));
    const y = { data: [5, 1, 6, 5, 0, 6] };
    assert.deepEqual(rowsOfClasses(y, [5, 6]), [0, 2, 3, 5]);
    assert.deepEqual(rowsOfClasses(y, [6, 5], 3), [0, 2, 3]);
  });

  it('sameWeights is exact equality of every value', () => {
    const a = [[Float32Array.from([1, 2]), Float32Array.from([3])], []];
    assert.ok(sameWeights(a, [[Float32Array.from([1, 2]), Float32Array.from([3])], []]));
    assert.ok(!sameWeights(a, [[Float32Array.from([1, 2]), Float32Array.from([3 + 2 ** -20])], []]));
    assert.ok(!sameWeights(a, [[Float32Array.from([1, 2])], []]));
    assert.ok(!sameWeights([[Float32Array.from([Number.NaN])]], [[Float32Array.from([Number.NaN])]]));
  });

  it('rotateImages turns counterclockwise as np.rot90', () => {
    // np.rot90([[1,2,3],[4,5,6],[7,8,9]], k) for k = 1, 2, 3, written out by hand.
    const img = { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), shape: [1, 3, 3] };
    const turned = (k: number): number[] => Array.from(rotateImages(img, () => k).data);
    assert.deepEqual(turned(0), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(turned(1), [3, 6, 9, 2, 5, 8, 1, 4, 7]);
    assert.deepEqual(turned(2), [9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(turned(3), [7, 4, 1, 8, 5, 2, 9, 6, 3]);
    assert.deepEqual(turned(5), turned(1));
    assert.throws(() => rotateImages({ data: new Float32Array(6), shape: [1, 2, 3] }, () => 1), /square/);
  });

  it('rotationTask turns image i by i mod 4 and labels it so', () => {
    const data = new Float32Array(5 * 4);
    for (let i = 0; i < 5; i++) data[i * 4] = i + 1; // each 2×2 image: its number in the top-left corner
    const t = rotationTask({ data, shape: [5, 2, 2] });
    assert.deepEqual(Array.from(t.y.data), [0, 1, 2, 3, 0]);
    // Counterclockwise, the top-left corner goes to bottom-left (1 turn), bottom-right (2), top-right (3).
    const corner = [0, 2, 3, 1, 0];
    for (let i = 0; i < 5; i++) assert.equal(t.x.data[i * 4 + (corner[i] as number)], i + 1, `image ${i}`);
  });
});
