import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as hb from '../index.js';
import { activationName } from '../activations.js';
import { Dense } from '../layers/dense.js';
import { parseNumericCsv, splitLastColumn } from '../io/datasets/csv.js';
import { findLocal } from '../io/datasets/files.js';

/** One of the shared scikit-learn sets: features (float32) and integer labels, shuffled with a fixed permutation. */
async function sklearnSet(name: string): Promise<{ x: Float32Array; y: Int32Array; n: number; d: number }> {
  const found = findLocal({ folder: 'sklearn-small', baseUrl: '' }, [{ name: `${name}.csv`, sha256: '' }]);
  assert.ok(found, `${name}.csv not found under ../shared/datasets/sklearn-small`);
  const { x, y, features } = splitLastColumn(parseNumericCsv(await readFile(found.path, 'utf8'), found.path));
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i);
  let s = 12345;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const xs = new Float32Array(n * features);
  const ys = new Int32Array(n);
  order.forEach((src, i) => {
    xs.set(x.subarray(src * features, (src + 1) * features), i * features);
    ys[i] = y[src] as number;
  });
  return { x: xs, y: ys, n, d: features };
}

/** Per-feature mean and variance of the first `rows` rows (the training part). */
function moments(x: Float32Array, rows: number, d: number): { mean: number[]; variance: number[] } {
  const mean = Array.from({ length: d }, (_, j) => { let a = 0; for (let i = 0; i < rows; i++) a += x[i * d + j] as number; return a / rows; });
  const variance = Array.from({ length: d }, (_, j) => { let a = 0; for (let i = 0; i < rows; i++) a += ((x[i * d + j] as number) - (mean[j] as number)) ** 2; return a / rows; });
  return { mean, variance };
}

function standardized(x: Float32Array, d: number, m: { mean: number[]; variance: number[] }): Float32Array {
  // Constant pixels (variance 0) stay 0 rather than 0/0.
  return x.map((v, k) => (v - (m.mean[k % d] as number)) / Math.sqrt(Math.max(m.variance[k % d] as number, 1e-12)));
}

const denses = (m: hb.Model): Dense[] => m.layers.filter((l): l is Dense => l instanceof Dense);
const kinds = (m: hb.Model): string[] => m.layers.map((l) => l.className);

