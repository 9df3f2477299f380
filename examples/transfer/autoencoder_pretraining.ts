/**
 * Unsupervised pretraining (book ch. 11, "Unsupervised Pretraining"; the autoencoder is ch.
 * 17's stacked one): a stacked dense autoencoder learns to reconstruct Fashion-MNIST images
 * without their labels; its encoder then initializes a classifier trained on few labels,
 * against the same classifier trained from scratch, over several seeds.
 *
 * Autoencoder (the book's): encoder Flatten, Dense(100, relu), Dense(30, relu); decoder
 * Dense(100, relu), Dense(784), Reshape([28, 28]); mean squared error, Nadam (learning rate
 * 0.001, its default). It trains on the first `unlabeled` images of the training file, labels
 * unused. The classifier is the encoder plus Dense(10, softmax): with the encoder's weights
 * copied in, frozen for `frozenEpochs` (only the head trains, at learning rate 0.01: a lone
 * softmax layer on the code learns slowly at 0.001), then unfrozen for `fineTuneEpochs` at a
 * tenth of that, 0.001; from scratch it trains for as many epochs at 0.001 (Nadam's default). Its labelled images are the first `labeled` ones of the training file
 * (a subset of the unlabelled ones, as when only a few of one's images get labelled); test:
 * the first `test` images of the test file.
 * Measured results: docs/RESULTS.md, "Transfer learning".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/transfer/autoencoder_pretraining.js [--seeds 5] [--labeled 500] ...
 * (`--help` lists the flags.)
 */
import * as hb from '../../src/index.js';
import { freshStart, isMain } from '../ch11/common.js';
import { comparisonReport, fewLabels, loadFashion, pickRows, scratchVsReuse, seedList, type ScratchVsReuse, type SeedRow, runExample } from './common.js';

export const DEFAULTS = {
  seeds: 5,
  firstSeed: 42,
  /** Images the autoencoder trains on (the start of the training file, labels unused). */
  unlabeled: 20000,
  aeEpochs: 5,
  /** Labelled images for the classifier (the start of the training file). */
  labeled: 500,
  test: 10000,
  frozenEpochs: 10,
  fineTuneEpochs: 20,
  /** The autoencoder's and the from-scratch classifier's (Nadam's default). */
  learningRate: 0.001,
  /** The new head's while the encoder is frozen: a lone softmax layer on the code learns slowly at 0.001. */
  frozenLearningRate: 0.01,
  fineTuneLearningRate: 0.001,
  batchSize: 32,
};
export type AutoencoderOptions = typeof DEFAULTS;

/** The encoder's layers, new each call; names enc1, enc2 (so copies line up by position and name). */
export function encoderLayers(): hb.Layer[] {
  return [
    hb.layers.flatten({ name: 'flatten' }),
    hb.layers.dense({ units: 100, activation: 'relu', name: 'enc1' }),
    hb.layers.dense({ units: 30, activation: 'relu', name: 'enc2' }),
  ];
}

export function autoencoder(): hb.Sequential {
  return hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    ...encoderLayers(),
    hb.layers.dense({ units: 100, activation: 'relu', name: 'dec1' }),
    hb.layers.dense({ units: 28 * 28, name: 'dec2' }),
    hb.layers.reshape({ targetShape: [28, 28], name: 'reshape' }),
  ]);
}

export function classifier(): hb.Sequential {
  return hb.sequential([hb.layers.input({ shape: [28, 28] }), ...encoderLayers(), hb.layers.dense({ units: 10, activation: 'softmax', name: 'out' })]);
}

export interface AeSeedResult extends ScratchVsReuse {
  seed: number;
  /** Reconstruction MSE on the test images before and after the autoencoder trained. */
  mseBefore: number;
  mseAfter: number;
}

export interface AutoencoderResult {
  options: AutoencoderOptions;
  seeds: AeSeedResult[];
}

async function mse(model: hb.Model, x: { data: Float32Array; shape: number[] }): Promise<number> {
  const logs = (await model.evaluate(x, x, { batchSize: 500, verbose: 0, returnDict: true })) as Record<string, number>;
  return logs['loss'] as number;
}

export async function runAutoencoderPretraining(partial: Partial<AutoencoderOptions> = {}): Promise<AutoencoderResult> {
  const o: AutoencoderOptions = { ...DEFAULTS, ...partial };
  const d = await loadFashion();
  const xUnlabeled = pickRows(d.xTrain, Array.from({ length: o.unlabeled }, (_, i) => i));
  const task = await fewLabels(o.labeled, o.test, (learningRate) => hb.optimizers.nadam({ learningRate }), o.batchSize);
  const xTest = task.test.x;
  const seeds: AeSeedResult[] = [];
  for (const seed of seedList(o.seeds, o.firstSeed)) {
    freshStart(seed);
    const ae = autoencoder();
    ae.compile({ loss: 'meanSquaredError', optimizer: hb.optimizers.nadam({ learningRate: o.learningRate }) });
    const mseBefore = await mse(ae, xTest);
    await ae.fit(xUnlabeled, xUnlabeled, { epochs: o.aeEpochs, batchSize: o.batchSize, verbose: 0 });
    const mseAfter = await mse(ae, xTest);
    const encoder = ae.layers.slice(0, 3);
    const r = await scratchVsReuse(seed, classifier, encoder, task, {
      frozenEpochs: o.frozenEpochs, frozenLearningRate: o.frozenLearningRate, fineTuneEpochs: o.fineTuneEpochs, fineTuneLearningRate: o.fineTuneLearningRate, scratchLearningRate: o.learningRate,
    });
    ae.dispose();
    seeds.push({ seed, mseBefore, mseAfter, ...r });
  }
  return { options: o, seeds };
}

export function autoencoderReport(r: AutoencoderResult): string {
  const o = r.options;
  const rows: SeedRow[] = r.seeds.map((s) => ({ seed: s.seed, accuracies: [s.scratch, s.reuse.frozenAccuracy, s.reuse.accuracy] }));
  return [
    `autoencoder: ${o.unlabeled} unlabelled images, ${o.aeEpochs} epochs; test reconstruction MSE per seed, before → after: ${r.seeds.map((s) => `${s.mseBefore.toFixed(4)} → ${s.mseAfter.toFixed(4)}`).join(', ')}`,
    `classifier: ${o.labeled} labelled images, test on ${o.test}; from scratch ${o.frozenEpochs + o.fineTuneEpochs} epochs at ${o.learningRate}; pretrained: encoder frozen ${o.frozenEpochs} epochs at ${o.frozenLearningRate}, then unfrozen ${o.fineTuneEpochs} epochs at ${o.fineTuneLearningRate}`,
    '',
    comparisonReport(['from scratch', 'pretrained encoder, frozen', 'pretrained encoder, fine-tuned'], rows),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  await runExample('dist/examples/transfer/autoencoder_pretraining.js', DEFAULTS, 'autoencoder_pretraining: unsupervised pretraining with a stacked autoencoder (Fashion-MNIST, few labels)', runAutoencoderPretraining, autoencoderReport);
}
