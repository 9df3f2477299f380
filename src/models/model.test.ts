/**
 * Models end to end on small synthetic problems: Sequential, functional (Wide & Deep with an
 * auxiliary output and lossWeights), subclassing; summary, weights, errors and leaks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ShapeError, ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { resetLayerNames, type CallArgs, type Constraint, type Regularizer } from '../layers/layer.js';
import { dense, input } from '../layers/index.js';
import { sgd } from '../optimizers/sgd.js';
import { Model } from './model.js';
import { model } from './functional.js';
import { sequential } from './sequential.js';

/** Two Gaussian-ish blobs on a deterministic grid: class 1 when x0 + x1 > 0. */
function blobs(n: number, seed: number): { x: number[][]; y: number[] } {
  const g = new hb.Generator(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const cx = c === 1 ? 1 : -1;
    x.push([cx + 0.5 * g.normal(), cx + 0.5 * g.normal()]);
    y.push(c);
  }
  return { x, y };
}

describe('Sequential', () => {
  it("summary of the book's MLP: 266,610 params", () => {
    resetLayerNames();
    const m = sequential([
      input({ shape: [784] }),
      dense({ units: 300, activation: 'relu' }),
      dense({ units: 100, activation: 'relu' }),
      dense({ units: 10, activation: 'softmax' }),
    ]);
    let printed = '';
    const text = m.summary((s) => (printed = s));
    assert.equal(printed, text);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Model: "sequential"');
    assert.match(text, /│ dense \(Dense\) +│ \(None, 300\) +│ +235,500 │/);
    assert.match(text, /│ dense_1 \(Dense\) +│ \(None, 100\) +│ +30,100 │/);
    assert.match(text, /│ dense_2 \(Dense\) +│ \(None, 10\) +│ +1,010 │/);
    assert.deepEqual(lines.slice(-3), [' Total params: 266,610 (1.02 MB)', ' Trainable params: 266,610 (1.02 MB)', ' Non-trainable params: 0 (0.00 B)']);
    assert.equal(m.countParams(), 266610);
    assert.deepEqual(m.layers.map((l) => l.name), ['dense', 'dense_1', 'dense_2']);
    assert.equal(m.getLayer('dense_1').countParams(), 30100);
    assert.throws(() => m.getLayer('nope'), /no layer named "nope"/);
  });

  it('add() builds the same model step by step; pop() removes the last layer', () => {
    const m = sequential();
    m.add(input({ shape: [4] }));
    m.add(dense({ units: 3, name: 'a' }));
    m.add(dense({ units: 2, name: 'b' }));
    assert.equal(m.countParams(), 4 * 3 + 3 + 3 * 2 + 2);
    assert.match(m.summary(() => undefined), /│ b \(Dense\) +│ \(None, 2\) +│ +8 │/);
    assert.equal(m.pop().name, 'b');
    assert.deepEqual(m.layers.map((l) => l.name), ['a']);
    assert.throws(() => m.add(input({ shape: [4] })), /input\(\.\.\.\) can only come first/);
  });

  it('without an input(...) it builds on first use; the summary then shows the shapes', async () => {
    const m = sequential([dense({ units: 3, name: 'p' }), dense({ units: 1, name: 'q' })]);
    assert.match(m.summary(() => undefined), /│ p \(Dense\) +│ \? +│ +0 │/);
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    await m.fit([[1, 2], [3, 4]], [1, 2], { verbose: 0 });
    const text = m.summary(() => undefined);
    assert.match(text, /│ p \(Dense\) +│ \(None, 3\) +│ +9 │/);
    assert.match(text, /│ q \(Dense\) +│ \(None, 1\) +│ +4 │/);
  });

  it('a 2-class problem reaches high accuracy; History has Keras keys', async () => {
    hb.setSeed(7);
    const m = sequential([input({ shape: [2] }), dense({ units: 8, activation: 'relu' }), dense({ units: 2, activation: 'softmax' })]);
    m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
    const train = blobs(200, 1);
    const valid = blobs(60, 2);
    const h = await m.fit(train.x, { data: new Int32Array(train.y), shape: [200] }, { epochs: 15, batchSize: 16, validationData: [valid.x, valid.y], verbose: 0 });
    assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_loss']);
    for (const k of Object.keys(h.history)) assert.equal(h.history[k]?.length, 15);
    assert.ok(h.history['accuracy']![14]! > 0.9, `accuracy ${h.history['accuracy']![14]}`);
    assert.ok(h.history['loss']![14]! < h.history['loss']![0]!);
    const [loss, acc] = (await m.evaluate(valid.x, valid.y, { verbose: 0 })) as number[];
    assert.ok(acc! > 0.9 && loss! < 0.5, `evaluate ${loss} ${acc}`);
    assert.deepEqual(m.metricsNames, ['loss', 'accuracy']);
    const logs = await m.evaluate(valid.x, valid.y, { returnDict: true, verbose: 0 });
    assert.deepEqual(Object.keys(logs), ['loss', 'accuracy']);
    // predict: probabilities whose argmax gives the same accuracy as evaluate
    const proba = await m.predict(valid.x, { batchSize: 7 });
    assert.deepEqual(proba.shape, [60, 2]);
    const p = proba.arraySync() as number[][];
    const correct = p.filter((row, i) => (row[1]! > row[0]! ? 1 : 0) === valid.y[i]).length;
    assert.ok(Math.abs(correct / 60 - acc!) < 1e-6);
    proba.dispose();
  });

  it('fit before compile, wrong shapes, out-of-range labels and unknown names are typed errors', async () => {
    const m = sequential([input({ shape: [3] }), dense({ units: 2, activation: 'softmax' })]);
    await assert.rejects(m.fit([[1, 2, 3]], [0]), (e: unknown) => e instanceof ValueError && /fit: model "sequential(_\d+)?" must be compiled first/.test(e.message));
    // The types reject these names; plain JavaScript gets the errors at compile.
    // @ts-expect-error: unknown loss name
    assert.throws(() => m.compile({ loss: 'crossEntropyish', optimizer: 'sgd' }), /crossEntropyish/);
    // @ts-expect-error: unknown optimizer name
    assert.throws(() => m.compile({ loss: 'mse', optimizer: 'adagradx' }), /unknown optimizer "adagradx"/);
    // @ts-expect-error: unknown metric name
    assert.throws(() => m.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['accuracyy'] }), /accuracyy/);
    m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd' });
    await assert.rejects(m.fit([[1, 2], [3, 4]], [0, 1], { verbose: 0 }), (e: unknown) => e instanceof ShapeError && /fit: input "input_layer(_\d+)?" expects x of shape \[null, 3\], received shape \[2, 2\]/.test(e.message));
    await assert.rejects(m.fit([[1, 2, 3], [3, 4, 5]], [0, 2], { verbose: 0 }), (e: unknown) => e instanceof ValueError && /fit: y holds 2 at sample 1, which is not a class id: .* labels must be integers in \[0, 2\)/.test(e.message));
    await assert.rejects(m.fit([[1, 2, 3]], [0, 1], { verbose: 0 }), /x has 1 samples but y has 2/);
  });

  it('getWeights/setWeights round-trip; shapes are checked', async () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 3, activation: 'tanh' }), dense({ units: 1 })]);
    m.compile({ loss: 'mse', optimizer: sgd({ learningRate: 0.5 }) });
    const x = [[1, 2], [-1, 0.5], [0, 0]];
    const saved = m.getWeights();
    assert.deepEqual(saved.map((w) => w.shape), [[2, 3], [3], [3, 1], [1]]);
    const before = (await m.predict(x)).arraySync();
    await m.fit(x, [[1], [2], [3]], { epochs: 3, verbose: 0 });
    assert.notDeepEqual((await m.predict(x)).arraySync(), before);
    m.setWeights(saved);
    assert.deepEqual((await m.predict(x)).arraySync(), before);
    assert.throws(() => m.setWeights(saved.slice(1)), /has 4 weights, received 3/);
    assert.throws(() => m.setWeights([saved[1]!, saved[0]!, saved[2]!, saved[3]!]), (e: unknown) => e instanceof ShapeError && /has shape \[2, 3\], received \[3\]/.test(e.message));
    hb.dispose(saved);
  });

  it('setSeed makes fit reproducible (initial weights and shuffling)', async () => {
    const run = async (): Promise<number[]> => {
      hb.setSeed(42);
      const m = sequential([input({ shape: [2] }), dense({ units: 4, activation: 'relu', name: 'h' }), dense({ units: 2, activation: 'softmax', name: 'o' })]);
      m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
      const d = blobs(40, 3);
      await m.fit(d.x, d.y, { epochs: 2, batchSize: 8, verbose: 0 });
      const ws = m.getWeights();
      const flat = ws.flatMap((w) => Array.from(w.dataSync()));
      hb.dispose(ws);
      return flat;
    };
    const a = await run();
    assert.deepEqual(await run(), a);
  });

  it('no tensor or buffer leaks over several epochs of fit, evaluate and predict', async () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 4, activation: 'relu' }), dense({ units: 2, activation: 'softmax' })]);
    m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    const d = blobs(40, 3);
    await m.fit(d.x, d.y, { epochs: 1, verbose: 0 }); // builds and creates optimizer state
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    await m.fit(d.x, d.y, { epochs: 4, batchSize: 8, validationSplit: 0.25, verbose: 0 });
    await m.evaluate(d.x, d.y, { verbose: 0 });
    hb.dispose(await m.predict(d.x, { batchSize: 16 }));
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    const nWeights = m.weights.length;
    m.dispose(); // the weights, the Adam state (m and v per weight) and accuracy's total and count
    assert.equal(hb.numTensors(), t0 - nWeights * 3 - 2);
  });
});

