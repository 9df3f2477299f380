/**
 * Pretraining on an auxiliary task (book ch. 11, "Pretraining on an Auxiliary Task"): when
 * labels for the main task are few, train a network on a task whose labels cost nothing, and
 * reuse its lower layers. The auxiliary task here is self-supervised: each unlabelled image is
 * turned by k quarter turns (k = 0..3, counterclockwise) and the net predicts k. To do that it
 * must find which way up a garment is (where the collar, the sole, the handle is), features a
 * clothing classifier can use. (The book's own example, same-person-or-not pairs of faces,
 * needs pair labels; rotations need none.)
 *
 * Auxiliary net: Flatten, Dense(100, relu, He normal) × 2, Dense(4, softmax), Nadam 0.001, on
 * the first `unlabeled` training images, image i turned by i mod 4 quarter turns (the file is
 * in no class order, so each turn gets every class). Main net: the same two hidden layers
 * plus Dense(10, softmax) on the first `labeled` training images, upright; the hidden layers
 * get the auxiliary net's weights (copied), frozen for `frozenEpochs` at 0.01, then unfrozen
 * at 0.001; from scratch, as many epochs at 0.001. Test: the first `test` test images.
 * Measured results: docs/RESULTS.md, "Transfer learning".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/transfer/rotation_pretraining.js [--seeds 5] [--labeled 500] ...
 * (`--help` lists the flags.)
 */
import * as hb from '../../src/index.js';
import { freshStart, isMain } from '../ch11/common.js';
import { accuracy, comparisonReport, fewLabels, fitPhase, loadFashion, pickRows, scratchVsReuse, seedList, type HostData, type ScratchVsReuse, type SeedRow, type Task, runExample } from './common.js';

export const DEFAULTS = {
  seeds: 5,
  firstSeed: 42,
  /** Images the rotation net trains on (the start of the training file, labels unused). */
  unlabeled: 20000,
  auxEpochs: 5,
  labeled: 500,
  test: 10000,
  frozenEpochs: 10,
  fineTuneEpochs: 20,
  /** The auxiliary net's and the from-scratch classifier's (Nadam's default). */
  learningRate: 0.001,
  frozenLearningRate: 0.01,
  fineTuneLearningRate: 0.001,
  batchSize: 32,
};
export type RotationOptions = typeof DEFAULTS;

/**
 * Each square image of `x` ([n, s, s]) turned counterclockwise by `turns(i)` quarter turns,
 * as NumPy's `np.rot90(image, k)`: one turn sends the pixel at (row r, column c) to
 * (s − 1 − c, r), so the top row becomes the left column, read upwards.
 */
export function rotateImages(x: HostData, turns: (i: number) => number): HostData {
  const [n, s, w] = x.shape as [number, number, number];
  if (s !== w) throw new Error(`rotateImages: expected square images, received shape [${x.shape.join(', ')}]`);
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < n; i++) {
    const k = ((turns(i) % 4) + 4) % 4;
    const base = i * s * s;
    for (let r = 0; r < s; r++) {
      for (let c = 0; c < s; c++) {
        const [r2, c2] = k === 0 ? [r, c] : k === 1 ? [s - 1 - c, r] : k === 2 ? [s - 1 - r, s - 1 - c] : [c, s - 1 - r];
        out[base + r2 * s + c2] = x.data[base + r * s + c] as number;
      }
    }
  }
  return { data: out, shape: [...x.shape] };
}

/** The auxiliary task: image i turned by i mod 4 quarter turns, labelled with that count. */
export function rotationTask(x: HostData): { x: HostData; y: { data: Int32Array; shape: number[] } } {
  const n = x.shape[0] as number;
  return { x: rotateImages(x, (i) => i % 4), y: { data: Int32Array.from({ length: n }, (_, i) => i % 4), shape: [n] } };
}

/** Flatten, two Dense(100, relu, He normal) named hidden1, hidden2, then `units` softmax outputs. */
export function rotationNet(units: number, outName: string): hb.Sequential {
  return hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    hb.layers.flatten({ name: 'flatten' }),
    hb.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'heNormal', name: 'hidden1' }),
    hb.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'heNormal', name: 'hidden2' }),
    hb.layers.dense({ units, activation: 'softmax', name: outName }),
  ]);
}

export interface RotationSeedResult extends ScratchVsReuse {
  seed: number;
  /** The auxiliary net's accuracy at telling the turn of the (turned) test images; chance 0.25. */
  auxAccuracy: number;
}

export interface RotationResult {
  options: RotationOptions;
  seeds: RotationSeedResult[];
}

export async function runRotationPretraining(partial: Partial<RotationOptions> = {}): Promise<RotationResult> {
  const o: RotationOptions = { ...DEFAULTS, ...partial };
  const d = await loadFashion();
  const optimizer = (learningRate: number): hb.Optimizer => hb.optimizers.nadam({ learningRate });
  const task = await fewLabels(o.labeled, o.test, optimizer, o.batchSize);
  const aux: Task = {
    train: rotationTask(pickRows(d.xTrain, Array.from({ length: o.unlabeled }, (_, i) => i))),
    test: rotationTask(task.test.x),
    loss: 'sparseCategoricalCrossentropy', optimizer, batchSize: o.batchSize,
  };
  const seeds: RotationSeedResult[] = [];
  for (const seed of seedList(o.seeds, o.firstSeed)) {
    freshStart(seed);
    const auxNet = rotationNet(4, 'turns');
    await fitPhase(auxNet, aux, o.auxEpochs, o.learningRate);
    const auxAccuracy = await accuracy(auxNet, aux.test);
    const r = await scratchVsReuse(seed, () => rotationNet(10, 'out'), auxNet.layers.slice(0, 3), task, {
      frozenEpochs: o.frozenEpochs, frozenLearningRate: o.frozenLearningRate, fineTuneEpochs: o.fineTuneEpochs, fineTuneLearningRate: o.fineTuneLearningRate, scratchLearningRate: o.learningRate,
    });
    auxNet.dispose();
    seeds.push({ seed, auxAccuracy, ...r });
  }
  return { options: o, seeds };
}

export function rotationReport(r: RotationResult): string {
  const o = r.options;
  const rows: SeedRow[] = r.seeds.map((s) => ({ seed: s.seed, accuracies: [s.scratch, s.reuse.frozenAccuracy, s.reuse.accuracy] }));
  return [
    `auxiliary net (predict the quarter turns): ${o.unlabeled} unlabelled images, ${o.auxEpochs} epochs; test accuracy per seed (chance 0.25): ${r.seeds.map((s) => s.auxAccuracy.toFixed(4)).join(', ')}`,
    `classifier: ${o.labeled} labelled images, test on ${o.test}; from scratch ${o.frozenEpochs + o.fineTuneEpochs} epochs at ${o.learningRate}; reused: hidden layers frozen ${o.frozenEpochs} epochs at ${o.frozenLearningRate}, then unfrozen ${o.fineTuneEpochs} epochs at ${o.fineTuneLearningRate}`,
    '',
    comparisonReport(['from scratch', 'rotation-pretrained, frozen', 'rotation-pretrained, fine-tuned'], rows),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  await runExample('dist/examples/transfer/rotation_pretraining.js', DEFAULTS, 'rotation_pretraining: pretraining on a self-supervised auxiliary task (predict an image\'s quarter turns), Fashion-MNIST, few labels', runRotationPretraining, rotationReport);
}
