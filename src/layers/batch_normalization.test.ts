import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { BatchNormalization } from './batch_normalization.js';
import { assertClose, assertThrowsWith, f64, lcg, onBackend, vals } from '../../test/helpers.js';
import { nativeUnavailable } from '../backends/native/addon.js';

/** Per-column mean and biased variance (÷N) of a row-major [n, c] array, in plain JS. */
function columnStats(x: readonly number[], n: number, c: number): { mean: number[]; variance: number[] } {
  const mean = Array.from({ length: c }, (_, j) => x.filter((_, i) => i % c === j).reduce((a, b) => a + b, 0) / n);
  const variance = Array.from({ length: c }, (_, j) => x.filter((_, i) => i % c === j).reduce((a, b) => a + (b - (mean[j] as number)) ** 2, 0) / n);
  return { mean, variance };
}

function normalize(x: readonly number[], c: number, mean: readonly number[], variance: readonly number[], gamma: readonly number[], beta: readonly number[], eps: number): number[] {
  return x.map((v, i) => {
    const j = i % c;
    return ((gamma[j] as number) * (v - (mean[j] as number))) / Math.sqrt((variance[j] as number) + eps) + (beta[j] as number);
  });
}

const X = lcg(5 * 3, 4, -2, 3);
const GAMMA = [1.5, -0.5, 2];
const BETA = [0.1, -0.2, 0.3];

function bnWith(args: ConstructorParameters<typeof BatchNormalization>[0] = {}): BatchNormalization {
  const bn = new BatchNormalization({ dtype: 'float64', ...args });
  bn.apply(f64(X, [5, 3]));
  return bn;
}

