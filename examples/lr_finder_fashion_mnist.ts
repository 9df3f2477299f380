/**
 * The learning-rate finder on the book's ch. 10 MLP (784-300-100-10, relu, softmax, sparse
 * categorical cross-entropy, SGD, batch 32): `hb.findLearningRate` sweeps the rate from 1e-5 to
 * 10 over one pass of the training subset, then two twins with the same initial weights train
 * for a few epochs, one at the finder's suggestion, one at the book's hand-picked 0.01 (Keras's
 * SGD default, what the book's `optimizer="sgd"` uses). The finder restores the weights it
 * trained, so its own model is the first twin.
 *
 * Data as in the book: pixels / 255, the last 5,000 training images for validation; training
 * on the first `trainCount` images (a subset, to keep the run cheap), tested on all 10,000 test
 * images. Measured results: docs/RESULTS.md ("Learning-rate finder").
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/lr_finder_fashion_mnist.js [epochs] [trainCount]
 */
import { pathToFileURL } from 'node:url';
import * as hb from '../src/index.js';
import { labels, scaled } from './pixels.js';


function mlp(): hb.Sequential {
  return hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    hb.layers.flatten(),
    hb.layers.dense({ units: 300, activation: 'relu' }),
    hb.layers.dense({ units: 100, activation: 'relu' }),
    hb.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

export interface RunResult {
  learningRate: number;
  history: Record<string, number[]>;
  testLoss: number;
  testAccuracy: number;
}

export interface LrFinderResult {
  curve: hb.LearningRateCurve;
  suggested: RunResult;
  handPicked: RunResult;
  seconds: number;
}

export interface LrFinderRun {
  /** [5] epochs of each training run. */
  epochs?: number;
  /** [10000] the first training images used (of the 55,000 the book trains on). */
  trainCount?: number;
  /** [5000] validation images, from the end of the training file as in the book (0: none). */
  validCount?: number;
  /** [10000] the first test images evaluated. */
  testCount?: number;
  /** [42] */
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export async function runLrFinder(run: LrFinderRun = {}): Promise<LrFinderResult> {
  const { epochs = 5, trainCount = 10000, validCount = 5000, testCount = 10000, seed = 42, verbose = 0 } = run;
  hb.setSeed(seed);
  const d = await hb.datasets.loadFashionMnist();
  const xTrain = scaled(hb.datasets.sliceRows(d.xTrain, 0, trainCount));
  const yTrain = labels(hb.datasets.sliceRows(d.yTrain, 0, trainCount));
  const xValid = scaled(hb.datasets.sliceRows(d.xTrain, 60000 - validCount));
  const yValid = labels(hb.datasets.sliceRows(d.yTrain, 60000 - validCount));
  const xTest = scaled(hb.datasets.sliceRows(d.xTest, 0, testCount));
  const yTest = labels(hb.datasets.sliceRows(d.yTest, 0, testCount));
  const t0 = Date.now();

  const model = mlp();
  const twin = mlp();
  const w0 = model.getWeights();
  twin.setWeights(w0);
  hb.dispose(w0);

  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  const curve = await hb.findLearningRate(model, xTrain, yTrain, { minLr: 1e-5, maxLr: 10, batchSize: 32 });

  async function train(m: hb.Sequential, learningRate: number): Promise<RunResult> {
    m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: hb.optimizers.sgd({ learningRate }), metrics: ['accuracy'] });
    const h = await m.fit(xTrain, yTrain, { epochs, batchSize: 32, verbose, ...(validCount > 0 ? { validationData: [xValid, yValid] as const } : {}) });
    const [testLoss, testAccuracy] = (await m.evaluate(xTest, yTest, { verbose: 0 })) as [number, number];
    return { learningRate, history: h.history, testLoss, testAccuracy };
  }
  // The same shuffles for both runs: each starts from the same generator state.
  hb.setSeed(seed + 1);
  const suggested = await train(model, curve.suggestion);
  hb.setSeed(seed + 1);
  const handPicked = await train(twin, 0.01);
  return { curve, suggested, handPicked, seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const epochs = process.argv[2] ? Number(process.argv[2]) : 5;
  const trainCount = process.argv[3] ? Number(process.argv[3]) : 10000;
  const r = await runLrFinder({ epochs, trainCount });
  const c = r.curve;
  console.log(`backend ${hb.getBackend().name}, ${trainCount} training images, ${epochs} epochs, ${r.seconds.toFixed(1)} s in all`);
  console.log(`finder: ${c.losses.length} steps${c.diverged ? ' (stopped: the loss diverged)' : ''}; smoothed minimum at lr ${c.minLossRate.toPrecision(4)}, suggestion ${c.suggestion.toPrecision(4)}`);
  console.log('| step | learning rate | batch loss | smoothed loss |');
  console.log('|---|---|---|---|');
  const every = Math.max(1, Math.round(c.losses.length / 16));
  for (let i = 0; i < c.losses.length; i++) {
    if (i % every !== 0 && i !== c.losses.length - 1) continue;
    console.log(`| ${i} | ${(c.learningRates[i] as number).toExponential(2)} | ${(c.losses[i] as number).toFixed(4)} | ${(c.smoothedLosses[i] as number).toFixed(4)} |`);
  }
  console.log('| run | learning rate | epoch | loss | accuracy | val_loss | val_accuracy |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, run] of [['suggestion', r.suggested], ['book (0.01)', r.handPicked]] as const) {
    const h = run.history;
    for (let e = 0; e < epochs; e++) {
      const v = (k: string): string => (h[k]?.[e] ?? NaN).toFixed(4);
      console.log(`| ${name} | ${run.learningRate.toPrecision(4)} | ${e + 1} | ${v('loss')} | ${v('accuracy')} | ${v('val_loss')} | ${v('val_accuracy')} |`);
    }
  }
  for (const [name, run] of [['suggestion', r.suggested], ['book (0.01)', r.handPicked]] as const) {
    console.log(`${name}: lr ${run.learningRate.toPrecision(4)}, test loss ${run.testLoss.toFixed(4)}, test accuracy ${run.testAccuracy.toFixed(4)}`);
  }
}