describe('recipes.defaultDeepNet', () => {
  it('is the book\'s default: He normal, ELU, no batch norm when shallow, Nadam 1e-3, softmax + sparse cross-entropy', () => {
    const m = hb.recipes.defaultDeepNet({ inputShape: [28, 28], outputUnits: 10 });
    assert.deepEqual(kinds(m), ['Flatten', 'Dense', 'Dense', 'Dense', 'Dense']);
    const ds = denses(m);
    for (const l of ds.slice(0, -1)) {
      assert.equal(l.units, 100);
      assert.equal(l.kernelInitializer.className, 'HeNormal');
      assert.equal(activationName(l.activation), 'elu');
      assert.equal(l.kernelRegularizer, null);
    }
    assert.equal(activationName((ds[3] as Dense).activation), 'softmax');
    assert.equal(m.optimizer?.name, 'nadam');
    assert.deepEqual(m.optimizer?.getConfig(), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  });

  it('adds batch normalization after the input and each hidden layer when deep (depth > 5), swish and AdamW on request', () => {
    const m = hb.recipes.defaultDeepNet({ inputShape: [8], outputUnits: 1, outputActivation: null, depth: 6, units: 32, activation: 'swish', optimizer: 'adamw' });
    assert.deepEqual(kinds(m), ['BatchNormalization', ...Array.from({ length: 6 }, () => ['Dense', 'BatchNormalization']).flat(), 'Dense']);
    assert.equal(activationName((denses(m)[0] as Dense).activation), 'silu'); // Keras 3: swish is silu
    assert.equal(activationName((denses(m)[6] as Dense).activation), 'linear');
    assert.deepEqual(m.optimizer?.getConfig(), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, weightDecay: 0.004, excludeFromWeightDecay: ['bias', 'gamma', 'beta'] });
    assert.deepEqual(kinds(hb.recipes.defaultDeepNet({ inputShape: [8], outputUnits: 2, depth: 6, batchNormalization: false })), ['Dense', 'Dense', 'Dense', 'Dense', 'Dense', 'Dense', 'Dense']);
    assert.equal(kinds(hb.recipes.defaultDeepNet({ inputShape: [8], outputUnits: 2, depth: 2, batchNormalization: true })).filter((k) => k === 'BatchNormalization').length, 3);
  });

  it('puts l2 on every kernel, and weight decay on Nadam (sparing biases and batch-norm weights)', () => {
    const m = hb.recipes.defaultDeepNet({ inputShape: [4], outputUnits: 3, l2: 1e-4, weightDecay: 1e-3, depth: 2 });
    for (const l of denses(m)) assert.deepEqual(l.kernelRegularizer && hb.serializeRegularizer(l.kernelRegularizer), { className: 'L2', config: { l2: 1e-4 } });
    assert.deepEqual(m.optimizer?.getConfig()['excludeFromWeightDecay'], ['bias', 'gamma', 'beta']);
    assert.equal(m.optimizer?.getConfig()['weightDecay'], 1e-3);
  });

  it('trains on the digits set (1,797 8×8 images, 10 classes) to > 0.9 test accuracy in 8 epochs, shallow and deep', async () => {
    const { x, y, n, d } = await sklearnSet('digits');
    const nTrain = 1437;
    const xs = standardized(x, d, moments(x, nTrain, d));
    const split = (a: Float32Array | Int32Array, lo: number, hi: number, w: number) => ({ data: a.slice(lo * w, hi * w), shape: w === 1 ? [hi - lo] : [hi - lo, w] });
    for (const depth of [3, 8]) {
      hb.setSeed(1);
      const m = hb.recipes.defaultDeepNet({ inputShape: [d], outputUnits: 10, depth, units: 32 });
      await m.fit(split(xs, 0, nTrain, d), split(y, 0, nTrain, 1), { epochs: 8, verbose: 0, validationSplit: 0.1, callbacks: hb.recipes.defaultCallbacks() });
      const [, acc] = (await m.evaluate(split(xs, nTrain, n, d), split(y, nTrain, n, 1), { verbose: 0 })) as [number, number];
      assert.ok(acc > 0.9, `depth ${depth}: test accuracy ${acc}`);
      console.log(`# defaultDeepNet digits, depth ${depth}: test accuracy ${acc.toFixed(4)}`);
      m.dispose();
    }
  });

  it('checks its options with clear errors', () => {
    const ok = { inputShape: [4], outputUnits: 3 };
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ outputUnits: 3 }, /defaultDeepNet: inputShape must be a non-empty array of positive integers .*received undefined/],
      [{ inputShape: [4, 0], outputUnits: 3 }, /inputShape must be/],
      [{ inputShape: [4] }, /outputUnits must be a positive integer, received undefined/],
      [{ ...ok, depth: 0 }, /depth must be a positive integer, received 0/],
      [{ ...ok, units: 2.5 }, /units must be a positive integer, received 2.5/],
      [{ ...ok, outputUnits: 1 }, /a softmax output needs outputUnits >= 2/],
      [{ ...ok, l2: -1 }, /l2 must be a finite number >= 0, received -1/],
      [{ ...ok, optimizer: 'adagrad' }, /optimizer must be 'nadam', 'adamw', 'sgd' or an optimizer object, received "adagrad"/],
      [{ ...ok, optimizer: hb.optimizers.sgd(), learningRate: 0.1 }, /learningRate and weightDecay go to the optimizer object itself/],
      [{ ...ok, batchNormalization: 'yes' }, /batchNormalization/],
      [{ ...ok, activation: 'elus' }, /elus/],
      [{ ...ok, input_shape: [4] }, /unknown option "input_shape"; did you mean "inputShape"\?/],
    ];
    for (const [o, re] of bad) assert.throws(() => hb.recipes.defaultDeepNet(o as unknown as hb.recipes.DefaultDeepNetOptions), (e: unknown) => e instanceof hb.ValueError && re.test(e.message));
  });
});

