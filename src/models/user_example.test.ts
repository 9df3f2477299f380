/**
 * The user code, verbatim apart from the data (a small synthetic stand-in for
 * Fashion-MNIST: 10 classes, each a fixed random 28x28 "prototype" plus noise).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';

function fakeFashion(n: number, seed: number): { x: { data: Float32Array; shape: number[] }; y: { data: Int32Array; shape: number[] } } {
  const protoGen = new hb.Generator(99);
  const protos = Array.from({ length: 10 }, () => Float32Array.from({ length: 784 }, () => protoGen.float()));
  const g = new hb.Generator(seed);
  const data = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    labels[i] = c;
    for (let k = 0; k < 784; k++) data[i * 784 + k] = (protos[c]![k]! + 0.5 * g.float()) / 1.5;
  }
  return { x: { data, shape: [n, 28, 28] }, y: { data: labels, shape: [n] } };
}

describe('the README / issue example', () => {
  it('runs as written: sequential, summary, compile, fit with validationData, evaluate, predict', async () => {
    hb.layers.resetLayerNames();
    const train = fakeFashion(320, 1);
    const valid = fakeFashion(60, 2);
    const test = fakeFashion(60, 3);
    const model = hb.sequential([
      hb.layers.input({ shape: [28, 28] }),
      hb.layers.flatten(),
      hb.layers.dense({ units: 300, activation: 'relu' }),
      hb.layers.dense({ units: 100, activation: 'relu' }),
      hb.layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    const text = model.summary(() => undefined);
    assert.match(text, /│ flatten \(Flatten\) +│ \(None, 784\) +│ +0 │/);
    assert.match(text, / Total params: 266,610 \(1\.02 MB\)/);
    model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.y, { epochs: 3, validationData: [valid.x, valid.y], verbose: 0 });
    assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_loss']);
    assert.ok(history.history['val_accuracy']![2]! > 0.8, `val_accuracy ${history.history['val_accuracy']}`);
    const [loss, acc] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
    assert.ok(Number.isFinite(loss!) && acc! > 0.8);
    const proba = await model.predict({ data: test.x.data.subarray(0, 3 * 784), shape: [3, 28, 28] });
    assert.deepEqual(proba.shape, [3, 10]);
    const rows = proba.arraySync() as number[][];
    for (const r of rows) assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    proba.dispose();
  });
});
