/**
 * The pictures of docs/PLOTS.md, from real runs: the book's ch. 10 Fashion-MNIST MLP (with
 * dropout, for MC dropout) trained on a subset; its learning curves, the learning-rate
 * finder's curve, the confusion matrix of its test predictions, MC-dropout probabilities of
 * two test images, and two runs compared (the finder's suggestion against the book's 0.01).
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/plots.js [outDir=docs/images] [epochs=10] [trainCount=5000]
 */
import { join } from 'node:path';
import * as hb from '../src/index.js';
import { labels, scaled } from './pixels.js';

function mlp(): hb.Sequential {
  return hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    hb.layers.flatten(),
    hb.layers.dense({ units: 300, activation: 'relu' }),
    hb.layers.dropout({ rate: 0.2 }),
    hb.layers.dense({ units: 100, activation: 'relu' }),
    hb.layers.dropout({ rate: 0.2 }),
    hb.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

const outDir = process.argv[2] ?? 'docs/images';
const epochs = Number(process.argv[3] ?? 10);
const trainCount = Number(process.argv[4] ?? 5000);
const scale = 1.5; // docs images: sharp enough, a few tens of kB
hb.setSeed(42);
const d = await hb.datasets.loadFashionMnist();
const xTrain = scaled(hb.datasets.sliceRows(d.xTrain, 0, trainCount));
const yTrain = labels(hb.datasets.sliceRows(d.yTrain, 0, trainCount));
const xValid = scaled(hb.datasets.sliceRows(d.xTrain, 55000));
const yValid = labels(hb.datasets.sliceRows(d.yTrain, 55000));
const xTest = scaled(hb.datasets.sliceRows(d.xTest, 0, 2000));
const yTest = labels(hb.datasets.sliceRows(d.yTest, 0, 2000));
const names = [...d.classNames];

const model = mlp();
const twin = mlp();
const w0 = model.getWeights();
twin.setWeights(w0);
hb.dispose(w0);
model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
const curve = await hb.findLearningRate(model, xTrain, yTrain);
await hb.plot.lrFinder(curve, { file: join(outDir, 'lr_finder.png'), title: `Learning-rate finder (Fashion-MNIST MLP, SGD): suggestion ${curve.suggestion.toExponential(1)}`, scale });

const runs: { name: string; history: Record<string, number[]> }[] = [];
for (const [m, lr, name] of [[model, curve.suggestion, `finder's ${curve.suggestion.toExponential(1)}`], [twin, 0.01, "book's 0.01"]] as const) {
  hb.setSeed(43); // the same shuffles for both
  m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: hb.optimizers.sgd({ learningRate: lr }), metrics: ['accuracy'] });
  const h = await m.fit(xTrain, yTrain, { epochs, batchSize: 32, validationData: [xValid, yValid], verbose: 0 });
  runs.push({ name: `SGD, lr ${name}`, history: h.history });
  console.log(`${name}: val_accuracy ${h.history['val_accuracy']?.map((v) => v.toFixed(3)).join(' ')}`);
}
await hb.plot.learningCurves(runs[0]?.history ?? {}, { file: join(outDir, 'learning_curves.png'), title: `Fashion-MNIST MLP, ${trainCount} images, SGD lr ${curve.suggestion.toExponential(1)}`, scale });
await hb.plot.compareRuns(runs, { metric: 'val_accuracy', file: join(outDir, 'compare_runs.png'), title: 'Two learning rates, same initial weights', scale });

const probs = (await model.predict(hb.datasets.toTensor(xTest))) as hb.Tensor;
await hb.plot.confusionMatrix(Array.from(yTest.data), probs, { labels: names, file: join(outDir, 'confusion_matrix.png'), title: 'Fashion-MNIST test images (first 2,000)', scale });
const acc = (probs.arraySync() as number[][]).filter((r, i) => r.indexOf(Math.max(...r)) === yTest.data[i]).length / 2000;
console.log(`test accuracy (first 2000): ${acc.toFixed(4)}`);
probs.dispose();

const mc = await hb.mcPredict(model, hb.datasets.toTensor(xTest), { samples: 100 });
// the most uncertain test image (largest std of its top class) next to the first one
const mean = mc.mean.arraySync() as number[][];
const std = mc.std.arraySync() as number[][];
let worst = 0;
mean.forEach((r, i) => {
  const top = r.indexOf(Math.max(...r));
  if ((std[i]?.[top] ?? 0) > (std[worst]?.[mean[worst]?.indexOf(Math.max(...(mean[worst] as number[]))) ?? 0] ?? 0)) worst = i;
});
await hb.plot.mcDropout(mc, { samples: [0, worst], labels: names, file: join(outDir, 'mc_dropout.png'), title: `MC dropout, 100 samples: test images 0 (${names[yTest.data[0] as number]}) and ${worst} (${names[yTest.data[worst] as number]})`, scale });
console.log(`wrote ${['lr_finder', 'learning_curves', 'compare_runs', 'confusion_matrix', 'mc_dropout'].map((n) => join(outDir, `${n}.png`)).join(', ')}`);
