/**
 * The book's ch. 10 Wide & Deep network on California housing, with the functional API:
 * a wide input (features 0-4) and a deep input (features 2-7), each normalized; the deep
 * path is two Dense(30, relu); the main output reads concat(wide, deep path) and an
 * auxiliary output reads the deep path alone (a regularizer: the deep part should be useful
 * on its own). Losses mse/mse weighted [0.9, 0.1], Adam 1e-3, 20 epochs.
 *
 * Run: npx tsc -p . && node dist/examples/wide_and_deep.js [epochs]
 */
import { pathToFileURL } from 'node:url';
import * as hb from '../src/index.js';
import { californiaSplits, columns } from './california_data.js';

export async function runWideAndDeep(epochs = 20, seed = 42, verbose: 0 | 1 | 2 = 2) {
  hb.setSeed(seed);
  const { train, valid, test } = await californiaSplits(seed);
  const split = (x: { data: Float32Array; shape: number[] }) => [columns(x, 0, 5), columns(x, 2, 8)];

  const inputWide = hb.layers.input({ shape: [5], name: 'wide' });
  const inputDeep = hb.layers.input({ shape: [6], name: 'deep' });
  const normLayerWide = hb.layers.normalization();
  const normLayerDeep = hb.layers.normalization();
  const normWide = normLayerWide.apply(inputWide);
  const normDeep = normLayerDeep.apply(inputDeep);
  const hidden1 = hb.layers.dense({ units: 30, activation: 'relu' }).apply(normDeep);
  const hidden2 = hb.layers.dense({ units: 30, activation: 'relu' }).apply(hidden1);
  const concat = hb.layers.concatenate().apply([normWide, hidden2]);
  const output = hb.layers.dense({ units: 1, name: 'main' }).apply(concat);
  const auxOutput = hb.layers.dense({ units: 1, name: 'aux' }).apply(hidden2);
  const model = hb.model({ inputs: [inputWide, inputDeep], outputs: [output, auxOutput] });
  if (verbose > 0) model.summary();

  model.compile({ loss: ['mse', 'mse'], lossWeights: [0.9, 0.1], optimizer: hb.optimizers.adam({ learningRate: 1e-3 }) });
  const [trainWide, trainDeep] = split(train.x) as [ReturnType<typeof columns>, ReturnType<typeof columns>];
  normLayerWide.adapt(trainWide);
  normLayerDeep.adapt(trainDeep);
  const t0 = Date.now();
  const history = await model.fit([trainWide, trainDeep], [train.y, train.y], {
    epochs,
    validationData: [split(valid.x), [valid.y, valid.y]],
    verbose,
  });
  const [total, mainLoss, auxLoss] = (await model.evaluate(split(test.x), [test.y, test.y], { verbose: 0 })) as [number, number, number];
  return { history: history.history, total, mainLoss, auxLoss, seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const epochs = process.argv[2] ? Number(process.argv[2]) : 20;
  const r = await runWideAndDeep(epochs);
  console.log(`backend ${hb.getBackend().name}, ${epochs} epochs, ${r.seconds.toFixed(1)} s`);
  console.log(`test: weighted loss ${r.total.toFixed(4)}, main MSE ${r.mainLoss.toFixed(4)} (RMSE ${Math.sqrt(r.mainLoss).toFixed(4)}), aux MSE ${r.auxLoss.toFixed(4)} (RMSE ${Math.sqrt(r.auxLoss).toFixed(4)})`);
}
