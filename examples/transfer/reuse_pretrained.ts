/**
 * Book ch. 11, "Reusing Pretrained Layers", on Fashion-MNIST. Model A learns the 8 classes
 * other than sandal (5) and shirt (6); model B tells sandals from shirts (shirt = 1) from only
 * 200 labelled images. B_on_A reuses A's hidden layers: A is cloned and the clone gets A's
 * weights (so training B_on_A leaves A as it is), its output layer is replaced by a new
 * Dense(1, sigmoid), the reused layers are frozen for a few epochs, then unfrozen and trained
 * with a lower learning rate. B is the same net trained from scratch for as many epochs.
 * Everything is repeated per seed (A included): the book warns that one seed misleads.
 *
 * The net is the book's (3rd edition): Flatten, 3 × Dense(100, relu, He normal), output; SGD.
 * A trains on a subset of the training file for a few epochs (the book: ~43,000 images, 20
 * epochs at learning rate 0.001); to stay in minutes here its learning rate is 10× the book's,
 * and so are B's (0.01 from scratch and frozen, 0.001 after unfreezing; the book: 0.001 and
 * 0.0001). All of it is in the flags. B's 200 images are the first sandals and shirts of the
 * training file; its test set is every sandal and shirt of the test file (2,000 images).
 * `--negative 0 --positive 2` runs the 3rd edition's pair instead (T-shirt/top vs pullover,
 * harder: the two look alike, where a sandal and a shirt do not).
 * Measured results: docs/RESULTS.md, "Transfer learning".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/transfer/reuse_pretrained.js [--seeds 5] [--train-a 20000] ...
 * (`--help` lists the flags.)
 */
import * as hb from '../../src/index.js';
import { freshStart, isMain } from '../ch11/common.js';
import {
  accuracy, binaryTargets, comparisonReport, fitPhase, freezeThenFineTune, loadFashion, pickLabels, pickRows, rowsOfClasses, seedList, snapshot,
  runExample, type FineTuneResult, type SeedRow, type Task,
} from './common.js';

export const SANDAL = 5;
export const SHIRT = 6;

/** A's classes: the 8 that are not B's, in order, renumbered 0..7. */
export function classesA(negative: number, positive: number): number[] {
  return Array.from({ length: 10 }, (_, c) => c).filter((c) => c !== negative && c !== positive);
}

export const DEFAULTS = {
  /** B's two classes: negative (0) and positive (1); the book's sandal vs shirt. */
  negative: SANDAL,
  positive: SHIRT,
  seeds: 5,
  firstSeed: 42,
  /** Images from the start of the training file A draws its 8 classes from (~80% are kept). */
  trainA: 20000,
  epochsA: 5,
  learningRateA: 0.01,
  /** B's labelled images: the first of its two classes in the training file. */
  trainB: 200,
  /** Test images (from the start of the test file) whose sandals and shirts test B. */
  test: 10000,
  frozenEpochs: 4,
  fineTuneEpochs: 16,
  learningRateB: 0.01,
  fineTuneLearningRate: 0.001,
  batchSize: 32,
};
export type ReuseOptions = typeof DEFAULTS;

/** The book's net with `out` as its output layer; hidden layers named hidden1..3. */
export function bookNet(out: hb.Layer): hb.Sequential {
  return hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    hb.layers.flatten({ name: 'flatten' }),
    ...[1, 2, 3].map((i) => hb.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'heNormal', name: `hidden${i}` })),
    out,
  ]);
}

const headB = (): hb.Layer => hb.layers.dense({ units: 1, activation: 'sigmoid', name: 'b_out' });

export interface SeedResult {
  seed: number;
  /** A's test accuracy on its own 8 classes. */
  accuracyA: number;
  /** B from scratch, test accuracy. */
  scratch: number;
  /** B_on_A: reused layers' weights at each stage and its accuracies. */
  reuse: FineTuneResult;
  /** A's hidden layers after training A, and again after B_on_A was trained. */
  aHidden: Float32Array[][];
  aHiddenAfterB: Float32Array[][];
  /** The new output layers' initial weights in B and B_on_A. */
  headScratch0: Float32Array[][];
  headReuse0: Float32Array[][];
}

export interface ReuseResult {
  options: ReuseOptions;
  sizes: { trainA: number; trainB: number; testA: number; testB: number };
  seeds: SeedResult[];
}