describe('regularizers and constraints', () => {
  // Written here against the Layer's Regularizer/Constraint contracts (no dependence on a
  // regularizers module): l2(λ) = λ·Σw², and a box constraint clipping weights to ±0.05.
  const l2 = (lambda: number): Regularizer => ({ className: 'L2', apply: (w) => hb.mul(hb.sum(hb.square(w)), lambda), getConfig: () => ({ l2: lambda }) });
  const box: Constraint = { className: 'Box', apply: (w) => hb.clip(w, -0.05, 0.05), getConfig: () => ({}) };

  it('the logged loss adds λ·Σw² to the data loss', async () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 1, kernelRegularizer: l2(0.1), name: 'r' })]);
    m.compile({ loss: 'mse', optimizer: sgd({ learningRate: 0 }) });
    const x = [[1, 2], [3, -1]];
    const y = [[0.5], [1]];
    const h = await m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const [k, b] = m.getWeights();
    const kv = Array.from(k!.dataSync());
    const bv = b!.item();
    const mse = x.reduce((s, xi, i) => s + (kv[0]! * xi[0]! + kv[1]! * xi[1]! + bv - y[i]![0]!) ** 2, 0) / 2;
    const penalty = 0.1 * (kv[0]! ** 2 + kv[1]! ** 2);
    assert.ok(Math.abs(h.history['loss']![0]! - (mse + penalty)) < 1e-5);
    hb.dispose([k, b]);
  });

  it('constraints project the weights after each update', async () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 3, kernelConstraint: box, kernelInitializer: 'ones' })]);
    m.compile({ loss: 'mse', optimizer: sgd({ learningRate: 0.01 }) });
    await m.fit([[1, 2], [3, 4]], [[1, 1, 1], [2, 2, 2]], { epochs: 2, verbose: 0 });
    const kernel = Array.from(m.layers[0]!.weights[0]!.dataSync());
    assert.ok(kernel.every((v) => Math.abs(v) <= 0.05 + 1e-7), `${kernel}`);
  });
});

