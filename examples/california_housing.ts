/**
 * The book's ch. 10 regression MLP, full run: California housing (scikit-learn's form),
 * Normalization adapted on the training set, three Dense(50, relu), Dense(1), MSE, Adam
 * (learning rate 1e-3), 20 epochs, reporting the test RMSE and the
 * predictions for the first three test districts. The split is seeded: 20% test, then 20% of
 * the rest for validation (the book uses scikit-learn's train_test_split twice).
 *
 * Run: npx tsc -p . && node dist/examples/california_housing.js [epochs]
 */
import { pathToFileURL } from 'node:url';
import * as hb from '../src/index.js';
import { californiaSplits } from './california_data.js';

export async function runCaliforniaHousing(epochs = 20, seed = 42, verbose: 0 | 1 | 2 = 2) {
  hb.setSeed(seed);
  const { train, valid, test } = await californiaSplits(seed);
  const norm = hb.layers.normalization();
  const model = hb.sequential([
    hb.layers.input({ shape: [8] }),
    norm,
    hb.layers.dense({ units: 50, activation: 'relu' }),
    hb.layers.dense({ units: 50, activation: 'relu' }),
    hb.layers.dense({ units: 50, activation: 'relu' }),
    hb.layers.dense({ units: 1 }),
  ]);
  model.compile({ loss: 'mse', optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), metrics: ['rootMeanSquaredError'] });
  norm.adapt(train.x);
  const t0 = Date.now();
  const history = await model.fit(train.x, train.y, { epochs, validationData: [valid.x, valid.y], verbose });
  const logs = await model.evaluate(test.x, test.y, { returnDict: true, verbose: 0 });
  const first = await model.predict({ data: test.x.data.subarray(0, 24), shape: [3, 8] });
  const yPred = Array.from(first.dataSync());
  first.dispose();
  return { history: history.history, testRmse: logs['rootMeanSquaredError'] as number, testMse: logs['loss'] as number, yPred, yTrue: Array.from(test.y.data.subarray(0, 3)), seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const epochs = process.argv[2] ? Number(process.argv[2]) : 20;
  const r = await runCaliforniaHousing(epochs);
  console.log(`backend ${hb.getBackend().name}, ${epochs} epochs, ${r.seconds.toFixed(1)} s`);
  console.log(`test MSE ${r.testMse.toFixed(4)}, test RMSE ${r.testRmse.toFixed(4)}`);
  console.log(`first three test districts: predicted ${r.yPred.map((v) => v.toFixed(3)).join(', ')}; actual ${r.yTrue.map((v) => v.toFixed(3)).join(', ')} (×$100,000)`);
}
