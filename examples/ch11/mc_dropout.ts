/**
 * Book ch. 11, "Monte Carlo (MC) Dropout": the dropout MLP of dropout_gap.ts (the book's
 * net, dropout 0.2, SGD 0.01 with momentum 0.9) is trained once; its probabilities on the
 * 10,000 test images are then taken two ways:
 *
 * - one pass: `predict`, inference mode (dropout off), as a plain model would be used;
 * - MC dropout: `hb.mcPredict(model, xTest, {samples})`, the mean of `samples` predictions
 *   with dropout on (the book averages 100; 50 by default here).
 *
 * Both are scored on the test set with log loss and expected calibration error over 15
 * equal-width confidence bins (definitions in calibration.ts); the reliability table lists
 * the bins. Measured results: docs/RESULTS.md, "Chapter 11 experiments".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/ch11/mc_dropout.js [epochs] [samples] [train] [valid]
 */
import * as hb from '../../src/index.js';
import { accuracy, expectedCalibrationError, logLoss, type CalibrationBin } from './calibration.js';
import { isMain, loadFashionSplits, markdownTable, runHeader } from './common.js';
import { trainDropoutNet, type TrainOptions } from './dropout_gap.js';

export interface McDropoutOptions extends TrainOptions {
  train?: number;
  valid?: number;
  /** [10000] test images scored. */
  test?: number;
  /** [0.2] */
  rate?: number;
  /** [50] MC samples. */
  samples?: number;
  /** [15] ECE bins. */
  bins?: number;
}

export interface Scores {
  accuracy: number;
  logLoss: number;
  ece: number;
  bins: CalibrationBin[];
}

export interface McDropoutResult {
  onePass: Scores;
  mc: Scores;
  samples: number;
  testImages: number;
  seconds: { fit: number; onePass: number; mc: number };
}

function score(probs: Float32Array | Float64Array, labels: Int32Array, bins: number): Scores {
  const { ece, bins: table } = expectedCalibrationError(probs, labels, bins);
  return { accuracy: accuracy(probs, labels), logLoss: logLoss(probs, labels), ece, bins: table };
}

export async function runMcDropout(options: McDropoutOptions = {}): Promise<McDropoutResult> {
  const data = await loadFashionSplits({ train: options.train ?? 10000, valid: options.valid ?? 5000, test: options.test ?? 10000 });
  const bins = options.bins ?? 15;
  const samples = options.samples ?? 50;
  const { model, seconds: fit } = await trainDropoutNet(data, { rate: options.rate ?? 0.2 }, options);
  let t0 = Date.now();
  const one = await model.predict(data.xTest, { batchSize: 500 });
  const onePass = score(one.dataSync() as Float32Array, data.yTest.data, bins);
  one.dispose();
  const onePassSeconds = (Date.now() - t0) / 1000;
  t0 = Date.now();
  const { mean, std } = await hb.mcPredict(model, data.xTest, { samples, batchSize: 500 });
  const mc = score(mean.dataSync() as Float32Array, data.yTest.data, bins);
  mean.dispose();
  std.dispose();
  const mcSeconds = (Date.now() - t0) / 1000;
  model.dispose();
  return { onePass, mc, samples, testImages: data.yTest.data.length, seconds: { fit, onePass: onePassSeconds, mc: mcSeconds } };
}

export function mcDropoutReport(r: McDropoutResult): string {
  const rows = [
    ['one pass (dropout off)', r.onePass.accuracy, r.onePass.logLoss, r.onePass.ece, r.seconds.onePass.toFixed(1)],
    [`MC dropout, mean of ${r.samples}`, r.mc.accuracy, r.mc.logLoss, r.mc.ece, r.seconds.mc.toFixed(1)],
  ];
  const binRows = r.onePass.bins.map((b, m) => {
    const c = r.mc.bins[m] as CalibrationBin;
    const range = `(${(m / r.onePass.bins.length).toFixed(3)}, ${b.upper.toFixed(3)}]`;
    return [range, b.count, b.count > 0 ? b.accuracy : '–', b.count > 0 ? b.confidence : '–', c.count, c.count > 0 ? c.accuracy : '–', c.count > 0 ? c.confidence : '–'];
  });
  return [
    `Test set (${r.testImages} images), fit ${r.seconds.fit.toFixed(1)} s:`,
    '',
    markdownTable(['probabilities', 'accuracy', 'log loss', `ECE (${r.onePass.bins.length} bins)`, 'predict s'], rows),
    '',
    'Reliability (confidence = largest probability):',
    '',
    markdownTable(['confidence bin', 'one pass n', 'acc', 'conf', 'MC n', 'acc', 'conf'], binRows, 3),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const [epochs, samples, train, valid] = process.argv.slice(2).map(Number);
  console.log(runHeader('Monte Carlo dropout calibration'));
  const r = await runMcDropout({ epochs: epochs ?? 20, samples: samples ?? 50, train: train ?? 10000, valid: valid ?? 5000 });
  console.log(mcDropoutReport(r));
}