describe('BatchNormalization', () => {
  it('training: batch statistics (biased variance); then moving = moving·momentum + batch·(1 − momentum)', () => {
    const bn = bnWith({ momentum: 0.9 });
    bn.setWeights([GAMMA, BETA, [0.5, -1, 2], [1, 2, 3]]);
    const { mean, variance } = columnStats(X, 5, 3);
    const y = bn.apply(f64(X, [5, 3]), { training: true });
    assertClose(vals(y), normalize(X, 3, mean, variance, GAMMA, BETA, 1e-3), 1e-12, 1e-12);
    assertClose(vals(bn.movingMean), [0.5, -1, 2].map((m, j) => m * 0.9 + (mean[j] as number) * 0.1), 1e-14, 1e-14);
    assertClose(vals(bn.movingVariance), [1, 2, 3].map((m, j) => m * 0.9 + (variance[j] as number) * 0.1), 1e-14, 1e-14);
  });

  it('inference: the moving statistics, which it leaves alone', () => {
    const bn = bnWith({ epsilon: 0.01 });
    const mm = [0.5, -1, 2];
    const mv = [1, 2, 3];
    bn.setWeights([GAMMA, BETA, mm, mv]);
    assertClose(vals(bn.apply(f64(X, [5, 3]))), normalize(X, 3, mm, mv, GAMMA, BETA, 0.01), 1e-12, 1e-12);
    assert.deepEqual(vals(bn.movingMean), mm);
    assert.deepEqual(vals(bn.movingVariance), mv);
  });

  it('weights in Keras order: gamma, beta (trainable), moving_mean, moving_variance (not); initial ones and zeros', () => {
    const bn = bnWith({ name: 'bn' });
    assert.deepEqual(bn.weights.map((w) => w.name), ['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    assert.deepEqual(bn.trainableWeights.map((w) => w.name), ['bn/gamma', 'bn/beta']);
    assert.deepEqual(bn.nonTrainableWeights.map((w) => w.name), ['bn/moving_mean', 'bn/moving_variance']);
    assert.deepEqual(bn.getWeights().map(vals), [[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
    assert.equal(bn.countParams(), 12);
    const bare = bnWith({ center: false, scale: false, name: 'bare' });
    assert.deepEqual(bare.weights.map((w) => w.name), ['bare/moving_mean', 'bare/moving_variance']);
    const x = f64(X, [5, 3]);
    const { mean, variance } = columnStats(X, 5, 3);
    assertClose(vals(bare.apply(x, { training: true })), normalize(X, 3, mean, variance, [1, 1, 1], [0, 0, 0], 1e-3), 1e-12, 1e-12);
  });

  it('summary: 4 parameters per feature, the moving statistics non-trainable (as Keras)', () => {
    const m = hb.sequential([hb.layers.input({ shape: [3] }), hb.layers.dense({ units: 4 }), hb.layers.batchNormalization({ name: 'bn_summary' })]);
    const text = m.summary(() => undefined);
    assert.match(text, /bn_summary \(BatchNormalization\) +│ \(None, 4\) +│ +16 │/);
    assert.match(text, /Trainable params: 24 /);
    assert.match(text, /Non-trainable params: 8 /);
  });

  it('a batch of one gives beta, never NaN', () => {
    const bn = new BatchNormalization();
    bn.apply(hb.ones([2, 3]));
    bn.setWeights([GAMMA, BETA, [0, 0, 0], [1, 1, 1]]);
    const y = vals(bn.apply(hb.tensor([[3, -7, 1e6]]), { training: true }));
    assertClose(y, BETA, 1e-7, 0);
    assert.ok(vals(bn.movingVariance).every(Number.isFinite));
  });

  it('axis 1 of a rank-3 input: statistics over axes 0 and 2', () => {
    const x = lcg(2 * 3 * 4, 9, -1, 2);
    const bn = new BatchNormalization({ axis: 1, dtype: 'float64', momentum: 0 });
    bn.apply(f64(x, [2, 3, 4]), { training: true });
    const mean = [0, 1, 2].map((c) => {
      const v = x.filter((_, i) => Math.floor(i / 4) % 3 === c);
      return v.reduce((a, b) => a + b, 0) / v.length;
    });
    assertClose(vals(bn.movingMean), mean, 1e-14, 1e-14);
  });

  it('gradients with respect to inputs, gamma and beta match finite differences (training and inference)', () => {
    const bn = bnWith();
    bn.setWeights([GAMMA, BETA, [0.5, -1, 2], [1, 2, 3]]);
    const x = f64(X, [5, 3]);
    const r = hb.checkGradients((xi) => bn.apply(xi, { training: true }), [x], { variables: bn.trainableWeights, name: 'BatchNormalization' });
    assert.equal(r.checked, 15 + 3 + 3);
    hb.checkGradients((xi) => bn.apply(xi), [x], { variables: bn.trainableWeights, name: 'BatchNormalization inference' });
    const b3 = new BatchNormalization({ axis: 1, dtype: 'float64' });
    hb.checkGradients((xi) => b3.apply(xi, { training: true }), [f64(lcg(24, 3), [2, 3, 4])], { variables: b3.trainableWeights, name: 'BatchNormalization axis 1' });
  });

  it('over the last axis its fused kernels give the composed formula bit for bit (outputs, moving statistics; float32, every backend)', () => {
    const backends = ['cpu', 'wasm', ...(nativeUnavailable() ? [] : ['native'])];
    for (const name of backends) {
      onBackend(name, () => {
        for (const shape of [[32, 7], [2, 5, 9]]) {
          const n = shape.reduce((a, b) => a * b, 1);
          const c = shape[shape.length - 1] as number;
          const x = hb.tensor(lcg(n, 11, -3, 4), shape);
          const gamma = hb.tensor(lcg(c, 12, 0.5, 2));
          const beta = hb.tensor(lcg(c, 13, -1, 1));
          const mm = hb.tensor(lcg(c, 14, -1, 1));
          const mv = hb.tensor(lcg(c, 15, 0.5, 2));
          const bn = new BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
          bn.apply(x);
          bn.setWeights([gamma, beta, mm, mv]);
          const axes = shape.slice(0, -1).map((_, i) => i);
          const mean = hb.mean(x, axes, true);
          const variance = hb.variance(x, axes, true);
          const norm = (m: hb.Tensor, v: hb.Tensor): hb.Tensor => hb.add(hb.mul(hb.div(hb.sub(x, m), hb.sqrt(hb.add(v, 1e-3))), gamma), beta);
          const moving = (old: hb.Tensor, batch: hb.Tensor): hb.Tensor => hb.add(hb.mul(old, 0.9), hb.mul(hb.reshape(batch, [c]), 1 - 0.9));
          const inferred = norm(mm, mv);
          assert.deepEqual(vals(bn.apply(x)), vals(inferred), `${name} ${shape}: inference`);
          assert.deepEqual(vals(bn.apply(x, { training: true })), vals(norm(mean, variance)), `${name} ${shape}: training`);
          assert.deepEqual(vals(bn.movingMean), vals(moving(mm, mean)), `${name} ${shape}: moving mean`);
          assert.deepEqual(vals(bn.movingVariance), vals(moving(mv, variance)), `${name} ${shape}: moving variance`);
        }
      });
    }
  });

  it('its closed-form gradient matches finite differences without gamma or beta, and on rank-3 inputs', () => {
    for (const args of [{ scale: false }, { center: false }, { scale: false, center: false }]) {
      const bn = bnWith(args);
      hb.checkGradients((xi) => bn.apply(xi, { training: true }), [f64(X, [5, 3])], { variables: bn.trainableWeights, name: `BatchNormalization ${JSON.stringify(args)}` });
    }
    const b3 = new BatchNormalization({ dtype: 'float64' });
    const x3 = f64(lcg(2 * 3 * 4, 21, -2, 2), [2, 3, 4]);
    b3.apply(x3);
    b3.setWeights([lcg(4, 22, 0.5, 2), lcg(4, 23), [0, 0, 0, 0], [1, 1, 1, 1]]);
    const r = hb.checkGradients((xi) => b3.apply(xi, { training: true }), [x3], { variables: b3.trainableWeights, name: 'BatchNormalization rank 3' });
    assert.equal(r.checked, 24 + 4 + 4);
  });

  it('frozen (trainable = false): inference mode even with training: true, as Keras 3', () => {
    const bn = bnWith();
    bn.trainable = false;
    const y = vals(bn.apply(f64(X, [5, 3]), { training: true }));
    assertClose(y, normalize(X, 3, [0, 0, 0], [1, 1, 1], [1, 1, 1], [0, 0, 0], 1e-3), 1e-12, 1e-12);
    assert.deepEqual(vals(bn.movingMean), [0, 0, 0]);
  });

  it('updates its moving statistics inside fit (the training step), not in evaluate or predict', async () => {
    const model = hb.sequential([hb.layers.input({ shape: [3] }), hb.layers.batchNormalization({ momentum: 0.5 })]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const x = hb.tensor(X, [5, 3]);
    await model.fit(x, hb.zeros([5, 3]), { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    const bn = model.layers[0] as BatchNormalization;
    const { mean, variance } = columnStats(Array.from(x.dataSync()), 5, 3);
    assertClose(vals(bn.movingMean), mean.map((m) => 0.5 * m), 1e-6, 1e-6);
    assertClose(vals(bn.movingVariance), variance.map((v) => 0.5 + 0.5 * v), 1e-6, 1e-6);
    const before = vals(bn.movingMean);
    await model.evaluate(x, hb.zeros([5, 3]), { verbose: 0 });
    (await model.predict(x)).dispose();
    assert.deepEqual(vals(bn.movingMean), before);
  });

  it('trains before or after an activation', async () => {
    for (const order of ['before', 'after'] as const) {
      hb.setSeed(3);
      const layers =
        order === 'before'
          ? [hb.layers.dense({ units: 8, useBias: false }), hb.layers.batchNormalization(), hb.layers.activation({ activation: 'relu' })]
          : [hb.layers.dense({ units: 8, activation: 'relu' }), hb.layers.batchNormalization()];
      const model = hb.sequential([hb.layers.input({ shape: [3] }), ...layers, hb.layers.dense({ units: 1 })]);
      model.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: 0.05 }) });
      const x = hb.tensor(lcg(64 * 3, 5), [64, 3]);
      const y = hb.tensor(Array.from({ length: 64 }, (_, i) => (x.dataSync()[3 * i] as number) * 2), [64, 1]);
      const h = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
      const loss = h.history['loss'] as number[];
      assert.ok((loss[19] as number) < 0.5 * (loss[0] as number), `${order}: loss ${loss[0]} -> ${loss[19]}`);
    }
  });

  it('rejects bad options with the layer and the value named', () => {
    assertThrowsWith(() => new BatchNormalization({ momentum: 1.5 }), hb.ValueError, 'momentum must be a number in [0, 1], received 1.5');
    assertThrowsWith(() => new BatchNormalization({ epsilon: 0 }), hb.ValueError, 'BatchNormalization "', 'epsilon must be a finite number > 0, received 0');
    assertThrowsWith(() => new BatchNormalization({ axis: 0.5 }), hb.ValueError, 'axis must be an integer, received 0.5');
    const bad: unknown = 'yes';
    assertThrowsWith(() => new BatchNormalization({ center: bad as boolean }), hb.ValueError, 'center must be true or false, received "yes"');
    const typo: unknown = { momentun: 0.9 };
    assertThrowsWith(() => new BatchNormalization(typo as { momentum: number }), hb.ValueError, 'momentun', 'momentum');
    assertThrowsWith(() => new BatchNormalization({ axis: 2 }).apply(hb.ones([2, 3])), hb.ValueError, 'axis 2 is out of range for inputs of rank 2');
    assertThrowsWith(() => new BatchNormalization({ dtype: 'int32' }), hb.ValueError, 'dtype must be a float dtype');
  });

  it('getConfig → fromConfig (through JSON) gives the same layer', () => {
    const bn = new BatchNormalization({ axis: 1, momentum: 0.9, epsilon: 1e-5, center: false, gammaInitializer: 'heNormal' });
    const json = JSON.parse(JSON.stringify(hb.serializeLayer(bn))) as hb.layers.SerializedLayer;
    assert.equal(json.className, 'BatchNormalization');
    assert.deepEqual(hb.deserializeLayer(json).getConfig(), bn.getConfig());
  });
});
