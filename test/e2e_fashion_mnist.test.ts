/**
 * End to end, on the real Fashion-MNIST files: the book's ch. 10 MLP (784-300-100-10,
 * relu/softmax, sparse categorical cross-entropy, SGD at Keras's default 0.01), reduced for
 * CI to 2 epochs on the first 40,000 training images (5,000 steps; measured 0.823 test
 * accuracy, 62 s on the cpu backend, ~5 s on wasm).
 *
 * Why 40,000 and not 10,000: with the book's learning rate, 2 epochs on 10,000 images
 * (1,250 steps) measured 0.758 test accuracy, 20,000 measured 0.790 and 30,000 0.802 (too
 * close to the 0.80 line for a stable test). The step count is what matters: one full epoch
 * on 55,000 images (1,719 steps) measured val_accuracy 0.8224 on the cpu backend. The full run (30 epochs, 55,000/5,000 split) is
 * examples/fashion_mnist_mlp.ts; its measured result is in docs/RESULTS.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../src/index.js';
import { labels, scaled } from '../examples/pixels.js';

/** Pixels scaled to [0, 1] as in the book (`X / 255.`), and int32 labels. */

describe('e2e: Fashion-MNIST MLP (book ch. 10)', () => {
  it('reaches > 0.80 test accuracy after 2 epochs on 40,000 training images', async () => {
    hb.setSeed(42);
    const d = await hb.datasets.loadFashionMnist();
    const xTrain = scaled(hb.datasets.sliceRows(d.xTrain, 0, 40000));
    const yTrain = labels(hb.datasets.sliceRows(d.yTrain, 0, 40000));
    const xTest = scaled(d.xTest);
    const yTest = labels(d.yTest);

    const model = hb.sequential([
      hb.layers.input({ shape: [28, 28] }),
      hb.layers.flatten(),
      hb.layers.dense({ units: 300, activation: 'relu' }),
      hb.layers.dense({ units: 100, activation: 'relu' }),
      hb.layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    assert.equal(model.countParams(), 266610); // the book's summary
    model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
    const t0 = Date.now();
    const history = await model.fit(xTrain, yTrain, { epochs: 2, verbose: 0 });
    const losses = history.history['loss'] as number[];
    assert.equal(losses.length, 2);
    assert.ok((losses[1] as number) < (losses[0] as number), `loss ${losses}`);
    const [testLoss, testAcc] = (await model.evaluate(xTest, yTest, { batchSize: 500, verbose: 0 })) as number[];
    const secs = (Date.now() - t0) / 1000;
    console.log(`fashion-mnist e2e (${hb.getBackend().name}): loss ${losses.map((l) => l.toFixed(4))}, test loss ${testLoss?.toFixed(4)}, test accuracy ${testAcc?.toFixed(4)}, ${secs.toFixed(1)} s`);
    assert.ok((testAcc as number) > 0.8, `test accuracy ${testAcc}`);

    // predict agrees with evaluate's accuracy on a few images
    const proba = await model.predict(hb.datasets.sliceRows(xTest, 0, 100));
    const pred = hb.argmax(proba).dataSync();
    let correct = 0;
    for (let i = 0; i < 100; i++) if (pred[i] === yTest.data[i]) correct++;
    assert.ok(correct >= 70, `${correct}/100 of the first test images`);
    proba.dispose();
  });
});
