/**
 * Book ch. 11, "SELU": a self-normalizing network on Fashion-MNIST. The book's conditions:
 * inputs standardized (each pixel to mean 0, standard deviation 1 over the training images),
 * a plain stack of Dense layers with LeCun normal initialization and SELU, and alpha dropout
 * (which keeps the mean and variance that SELU preserves) rather than plain dropout: here one
 * AlphaDropout(0.1) before the output layer, as in the book's exercise solution. Optimizer:
 * the book's choice for its deep SELU net, SGD with learning rate 0.001 and momentum 0.9.
 *
 * Before training, the example prints the mean and standard deviation of every hidden layer's
 * output on 1,000 training images (inference mode): self-normalization keeps them near 0 and 1
 * all the way down. Then it trains and prints the curves. Default depth 20 hidden layers of
 * 100 units. Measured results: docs/RESULTS.md, "Chapter 11 experiments".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/ch11/self_normalizing.js [epochs] [depth] [train] [valid]
 */
import * as hb from '../../src/index.js';
import { HISTORY_HEADERS, SEED, freshStart, historyRows, isMain, last, loadFashionSplits, markdownTable, runHeader, standardize, type HostData } from './common.js';

export interface SelfNormalizingOptions {
  /** [20] hidden Dense(units, selu) layers. */
  depth?: number;
  /** [100] */
  units?: number;
  /** [0.1] AlphaDropout rate before the output layer (0 leaves the layer out). */
  alphaDropoutRate?: number;
}

export function selfNormalizingNet(options: SelfNormalizingOptions = {}): hb.Sequential {
  const depth = options.depth ?? 20;
  const units = options.units ?? 100;
  const rate = options.alphaDropoutRate ?? 0.1;
  const layers: (hb.Layer | hb.SymbolicTensor)[] = [hb.layers.input({ shape: [28, 28] }), hb.layers.flatten()];
  for (let i = 0; i < depth; i++) layers.push(hb.layers.dense({ units, activation: 'selu', kernelInitializer: 'lecunNormal' }));
  if (rate > 0) layers.push(hb.layers.alphaDropout({ rate }));
  layers.push(hb.layers.dense({ units: 10, activation: 'softmax' }));
  return hb.sequential(layers);
}

/** Mean and standard deviation (over samples and units) of each hidden Dense layer's output. */
export function activationStats(model: hb.Sequential, x: HostData, samples = 1000): { mean: number; std: number }[] {
  const row = x.data.length / (x.shape[0] as number);
  const n = Math.min(samples, x.shape[0] as number);
  const hidden = model.layers.filter((l): l is hb.layers.Dense => l instanceof hb.layers.Dense).slice(0, -1);
  return hb.scope(() => {
    let h: hb.Tensor = hb.tensor(x.data.subarray(0, n * row), [n, ...x.shape.slice(1)]);
    const stats: { mean: number; std: number }[] = [];
    for (const layer of model.layers) {
      h = layer.apply(h, { training: false });
      if (hidden.includes(layer as hb.layers.Dense)) {
        const m = hb.mean(h).dataSync()[0] as number;
        const v = hb.mean(hb.square(hb.sub(h, m))).dataSync()[0] as number;
        stats.push({ mean: m, std: Math.sqrt(v) });
      }
    }
    return stats;
  });
}

export interface SelfNormalizingRun extends SelfNormalizingOptions {
  epochs?: number;
  train?: number;
  valid?: number;
  learningRate?: number;
  momentum?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface SelfNormalizingResult {
  stats: { mean: number; std: number }[];
  history: Record<string, number[]>;
  seconds: number;
}

export async function runSelfNormalizing(options: SelfNormalizingRun = {}): Promise<SelfNormalizingResult> {
  const data = standardize(await loadFashionSplits({ train: options.train ?? 20000, valid: options.valid ?? 5000, test: 0 }));
  freshStart(options.seed ?? SEED);
  const model = selfNormalizingNet(options);
  model.compile({
    loss: 'sparseCategoricalCrossentropy',
    optimizer: hb.optimizers.sgd({ learningRate: options.learningRate ?? 0.001, momentum: options.momentum ?? 0.9 }),
    metrics: ['accuracy'],
  });
  const stats = activationStats(model, data.xTrain);
  const t0 = Date.now();
  const h = await model.fit(data.xTrain, data.yTrain, { epochs: options.epochs ?? 10, validationData: [data.xValid, data.yValid], verbose: options.verbose ?? 0 });
  const seconds = (Date.now() - t0) / 1000;
  model.dispose();
  return { stats, history: h.history, seconds };
}

export function selfNormalizingReport(r: SelfNormalizingResult): string {
  const rows = r.stats.map((s, i) => [i + 1, s.mean, s.std]);
  return [
    'Hidden-layer outputs before training (1,000 standardized training images, inference mode):',
    '',
    markdownTable(['layer', 'mean', 'std'], rows, 3),
    '',
    markdownTable([...HISTORY_HEADERS], historyRows(r.history)),
    '',
    `final val_accuracy ${last(r.history, 'val_accuracy').toFixed(4)}, val_loss ${last(r.history, 'val_loss').toFixed(4)}, fit ${r.seconds.toFixed(1)} s`,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const [epochs, depth, train, valid] = process.argv.slice(2).map(Number);
  const run = { epochs: epochs ?? 10, depth: depth ?? 20, train: train ?? 20000, valid: valid ?? 5000 };
  console.log(runHeader(`self-normalizing net, depth ${run.depth}`));
  console.log(selfNormalizingReport(await runSelfNormalizing({ ...run, verbose: 2 })));
}
