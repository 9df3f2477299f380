/**
 * The book's ch. 10 image classifier, full run: Fashion-MNIST, an MLP 784-300-100-10
 * (relu, softmax), sparse categorical cross-entropy, SGD (learning rate 0.01), 30 epochs.
 * As in the book, the last 5,000 training images are held out for validation
 * (`X_train_full[:-5000]`, `X_train_full[-5000:]`) and pixels are scaled by 1/255.
 * Target: >= 0.87 test accuracy. Measured results: docs/RESULTS.md.
 *
 * Run: npx tsc -p . && node dist/examples/fashion_mnist_mlp.js [epochs]
 * (HEBB_BACKEND=cpu to use the reference backend; HEBB_DATASETS=... to point at the data.)
 */
import { pathToFileURL } from 'node:url';
import * as hb from '../src/index.js';
import { labels, scaled } from './pixels.js';


export interface FashionResult {
  history: Record<string, number[]>;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
}

export async function runFashionMnist(epochs = 30, seed = 42, verbose: 0 | 1 | 2 = 2): Promise<FashionResult> {
  hb.setSeed(seed);
  const d = await hb.datasets.loadFashionMnist();
  const xTrain = scaled(hb.datasets.sliceRows(d.xTrain, 0, 55000));
  const yTrain = labels(hb.datasets.sliceRows(d.yTrain, 0, 55000));
  const xValid = scaled(hb.datasets.sliceRows(d.xTrain, 55000));
  const yValid = labels(hb.datasets.sliceRows(d.yTrain, 55000));
  const xTest = scaled(d.xTest);
  const yTest = labels(d.yTest);

  const model = hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    hb.layers.flatten(),
    hb.layers.dense({ units: 300, activation: 'relu' }),
    hb.layers.dense({ units: 100, activation: 'relu' }),
    hb.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  if (verbose > 0) model.summary();
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  const t0 = Date.now();
  const history = await model.fit(xTrain, yTrain, { epochs, validationData: [xValid, yValid], verbose });
  const [testLoss, testAccuracy] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as [number, number];
  return { history: history.history, testLoss, testAccuracy, seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const epochs = process.argv[2] ? Number(process.argv[2]) : 30;
  const r = await runFashionMnist(epochs);
  console.log(`backend ${hb.getBackend().name}, ${epochs} epochs, ${r.seconds.toFixed(1)} s (fit + evaluate)`);
  console.log(`test loss ${r.testLoss.toFixed(4)}, test accuracy ${r.testAccuracy.toFixed(4)}`);
}