describe('functional API', () => {
  it('Wide & Deep with an auxiliary output: the total loss is the lossWeights-weighted sum', async () => {
    hb.setSeed(3);
    const wide = input({ shape: [2], name: 'wide' });
    const deep = input({ shape: [3], name: 'deep' });
    const h1 = dense({ units: 8, activation: 'relu' }).apply(deep);
    const h2 = dense({ units: 8, activation: 'relu' }).apply(h1);
    const cat = hb.layers.concatenate({ name: 'concat' }).apply([wide, h2]);
    const main = dense({ units: 1, name: 'main' }).apply(cat);
    const aux = dense({ units: 1, name: 'aux' }).apply(h2);
    const m = model({ inputs: [wide, deep], outputs: [main, aux] });
    assert.deepEqual(m.inputNames, ['wide', 'deep']);
    assert.deepEqual(m.outputNames, ['main', 'aux']);
    m.compile({ loss: 'mse', optimizer: sgd({ learningRate: 0.02 }), lossWeights: { main: 0.9, aux: 0.1 }, metrics: { main: ['mae'] } });
    const g = new hb.Generator(5);
    const n = 64;
    const xw = Array.from({ length: n }, () => [g.normal(), g.normal()]);
    const xd = Array.from({ length: n }, () => [g.normal(), g.normal(), g.normal()]);
    const y = xw.map((w, i) => [w[0]! - w[1]! + 0.5 * xd[i]![2]!]);
    const h = await m.fit({ deep: xd, wide: xw }, { main: y, aux: y }, { epochs: 5, batchSize: 16, verbose: 0 });
    assert.deepEqual(Object.keys(h.history).sort(), ['aux_loss', 'learning_rate', 'loss', 'main_loss', 'main_mae']);
    assert.ok(h.history['loss']![4]! < h.history['loss']![0]!);
    const logs = await m.evaluate([xw, xd], [y, y], { returnDict: true, verbose: 0 });
    assert.ok(Math.abs(logs['loss']! - (0.9 * logs['main_loss']! + 0.1 * logs['aux_loss']!)) < 1e-5);
    // and main_loss is the MSE of what predict returns, computed here in plain JS
    const [pMain, pAux] = await m.predict([xw, xd]);
    const mse = (p: Tensor): number => Array.from(p.dataSync()).reduce((s, v, i) => s + (v - y[i]![0]!) ** 2, 0) / n;
    assert.ok(Math.abs(logs['main_loss']! - mse(pMain!)) < 1e-4);
    assert.ok(Math.abs(logs['aux_loss']! - mse(pAux!)) < 1e-4);
    const mae = Array.from(pMain!.dataSync()).reduce((s, v, i) => s + Math.abs(v - y[i]![0]!), 0) / n;
    assert.ok(Math.abs(logs['main_mae']! - mae) < 1e-4);
    hb.dispose([pMain, pAux]);
    const text = m.summary(() => undefined);
    assert.match(text, /Connected to/);
    assert.match(text, /│ main \(Dense\) +│ \(None, 1\) +│ +\d+ │ concat\[0\]\[0\]/);
  });

  it('per-output losses as an array, and errors naming the outputs', async () => {
    const a = input({ shape: [1] });
    const o1 = dense({ units: 1, name: 'o1' }).apply(a);
    const o2 = dense({ units: 3, activation: 'softmax', name: 'o2' }).apply(a);
    const m = model({ inputs: a, outputs: [o1, o2] });
    assert.throws(() => m.compile({ loss: ['mse'], optimizer: 'sgd' }), /one entry per output/);
    m.compile({ loss: ['mse', 'sparseCategoricalCrossentropy'], optimizer: 'sgd', metrics: [[], ['accuracy']] });
    const h = await m.fit([[0], [1], [2]], [[[0], [1], [2]], [0, 1, 2]], { epochs: 2, verbose: 0 });
    assert.deepEqual(Object.keys(h.history).sort(), ['learning_rate', 'loss', 'o1_loss', 'o2_accuracy', 'o2_loss']);
    await assert.rejects(m.fit([[0]], { o1: [[0]] }, { verbose: 0 }), /y lacks "o2"/);
  });
});