export async function runReusePretrained(partial: Partial<ReuseOptions> = {}): Promise<ReuseResult> {
  const o: ReuseOptions = { ...DEFAULTS, ...partial };
  const d = await loadFashion();
  const aClasses = classesA(o.negative, o.positive);
  const toA = (label: number): number => aClasses.indexOf(label);
  const aRows = rowsOfClasses({ data: Array.from(d.yTrain.data).slice(0, o.trainA) }, aClasses);
  const bRows = rowsOfClasses(d.yTrain, [o.negative, o.positive], o.trainB);
  const testTop = { data: Array.from(d.yTest.data).slice(0, o.test) };
  const aTestRows = rowsOfClasses(testTop, aClasses);
  const bTestRows = rowsOfClasses(testTop, [o.negative, o.positive]);
  const opt = (learningRate: number): hb.Optimizer => hb.optimizers.sgd({ learningRate });
  const taskA: Task = {
    train: { x: pickRows(d.xTrain, aRows), y: pickLabels(d.yTrain, aRows, toA) },
    test: { x: pickRows(d.xTest, aTestRows), y: pickLabels(d.yTest, aTestRows, toA) },
    loss: 'sparseCategoricalCrossentropy', optimizer: opt, batchSize: o.batchSize,
  };
  const taskB: Task = {
    train: { x: pickRows(d.xTrain, bRows), y: binaryTargets(d.yTrain, bRows, o.positive) },
    test: { x: pickRows(d.xTest, bTestRows), y: binaryTargets(d.yTest, bTestRows, o.positive) },
    loss: 'binaryCrossentropy', optimizer: opt, batchSize: o.batchSize,
  };

  const seeds: SeedResult[] = [];
  for (const seed of seedList(o.seeds, o.firstSeed)) {
    freshStart(seed);
    const modelA = bookNet(hb.layers.dense({ units: 8, activation: 'softmax', name: 'a_out' }));
    await fitPhase(modelA, taskA, o.epochsA, o.learningRateA);
    const accuracyA = await accuracy(modelA, taskA.test);
    const aHidden = snapshot(modelA.layers.slice(1, -1));

    freshStart(seed);
    const modelB = bookNet(headB());
    const headScratch0 = snapshot([modelB.getLayer('b_out')]);
    await fitPhase(modelB, taskB, o.frozenEpochs + o.fineTuneEpochs, o.learningRateB);
    const scratch = await accuracy(modelB, taskB.test);

    // The book's way: clone A (new layer objects), give the clone A's weights, drop its
    // output layer. Reusing modelA.layers directly would share them: training B would change A.
    const aClone = hb.cloneModel(modelA);
    const ws = modelA.getWeights();
    aClone.setWeights(ws);
    hb.dispose(ws);
    freshStart(seed); // the same seed state as B's: b_out starts from the same weights
    // With its input declared the model is built at once, so b_out gets its weights here.
    const modelBonA = hb.sequential([hb.layers.input({ shape: [28, 28] }), ...aClone.layers.slice(0, -1), headB()]);
    const headReuse0 = snapshot([modelBonA.getLayer('b_out')]);
    const reuse = await freezeThenFineTune(modelBonA, modelBonA.layers.slice(0, -1), taskB, {
      frozenEpochs: o.frozenEpochs, frozenLearningRate: o.learningRateB, fineTuneEpochs: o.fineTuneEpochs, fineTuneLearningRate: o.fineTuneLearningRate,
    });
    const aHiddenAfterB = snapshot(modelA.layers.slice(1, -1));
    seeds.push({ seed, accuracyA, scratch, reuse, aHidden, aHiddenAfterB, headScratch0, headReuse0 });
    for (const m of [modelA, modelB, modelBonA, aClone]) m.dispose();
  }
  return { options: o, sizes: { trainA: aRows.length, trainB: bRows.length, testA: aTestRows.length, testB: bTestRows.length }, seeds };
}

export function reuseReport(r: ReuseResult): string {
  const rows: SeedRow[] = r.seeds.map((s) => ({ seed: s.seed, accuracies: [s.scratch, s.reuse.frozenAccuracy, s.reuse.accuracy] }));
  const o = r.options;
  return [
    `A: ${r.sizes.trainA} training images of 8 classes, ${o.epochsA} epochs, SGD ${o.learningRateA}; test accuracy per seed on its ${r.sizes.testA} test images: ${r.seeds.map((s) => s.accuracyA.toFixed(4)).join(', ')}`,
    `B (class ${o.negative} vs ${o.positive}): ${r.sizes.trainB} training images, test on ${r.sizes.testB}; from scratch ${o.frozenEpochs + o.fineTuneEpochs} epochs at ${o.learningRateB}; B_on_A frozen ${o.frozenEpochs} epochs at ${o.learningRateB}, then unfrozen ${o.fineTuneEpochs} epochs at ${o.fineTuneLearningRate}`,
    '',
    comparisonReport(['B from scratch', `B_on_A after the frozen phase`, 'B_on_A fine-tuned'], rows),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  await runExample('dist/examples/transfer/reuse_pretrained.js', DEFAULTS, 'reuse_pretrained: the book\'s transfer-learning example (Fashion-MNIST, sandal vs shirt by default; --negative 0 --positive 2 is the 3rd edition\'s T-shirt/top vs pullover)', runReusePretrained, reuseReport);
}
