/**
 * California housing and iris from ../shared/datasets. References: the datasets README
 * (first row, means from scikit-learn's published describe()), scikit-learn's iris docs
 * (150 samples, 50 per class), and `tail -1` of the CSV for the last row.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { column, loadCaliforniaHousing, loadIris, takeRows, trainTestSplitIndices } from './index.js';
import { parseNumericCsv } from './csv.js';

const mean = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s / a.length;
};

describe('loadCaliforniaHousing', () => {
  it('has 20,640 rows of 8 features and the published first row, last row and means', async () => {
    const d = await loadCaliforniaHousing();
    assert.deepEqual(d.data.shape, [20640, 8]);
    assert.deepEqual(d.target.shape, [20640]);
    assert.deepEqual(d.featureNames, ['MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude']);
    assert.deepEqual([...d.data.data.subarray(0, 8)], [8.3252, 41.0, 6.984126984126984, 1.0238095238095237, 322.0, 2.5555555555555554, 37.88, -122.23]);
    assert.equal(d.target.data[0], 4.526);
    assert.deepEqual([...d.data.data.subarray(20639 * 8)], [2.3886, 16.0, 5.254716981132075, 1.1622641509433962, 1387.0, 2.616981132075472, 39.37, -121.24]);
    assert.equal(d.target.data[20639], 0.894);
    assert.equal(mean(column(d.data, 0).data).toFixed(6), '3.870671');
    assert.equal(mean(d.target.data).toFixed(6), '2.068558');
    let maxOccup = -Infinity;
    for (const v of column(d.data, 5).data) maxOccup = Math.max(maxOccup, v);
    assert.equal(maxOccup.toFixed(6), '1243.333333');
  });
});

describe('loadIris', () => {
  it('has 150 samples, 4 features, 50 per class in file order', async () => {
    const d = await loadIris();
    assert.deepEqual(d.data.shape, [150, 4]);
    assert.deepEqual([...d.data.data.subarray(0, 4)], [5.1, 3.5, 1.4, 0.2]);
    const counts = [0, 0, 0];
    for (const t of d.target.data) counts[t] = (counts[t] as number) + 1;
    assert.deepEqual(counts, [50, 50, 50]);
    assert.equal(d.target.data[0], 0);
    assert.equal(d.target.data[149], 2);
    assert.deepEqual(d.targetNames, ['setosa', 'versicolor', 'virginica']);
  });
});

describe('helpers', () => {
  it('trainTestSplitIndices is a seeded partition with ceil(testSize·n) test rows', () => {
    const { train, test } = trainTestSplitIndices(103, { testSize: 0.2, seed: 42 });
    assert.equal(test.length, 21);
    assert.equal(train.length, 82);
    assert.deepEqual([...train, ...test].sort((a, b) => a - b), Array.from({ length: 103 }, (_, i) => i));
    const again = trainTestSplitIndices(103, { testSize: 0.2, seed: 42 });
    assert.deepEqual([...again.test], [...test]);
    assert.notDeepEqual([...trainTestSplitIndices(103, { testSize: 0.2, seed: 43 }).test], [...test]);
    assert.throws(() => trainTestSplitIndices(10, { testSize: 1.5, seed: 0 }), /testSize must be a fraction in \(0, 1\) or a count/);
  });

  it('takeRows copies rows in order and checks indices', () => {
    const a = { data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] };
    assert.deepEqual([...takeRows(a, [2, 0]).data], [5, 6, 1, 2]);
    assert.throws(() => takeRows(a, [3]), /index 3 at position 0 is out of range for 3 rows/);
  });

  it('the CSV reader rejects ragged rows and wrong headers', () => {
    assert.throws(() => parseNumericCsv('a,b\n1,2\n3\n', 'f.csv'), /f\.csv: line 3 has 1 fields, expected 2/);
    assert.throws(() => parseNumericCsv('a,c\n1,2\n', 'f.csv', ['a', 'b']), /header is "a,c", expected "a,b"/);
    assert.throws(() => parseNumericCsv('a,b\n1,x\n', 'f.csv'), /line 2, column b: "x" is not a finite number/);
  });
});
