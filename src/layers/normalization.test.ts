import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Normalization, deserializeLayer, input, serializeLayer } from './index.js';
import { f64, lcg, vals, assertClose, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

/** Per-column mean and population variance of a row-major [n, d] array, two passes in float64. */
function columnStats(x: number[], n: number, d: number): { mean: number[]; variance: number[] } {
  const mean = new Array<number>(d).fill(0);
  const variance = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) variance[j]! += (x[i * d + j]! - mean[j]!) ** 2 / n;
  return { mean, variance };
}

describe('Normalization', () => {
  it('reproduces the examples of Keras 3\'s docstring', () => {
    const g = new Normalization({ axis: null });
    g.adapt(hb.tensor([1, 2, 3, 4, 5]));
    assertClose(vals(g.apply(hb.tensor([1, 2, 3]))), [-1.4142135, -0.70710677, 0], 1e-6, 1e-7);
    const adaptData = hb.tensor([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]]);
    const perFeature = new Normalization({ axis: -1 });
    perFeature.adapt(adaptData);
    assertClose(vals(perFeature.apply(hb.tensor([[0, 7, 4]]))), [-1, -1, -1], 1e-6, 0);
    const fixed = new Normalization({ mean: 3, variance: 2 });
    assertClose(vals(fixed.apply(hb.tensor([[1], [2], [3]]))), [-1.4142135, -0.70710677, 0], 1e-6, 1e-7);
    const inv = new Normalization({ axis: -1, invert: true });
    inv.adapt(adaptData);
    assertClose(vals(inv.apply(hb.tensor([[1, 2, 3]]))), [2, 10, 8], 1e-6, 0);
  });

  it('adapt matches an independent two-pass mean and population variance, for any batch size', () => {
    const n = 103;
    const d = 4;
    // A large offset: a one-pass Σx² − n·mean² would lose digits here.
    const x = lcg(n * d, 5).map((v, i) => 1e4 + 3 * v + (i % d));
    const ref = columnStats(x, n, d);
    for (const batchSize of [1, 7, 1000]) {
      const norm = new Normalization({ dtype: 'float64' });
      norm.adapt({ data: Float64Array.from(x), shape: [n, d] }, { batchSize });
      const w = norm.adaptedWeights;
      assert.ok(w);
      assertClose(vals(w.mean), ref.mean, 1e-13, 0, `mean (batch ${batchSize})`);
      assertClose(vals(w.variance), ref.variance, 1e-9, 0, `variance (batch ${batchSize})`);
      assert.equal(w.count.item(), n);
      const y = norm.apply(f64(x.slice(0, 2 * d), [2, d]));
      assertClose(vals(y), x.slice(0, 2 * d).map((v, i) => (v - ref.mean[i % d]!) / Math.sqrt(ref.variance[i % d]!)), 1e-9, 1e-12);
    }
  });

  it('keeps statistics per position of several axes (axis [1, 2] of rank-3 data)', () => {
    const x = lcg(5 * 2 * 3, 9);
    const norm = new Normalization({ axis: [1, 2], dtype: 'float64' });
    norm.adapt(f64(x, [5, 2, 3]));
    const ref = columnStats(x, 5, 6);
    assert.deepEqual(norm.adaptedWeights?.mean.shape, [2, 3]);
    assertClose(vals(norm.adaptedWeights!.mean), ref.mean, 1e-14, 1e-15);
    assertClose(vals(norm.adaptedWeights!.variance), ref.variance, 1e-13, 1e-15);
    // axis 1 of the same data: the statistics pool the batch and last axes.
    const one = new Normalization({ axis: 1, dtype: 'float64' });
    one.adapt(f64(x, [5, 2, 3]));
    const rows = [0, 1].map((r) => x.filter((_, i) => Math.floor(i / 3) % 2 === r));
    const m = rows.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    assertClose(vals(one.adaptedWeights!.mean), m, 1e-14, 1e-15);
    assertClose(vals(one.adaptedWeights!.variance), rows.map((v, r) => v.reduce((a, b) => a + (b - m[r]!) ** 2, 0) / v.length), 1e-13, 1e-15);
  });

  it('bounds the standard deviation below by 1e-7 (Keras: maximum(sqrt(var), epsilon))', () => {
    const norm = new Normalization({ dtype: 'float64' });
    norm.adapt(f64([5, 1, 5, 3], [2, 2]));
    const y = vals(norm.apply(f64([5 + 1e-7, 2], [1, 2])));
    assertClose(y, [1, 0], 1e-6, 1e-12);
  });

  it('gradient w.r.t. its input matches finite differences', () => {
    const norm = new Normalization({ dtype: 'float64' });
    norm.adapt(f64(lcg(12, 3), [4, 3]));
    hb.checkGradients((x) => norm.apply(x), [f64(lcg(6, 4), [2, 3])], { name: 'Normalization' });
    const inv = new Normalization({ mean: [1, 2, 3], variance: [4, 5, 6], invert: true, dtype: 'float64' });
    hb.checkGradients((x) => inv.apply(x), [f64(lcg(6, 5), [2, 3])], { name: 'Normalization invert' });
  });

  it('has 2n + 1 non-trainable parameters like Keras 3, and none with a given mean', () => {
    const norm = new Normalization();
    norm.apply(input({ shape: [784] }));
    assert.equal(norm.countParams(), 1569);
    assert.deepEqual(norm.trainableWeights, []);
    const fixed = new Normalization({ mean: [1, 2], variance: [1, 4] });
    assert.deepEqual(fixed.apply(input({ shape: [2] })).shape, [null, 2]);
    assert.equal(fixed.countParams(), 0);
  });

  it('config round trip: given statistics come back; adapted ones travel as weights', () => {
    const fixed = new Normalization({ mean: [1, 2], variance: [1, 4] });
    const x = hb.tensor([[3, 4], [0, 0]]);
    const copy = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(fixed))));
    assert.deepEqual(copy.getConfig(), fixed.getConfig());
    assertClose(vals(copy.apply(x)), vals(fixed.apply(x)), 0, 0);
    assertClose(vals(fixed.apply(x)), [2, 1, -1, -1], 1e-7, 0);
    const adapted = new Normalization({ axis: null });
    adapted.adapt(hb.tensor([1, 2, 3, 10], [2, 2]));
    const again = Normalization.fromConfig(JSON.parse(JSON.stringify(adapted.getConfig())) as Record<string, unknown>);
    assert.equal(again.getConfig()['axis'], null);
    again.ensureBuilt([null, 2]);
    again.weights.forEach((w, i) => w.assign(adapted.weights[i] as hb.Variable));
    assertClose(vals(again.apply(x)), vals(adapted.apply(x)), 0, 0);
  });

  it('reports misuse with typed errors', () => {
    assertThrowsWith(() => new Normalization({ mean: 1 }), hb.ValueError, 'give both mean and variance');
    assertThrowsWith(() => new Normalization({ mean: [1, 2], variance: [1] }), hb.ValueError, 'mean and variance must have the same shape');
    assertThrowsWith(() => new Normalization({ mean: 0, variance: 1 }).adapt(hb.ones([2, 2])), hb.ValueError, 'there is nothing to adapt');
    const norm = new Normalization({ name: 'nz' });
    norm.adapt(hb.ones([4, 3]));
    assertThrowsExact(() => norm.adapt(hb.ones([4, 2])), hb.ShapeError, 'Normalization "nz".adapt: the layer was built for inputs of shape [4, 3], received data of shape [4, 2]');
    assertThrowsExact(() => norm.apply(hb.ones([4, 2])), hb.ShapeError, 'Normalization "nz" expects inputs with size 3 on axis 1, received shape [4, 2]');
    assertThrowsWith(() => new Normalization().adapt({ data: [1, 2, 3], shape: [2, 2] }), hb.ShapeError, 'needs 4 values, received 3');
    assertThrowsWith(() => new Normalization().adapt({ data: [], shape: [0, 2] }), hb.ValueError, 'the data are empty');
    assertThrowsWith(() => new Normalization({ axis: 2 }).adapt(hb.ones([2, 2])), hb.ValueError, 'axis [2] is out of range for inputs of rank 2');
    assertThrowsWith(() => new Normalization().apply(input({ shape: [null] })), hb.ShapeError, 'needs known sizes on the kept axes');
    assertThrowsWith(() => new Normalization().adapt(hb.ones([2, 2]), { batchSize: 0 }), hb.ValueError, 'batchSize must be a positive integer');
  });

  it('refuses statistics that would make every output NaN, and wrong-length ones', () => {
    assertThrowsExact(() => new Normalization({ name: 'n', mean: 0, variance: -1 }), hb.ValueError, 'Normalization "n": variance must be finite numbers >= 0, received -1');
    assertThrowsExact(
      () => new Normalization({ name: 'n', mean: [0, 0], variance: [1, -0.5] }),
      hb.ValueError,
      'Normalization "n": variance must be finite numbers >= 0, received [1, -0.5] (variance[1] is -0.5)',
    );
    assertThrowsExact(() => new Normalization({ name: 'n', mean: [0, NaN], variance: [1, 1] }), hb.ValueError, 'Normalization "n": mean must be finite numbers, received [0, NaN] (mean[1] is NaN)');
    assertThrowsWith(() => new Normalization({ mean: Infinity, variance: 1 }), hb.ValueError, 'mean must be finite numbers, received Infinity');
    // A variance of 0 is fine: the standard deviation is bounded below by epsilon (Keras).
    assert.deepEqual(vals(new Normalization({ mean: 1, variance: 0 }).apply(hb.tensor([[1]]))), [0]);
    const wrong = new Normalization({ name: 'w', mean: [0, 1], variance: [1, 1] });
    assertThrowsExact(() => wrong.apply(hb.ones([2, 3])), hb.ShapeError, 'Normalization "w": mean has 2 values but axis 1 of the input has size 3; give 3 values (or a single number)');
    // One value per feature, or one for all (broadcast, as Keras does).
    assertClose(vals(new Normalization({ mean: [1], variance: [4] }).apply(hb.tensor([[3, 5]]))), [1, 2], 1e-7, 0);
  });

  it('adapt refuses NaN and Infinity in the data, naming the sample, and leaves the statistics as they were', () => {
    const norm = new Normalization({ name: 'a' });
    norm.adapt(hb.tensor([[0, 2], [2, 4]]));
    const before = [vals(norm.adaptedWeights!.mean), vals(norm.adaptedWeights!.variance)];
    assertThrowsExact(() => norm.adapt(hb.tensor([[1, 2], [3, NaN], [5, 6]])), hb.ValueError, 'Normalization "a".adapt: data contains NaN at sample 1 (flat index 3); expected finite numbers');
    assertThrowsExact(() => norm.adapt({ data: [1, 2, -Infinity, 0], shape: [2, 2] }), hb.ValueError, 'Normalization "a".adapt: data contains -Infinity at sample 1 (flat index 2); expected finite numbers');
    assert.deepEqual([vals(norm.adaptedWeights!.mean), vals(norm.adaptedWeights!.variance)], before);
    assert.deepEqual(before, [[1, 3], [1, 1]]);
  });
});
