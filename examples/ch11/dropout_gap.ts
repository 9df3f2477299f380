/**
 * Book ch. 11, "Dropout": the same MLP trained with and without dropout on a Fashion-MNIST
 * subset small enough to overfit. The net is the book's dropout example: Flatten, Dropout,
 * Dense(100, relu, He normal), Dropout, Dense(100, relu, He normal), Dropout, Dense(10,
 * softmax), SGD with learning rate 0.01 and momentum 0.9; "without" leaves the Dropout layers
 * out and changes nothing else.
 *
 * The gap is training accuracy minus validation accuracy, both measured with `evaluate`
 * (inference mode, dropout off) after the last epoch: the training accuracy fit reports is
 * measured with dropout on, which would shrink the gap for the wrong reason (the book warns
 * about this). Measured results: docs/RESULTS.md, "Chapter 11 experiments".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/ch11/dropout_gap.js [epochs] [train] [valid] [rate]
 */
import * as hb from '../../src/index.js';
import { HISTORY_HEADERS, SEED, freshStart, historyRows, isMain, loadFashionSplits, markdownTable, runHeader, type FashionSplits } from './common.js';

export interface DropoutNetOptions {
  /** Dropout rate of the three Dropout layers; 0 leaves them out. */
  rate: number;
  /** [100] units of each of the two hidden layers. */
  units?: number;
}

/** The book's dropout MLP (rate 0: the same net without the Dropout layers). */
export function dropoutNet(options: DropoutNetOptions): hb.Sequential {
  const units = options.units ?? 100;
  const drop = (): hb.Layer[] => (options.rate > 0 ? [hb.layers.dropout({ rate: options.rate })] : []);
  return hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    hb.layers.flatten(),
    ...drop(),
    hb.layers.dense({ units, activation: 'relu', kernelInitializer: 'heNormal' }),
    ...drop(),
    hb.layers.dense({ units, activation: 'relu', kernelInitializer: 'heNormal' }),
    ...drop(),
    hb.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  momentum?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

/** Seeds, builds, compiles and fits one dropout net (validation data: the splits' own). */
export async function trainDropoutNet(data: FashionSplits, net: DropoutNetOptions, options: TrainOptions = {}): Promise<{ model: hb.Sequential; history: Record<string, number[]>; seconds: number }> {
  freshStart(options.seed ?? SEED);
  const model = dropoutNet(net);
  model.compile({
    loss: 'sparseCategoricalCrossentropy',
    optimizer: hb.optimizers.sgd({ learningRate: options.learningRate ?? 0.01, momentum: options.momentum ?? 0.9 }),
    metrics: ['accuracy'],
  });
  const t0 = Date.now();
  const h = await model.fit(data.xTrain, data.yTrain, { epochs: options.epochs ?? 20, validationData: [data.xValid, data.yValid], verbose: options.verbose ?? 0 });
  return { model, history: h.history, seconds: (Date.now() - t0) / 1000 };
}

export interface GapResult {
  rate: number;
  /** Accuracy on the training subset, inference mode (evaluate). */
  trainAccuracy: number;
  validAccuracy: number;
  trainLoss: number;
  validLoss: number;
  gap: number;
  history: Record<string, number[]>;
  seconds: number;
}

export interface DropoutGapOptions extends TrainOptions {
  train?: number;
  valid?: number;
  /** [0.2, the book's] dropout rate of the "with" net. */
  rate?: number;
  units?: number;
}

/** Trains the net without dropout, then with it; returns both results in that order. */
export async function runDropoutGap(options: DropoutGapOptions = {}): Promise<GapResult[]> {
  const data = await loadFashionSplits({ train: options.train ?? 10000, valid: options.valid ?? 5000, test: 0 });
  const results: GapResult[] = [];
  for (const rate of [0, options.rate ?? 0.2]) {
    const net = options.units === undefined ? { rate } : { rate, units: options.units };
    const { model, history, seconds } = await trainDropoutNet(data, net, options);
    const [trainLoss, trainAccuracy] = (await model.evaluate(data.xTrain, data.yTrain, { batchSize: 500, verbose: 0 })) as [number, number];
    const [validLoss, validAccuracy] = (await model.evaluate(data.xValid, data.yValid, { batchSize: 500, verbose: 0 })) as [number, number];
    model.dispose();
    results.push({ rate, trainAccuracy, validAccuracy, trainLoss, validLoss, gap: trainAccuracy - validAccuracy, history, seconds });
  }
  return results;
}

export function dropoutGapReport(results: readonly GapResult[]): string {
  const label = (r: GapResult): string => (r.rate > 0 ? `dropout ${r.rate}` : 'no dropout');
  const out = [
    'After the last epoch, both accuracies from evaluate (inference mode):',
    '',
    markdownTable(
      ['net', 'train loss', 'train accuracy', 'val loss', 'val accuracy', 'gap (train − val)', 'fit s'],
      results.map((r) => [label(r), r.trainLoss, r.trainAccuracy, r.validLoss, r.validAccuracy, r.gap, r.seconds.toFixed(1)]),
    ),
  ];
  for (const r of results) out.push('', `${label(r)}${r.rate > 0 ? " (fit's accuracy is measured in training mode, with dropout on)" : ''}:`, '', markdownTable([...HISTORY_HEADERS], historyRows(r.history)));
  return out.join('\n');
}

if (isMain(import.meta.url)) {
  const [epochs, train, valid, rate] = process.argv.slice(2).map(Number);
  console.log(runHeader('dropout and the generalization gap'));
  const results = await runDropoutGap({ epochs: epochs ?? 20, train: train ?? 10000, valid: valid ?? 5000, rate: rate ?? 0.2 });
  console.log(dropoutGapReport(results));
}