describe('subclassed models', () => {
  class WideDeep extends Model {
    readonly hidden = dense({ units: 6, activation: 'relu' });
    readonly out = dense({ units: 1 });
    lastTraining: boolean | undefined;
    override call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
      this.lastTraining = args.training;
      const [wide, deep] = Array.isArray(inputs) ? inputs : [inputs, inputs];
      return this.out.apply(hb.concat([wide!, this.hidden.apply(deep!)], -1));
    }
  }

  class TwoHeads extends Model {
    readonly hidden = dense({ units: 4, activation: 'relu' });
    readonly main = dense({ units: 1 });
    readonly aux = dense({ units: 1 });
    override call(inputs: Tensor | Tensor[]): Tensor[] {
      const h = this.hidden.apply(inputs);
      return [this.main.apply(h), this.aux.apply(h)];
    }
  }

  it('with two outputs: output_1 / output_2 logs and lossWeights as an array', async () => {
    const m = new TwoHeads();
    m.compile({ loss: ['mse', 'mae'], optimizer: 'sgd', lossWeights: [0.9, 0.1] });
    const x = [[1, 0], [0, 1], [1, 1], [0, 0]];
    const y = [[1], [2], [3], [0]];
    const h = await m.fit(x, [y, y], { epochs: 2, verbose: 0 });
    assert.deepEqual(Object.keys(h.history).sort(), ['learning_rate', 'loss', 'output_1_loss', 'output_2_loss']);
    const logs = await m.evaluate(x, [y, y], { returnDict: true, verbose: 0 });
    assert.ok(Math.abs(logs['loss']! - (0.9 * logs['output_1_loss']! + 0.1 * logs['output_2_loss']!)) < 1e-5);
    const out = await m.predict(x);
    assert.equal(out.length, 2);
    hb.dispose(out);
  });

  it('trains, lists its layers and weights, and passes training to call', async () => {
    hb.setSeed(11);
    const m = new WideDeep();
    m.compile({ loss: 'mse', optimizer: hb.optimizers.adam({ learningRate: 0.03 }) });
    const g = new hb.Generator(9);
    const xw = Array.from({ length: 32 }, () => [g.normal()]);
    const xd = Array.from({ length: 32 }, () => [g.normal(), g.normal()]);
    const y = xw.map((w, i) => [2 * w[0]! + xd[i]![0]!]);
    // Several inputs of a subclassed model come as tensors (or {data, shape}): a nested JS array
    // would be read as one input.
    const x = [hb.tensor(xw), hb.tensor(xd)];
    const h = await m.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0 });
    assert.ok(h.history['loss']![19]! < 0.7 * h.history['loss']![0]!, `${h.history['loss']![0]} → ${h.history['loss']![19]}`);
    assert.equal(m.layers.length, 2);
    assert.equal(m.trainableWeights.length, 4);
    assert.equal(m.countParams(), 2 * 6 + 6 + 7 * 1 + 1);
    hb.dispose(await m.predict(x, { training: true }));
    assert.equal(m.lastTraining, true);
    hb.dispose(await m.predict(x));
    assert.equal(m.lastTraining, false);
    hb.dispose(x);
  });
});
