/**
 * The real files in ../shared/datasets (found through the ../shared/datasets rule).
 * Reference values: labels and class counts from the datasets README; pixel sums computed
 * independently with `zcat FILE | tail -c +17 | head -c 784 | od -An -v -tu1 | awk` (sum).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { FASHION_MNIST, MNIST, loadFashionMnist, loadMnist, resolveFile, sliceRows, toTensor } from './index.js';
import { sum } from '../../ops/reduce.js';

function pixelSum(a: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] as number;
  return s;
}

function classCounts(y: Uint8Array): number[] {
  const c = new Array<number>(10).fill(0);
  for (const v of y) c[v] = (c[v] as number) + 1;
  return c;
}

describe('loadFashionMnist', () => {
  it('matches the published counts, labels and independently computed pixel sums', async () => {
    const d = await loadFashionMnist();
    assert.deepEqual(d.xTrain.shape, [60000, 28, 28]);
    assert.deepEqual(d.yTrain.shape, [60000]);
    assert.deepEqual(d.xTest.shape, [10000, 28, 28]);
    assert.deepEqual(d.yTest.shape, [10000]);
    assert.deepEqual([...d.yTrain.data.subarray(0, 10)], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    assert.deepEqual([...d.yTest.data.subarray(0, 10)], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    assert.deepEqual([...d.yTrain.data.subarray(59997)], [3, 0, 5]);
    assert.deepEqual([...d.yTest.data.subarray(9997)], [8, 1, 5]);
    assert.deepEqual(classCounts(d.yTrain.data), new Array(10).fill(6000));
    assert.deepEqual(classCounts(d.yTest.data), new Array(10).fill(1000));
    assert.equal(pixelSum(d.xTrain.data, 0, 784), 76247);
    assert.equal(pixelSum(d.xTrain.data, 59999 * 784, 60000 * 784), 16684);
    assert.equal(pixelSum(d.xTest.data, 0, 784), 33456);
    assert.equal(pixelSum(d.xTest.data, 0, 10000 * 784), 573469082);
    // README: mean pixel 0.2860 (train) on a 0-1 scale
    assert.equal((pixelSum(d.xTrain.data, 0, 60000 * 784) / (60000 * 784 * 255)).toFixed(4), '0.2860');
    assert.equal(d.classNames[9], 'Ankle boot');
  });

  it('gives hebb tensors, leaving the /255 scaling to the user', async () => {
    const d = await loadFashionMnist();
    const x = toTensor(sliceRows(d.xTest, 0, 1));
    assert.deepEqual(x.shape, [1, 28, 28]);
    assert.equal(x.dtype, 'float32');
    assert.equal(sum(x).item(), 33456);
    const y = toTensor(sliceRows(d.yTest, 0, 3), 'int32');
    assert.deepEqual(y.arraySync(), [9, 2, 1]);
  });
});

describe('loadMnist', () => {
  it('matches the published counts, labels and independently computed pixel sums', async () => {
    const d = await loadMnist();
    assert.deepEqual(d.xTrain.shape, [60000, 28, 28]);
    assert.deepEqual(d.xTest.shape, [10000, 28, 28]);
    assert.deepEqual([...d.yTrain.data.subarray(0, 5)], [5, 0, 4, 1, 9]);
    assert.deepEqual([...d.yTest.data.subarray(0, 5)], [7, 2, 1, 0, 4]);
    assert.deepEqual(classCounts(d.yTrain.data), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    assert.equal(pixelSum(d.xTrain.data, 0, 784), 27525);
    assert.equal(pixelSum(d.xTrain.data, 59999 * 784, 60000 * 784), 20920);
    assert.equal(pixelSum(d.xTest.data, 0, 784), 18454);
    assert.equal(pixelSum(d.xTest.data, 0, 10000 * 784), 264923200);
    assert.equal((pixelSum(d.xTrain.data, 0, 60000 * 784) / (60000 * 784 * 255)).toFixed(4), '0.1307');
  });
});

describe('download checksums', () => {
  it('the sha256 each download is checked against is that of the official files on disk', async () => {
    for (const set of [FASHION_MNIST, MNIST]) {
      for (const f of [set.trainImages, set.trainLabels, set.testImages, set.testLabels]) {
        const p = await resolveFile(set.source, f, { download: false });
        assert.equal(createHash('sha256').update(await readFile(p)).digest('hex'), f.sha256, p);
      }
    }
  });
});
