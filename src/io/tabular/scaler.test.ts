import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../core/errors.js';
import { StandardScaler } from './scaler.js';
import { toCategorical } from './one_hot.js';

const close = (a: ArrayLike<number>, b: readonly number[], tol = 1e-12): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs((a[i] as number) - (b[i] as number)) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

describe('StandardScaler', () => {
  it('learns the population mean and standard deviation of each column from the training rows', () => {
    // columns: [1, 2, 3, 4] (mean 2.5, var 1.25), [10, 10, 10, 10] (constant → scale 1), [1e9+1, 1e9+3, ...]
    const x = { data: Float64Array.from([1, 10, 1e9 + 1, 2, 10, 1e9 + 3, 3, 10, 1e9 + 5, 4, 10, 1e9 + 7]), shape: [4, 3] };
    const s = new StandardScaler().fit(x);
    close(s.mean, [2.5, 10, 1e9 + 4], 1e-6);
    close(s.scale, [Math.sqrt(1.25), 1, Math.sqrt(5)], 1e-9);
    const z = s.transform(x);
    close(z.data.subarray(0, 3), [-1.5 / Math.sqrt(1.25), 0, -3 / Math.sqrt(5)], 1e-9);
    close(s.inverseTransform(z).data, [...x.data], 1e-6);
    // test rows use the training statistics
    close(s.transform({ data: Float64Array.from([2.5, 11, 1e9 + 4]), shape: [1, 3] }).data, [0, 1, 0], 1e-9);
    const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)) as { mean: number[]; scale: number[] });
    close(back.transform(x).data, [...z.data]);
  });

  it('errors: unfitted, wrong width, not 2-D, a bad saved state', () => {
    assert.throws(() => new StandardScaler().transform({ data: new Float64Array(2), shape: [1, 2] }), (e: unknown) => e instanceof ValueError && /not fitted yet/.test(e.message));
    const s = new StandardScaler().fit({ data: new Float64Array([1, 2]), shape: [1, 2] });
    assert.throws(() => s.transform({ data: new Float64Array(3), shape: [1, 3] }), (e: unknown) => e instanceof ShapeError && /fitted on 2 features, received shape \[1, 3\]/.test(e.message));
    assert.throws(() => s.fit({ data: new Float64Array(3), shape: [3] }), ShapeError);
    assert.throws(() => StandardScaler.fromJSON({ mean: [0], scale: [0] }), ValueError);
  });
});

describe('toCategorical', () => {
  it('one-hot rows, numClasses inferred or given', () => {
    assert.deepEqual(toCategorical([2, 0, 1]), { data: Float32Array.from([0, 0, 1, 1, 0, 0, 0, 1, 0]), shape: [3, 3] });
    assert.deepEqual(toCategorical({ data: Int32Array.from([1]), shape: [1] }, 4).data, Float32Array.from([0, 1, 0, 0]));
    assert.throws(() => toCategorical([3], 3), (e: unknown) => e instanceof ValueError && e.message === 'toCategorical: label 3 is out of range for numClasses 3 (labels must be < numClasses)');
    assert.throws(() => toCategorical([0.5]), ValueError);
  });
});