describe('recipes.selfNormalizingNet', () => {
  it('is a plain stack: LeCun normal, SELU, no batch norm, alpha dropout before the output, Nesterov momentum', () => {
    const norm = hb.layers.normalization({ mean: [0, 1, 2], variance: [1, 4, 9] });
    const m = hb.recipes.selfNormalizingNet({ inputShape: [3], outputUnits: 1, outputActivation: 'sigmoid', depth: 4, units: 16, alphaDropout: 0.1, normalization: norm });
    assert.deepEqual(kinds(m), ['Normalization', 'Dense', 'Dense', 'Dense', 'Dense', 'AlphaDropout', 'Dense']);
    for (const l of denses(m).slice(0, -1)) {
      assert.equal(l.kernelInitializer.className, 'LecunNormal');
      assert.equal(activationName(l.activation), 'selu');
      assert.equal(l.kernelRegularizer, null);
    }
    assert.equal(m.layers[0], norm);
    assert.deepEqual(m.optimizer?.getConfig(), { learningRate: 0.01, momentum: 0.9, nesterov: true });
    assert.deepEqual(kinds(hb.recipes.selfNormalizingNet({ inputShape: [2, 2], outputUnits: 2 })), ['Flatten', 'Dense', 'Dense', 'Dense', 'Dense', 'Dense', 'Dense']);
  });

  it('trains on breast cancer (569 samples, 30 features, binary) with a normalization layer to > 0.93 test accuracy', async () => {
    const { x, y, n, d } = await sklearnSet('breast_cancer');
    const nTrain = 455;
    const norm = hb.layers.normalization(moments(x, nTrain, d));
    hb.setSeed(2);
    const m = hb.recipes.selfNormalizingNet({ inputShape: [d], outputUnits: 1, outputActivation: 'sigmoid', depth: 8, units: 32, alphaDropout: 0.1, normalization: norm });
    const yf = Float32Array.from(y);
    await m.fit({ data: x.slice(0, nTrain * d), shape: [nTrain, d] }, { data: yf.slice(0, nTrain), shape: [nTrain, 1] }, { epochs: 20, verbose: 0 });
    const [, acc] = (await m.evaluate({ data: x.slice(nTrain * d), shape: [n - nTrain, d] }, { data: yf.slice(nTrain), shape: [n - nTrain, 1] }, { verbose: 0 })) as [number, number];
    assert.ok(acc > 0.93, `test accuracy ${acc}`);
    console.log(`# selfNormalizingNet breast cancer, depth 8: test accuracy ${acc.toFixed(4)}`);
  });

  it('checks its options', () => {
    const ok = { inputShape: [4], outputUnits: 3 };
    assert.throws(() => hb.recipes.selfNormalizingNet({ ...ok, alphaDropout: 1 }), /selfNormalizingNet: alphaDropout must be a rate in \[0, 1\), received 1/);
    // @ts-expect-error: a plain object is not a Normalization layer.
    assert.throws(() => hb.recipes.selfNormalizingNet({ ...ok, normalization: { mean: 0 } }), /normalization must be a Normalization layer/);
    // @ts-expect-error: batch normalization is not part of this recipe.
    assert.throws(() => hb.recipes.selfNormalizingNet({ ...ok, batchNormalization: true }), /unknown option "batchNormalization"/);
  });
});

describe('recipes.defaultCallbacks', () => {
  it('early stopping with the best weights restored, and performance scheduling, on val_loss', () => {
    const [stop, plateau] = hb.recipes.defaultCallbacks();
    assert.ok(stop instanceof hb.callbacks.EarlyStopping && plateau instanceof hb.callbacks.ReduceLROnPlateau);
    assert.equal(stop.monitor, 'val_loss');
    assert.equal(stop.patience, 10);
    assert.equal(stop.restoreBestWeights, true);
    assert.equal(plateau.factor, 0.5);
    assert.equal(plateau.patience, 5);
    assert.equal(hb.recipes.defaultCallbacks({ reduceLROnPlateau: false }).length, 1);
    assert.throws(() => hb.recipes.defaultCallbacks({ patience: -1 }), /patience/);
  });
});
