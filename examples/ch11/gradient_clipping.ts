/**
 * Book ch. 11, "Gradient Clipping": a regression that diverges without clipping and trains
 * with it. Data: California housing (real data; the seeded split of california_data.ts),
 * inputs standardized by a Normalization layer adapted on the training set, targets as
 * loaded (median house value in $100,000). Model: the book's ch. 10 regression MLP, three
 * Dense(50, relu, He normal) layers and Dense(1), mean squared error, plain SGD with a
 * learning rate too large for it (0.2 by default).
 *
 * Why it explodes: with squared error the gradient grows with the error, and an oversized
 * step makes the next predictions (hence the error, hence the next gradient) larger still,
 * so the loss grows geometrically and overflows within a few steps. Clipping bounds every
 * step (clipnorm: each gradient tensor to L2 norm ≤ c; globalClipnorm: all of them together;
 * clipvalue: each component to [−c, c]), which breaks the feedback loop. The same net at a
 * learning rate of 0.05 without clipping is shown for reference.
 *
 * The trajectory is the `loss` log after each of the first batches, i.e. the running mean of
 * the batch losses over the epoch so far (what Keras's progress bar shows); one batch whose
 * loss overflows makes it Infinity, a NaN makes it NaN. Measured results: docs/RESULTS.md,
 * "Chapter 11 experiments".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/ch11/gradient_clipping.js [epochs] [learningRate]
 */
import * as hb from '../../src/index.js';
import { californiaSplits, type CaliforniaSplits } from '../california_data.js';
import { SEED, fmt, freshStart, isMain, markdownTable, runHeader } from './common.js';

export type ClipKind = 'none' | 'clipnorm' | 'globalClipnorm' | 'clipvalue';

export interface ClipVariant {
  clip: ClipKind;
  /** The threshold (ignored for 'none'). */
  value: number;
  learningRate: number;
}

export interface ClipRun {
  variant: ClipVariant;
  /** The `loss` log after each of the first `trajectorySteps` batches of epoch 1. */
  trajectory: number[];
  /** Per-epoch training loss and validation loss (MSE). */
  loss: number[];
  valLoss: number[];
  /**
   * Set when fit stopped itself: after 10 consecutive non-finite steps (skipped, so the weights
   * stay those of the last finite step) fit throws, naming the epoch and batch. That is what a
   * user of the diverging run sees; the example records the message instead of failing.
   */
  stopped?: string;
}

export interface ClippingOptions {
  epochs?: number;
  /** [0.2] the learning rate of the clipped and unclipped runs. */
  learningRate?: number;
  /** [1] the clipping threshold of all three kinds. */
  threshold?: number;
  /** [3, the book's] hidden layers. */
  depth?: number;
  /** [all of the training split] training rows used (the first ones). */
  train?: number;
  /** [12] batches recorded. */
  trajectorySteps?: number;
  variants?: readonly ClipVariant[];
  seed?: number;
}

export function defaultVariants(learningRate = 0.2, threshold = 1): ClipVariant[] {
  return [
    { clip: 'none', value: 0, learningRate },
    { clip: 'clipnorm', value: threshold, learningRate },
    { clip: 'globalClipnorm', value: threshold, learningRate },
    { clip: 'clipvalue', value: threshold, learningRate },
    { clip: 'none', value: 0, learningRate: 0.05 },
  ];
}

export function variantLabel(v: ClipVariant): string {
  return `${v.clip === 'none' ? 'no clipping' : `${v.clip}=${v.value}`}, lr ${v.learningRate}`;
}

function firstRows(s: CaliforniaSplits['train'], n: number | undefined): CaliforniaSplits['train'] {
  if (n === undefined) return s;
  const d = s.x.shape[1] as number;
  return { x: { data: s.x.data.subarray(0, n * d), shape: [n, d] }, y: { data: s.y.data.subarray(0, n), shape: [n, 1] } };
}

async function runOne(data: CaliforniaSplits, v: ClipVariant, options: ClippingOptions): Promise<ClipRun> {
  freshStart(options.seed ?? SEED); // the same initial weights and batch order for every variant
  const train = firstRows(data.train, options.train);
  const norm = hb.layers.normalization();
  await norm.adapt(train.x);
  const layers: (hb.Layer | hb.SymbolicTensor)[] = [hb.layers.input({ shape: [train.x.shape[1] as number] }), norm];
  for (let i = 0; i < (options.depth ?? 3); i++) layers.push(hb.layers.dense({ units: 50, activation: 'relu', kernelInitializer: 'heNormal' }));
  layers.push(hb.layers.dense({ units: 1 }));
  const model = hb.sequential(layers);
  const sgd = v.clip === 'none' ? hb.optimizers.sgd({ learningRate: v.learningRate }) : hb.optimizers.sgd({ learningRate: v.learningRate, [v.clip]: v.value });
  model.compile({ loss: 'mse', optimizer: sgd });
  const steps = options.trajectorySteps ?? 12;
  const trajectory: number[] = [];
  const recorder: hb.Callback = {
    async onTrainBatchEnd(batch, logs) {
      if (trajectory.length < steps && batch === trajectory.length) trajectory.push((await logs.read())['loss'] ?? Number.NaN);
    },
  };
  try {
    const h = await model.fit(train.x, train.y, { epochs: options.epochs ?? 5, validationData: [data.valid.x, data.valid.y], verbose: 0, callbacks: [recorder] });
    return { variant: v, trajectory, loss: h.history['loss'] ?? [], valLoss: h.history['val_loss'] ?? [] };
  } catch (e) {
    if (!(e instanceof hb.ValueError) || !/consecutive training steps with a non-finite/.test(e.message)) throw e;
    return { variant: v, trajectory, loss: [], valLoss: [], stopped: e.message };
  } finally {
    model.dispose();
  }
}

export async function runGradientClipping(options: ClippingOptions = {}): Promise<ClipRun[]> {
  const data = await californiaSplits(SEED);
  const runs: ClipRun[] = [];
  for (const v of options.variants ?? defaultVariants(options.learningRate, options.threshold)) runs.push(await runOne(data, v, options));
  return runs;
}

/** Largest trajectory value over the first one (Infinity once a value is not finite). */
export function growth(run: ClipRun): number {
  const first = run.trajectory[0] as number;
  let worst = 1;
  for (const l of run.trajectory) worst = Number.isFinite(l) ? Math.max(worst, l / first) : Number.POSITIVE_INFINITY;
  return worst;
}

export function clippingReport(runs: readonly ClipRun[]): string {
  const steps = Math.max(...runs.map((r) => r.trajectory.length));
  const traj: (string | number)[][] = [];
  for (let b = 0; b < steps; b++) traj.push([b + 1, ...runs.map((r) => fmt(r.trajectory[b] ?? Number.NaN, 3))]);
  const epochs = Math.max(...runs.map((r) => r.loss.length));
  const curve: (string | number)[][] = [];
  for (let e = 0; e < epochs; e++) curve.push([e + 1, ...runs.map((r) => (r.stopped !== undefined ? 'stopped' : `${fmt(r.loss[e] ?? Number.NaN, 4)} / ${fmt(r.valLoss[e] ?? Number.NaN, 4)}`))]);
  return [
    'Running-mean training loss (MSE) after each of the first batches of epoch 1:',
    '',
    markdownTable(['batch', ...runs.map((r) => variantLabel(r.variant))], traj),
    '',
    'Per epoch, training loss / validation loss (MSE):',
    '',
    markdownTable(['epoch', ...runs.map((r) => variantLabel(r.variant))], curve),
    '',
    ...runs.filter((r) => r.stopped !== undefined).map((r) => `${variantLabel(r.variant)}: ${r.stopped}`),
    ...runs.map((r) => `${variantLabel(r.variant)}: largest growth of the running loss over batch 1 in the first ${r.trajectory.length} batches ${fmt(growth(r), 2)}×`),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const [epochs, lr] = process.argv.slice(2).map(Number);
  console.log(runHeader('gradient clipping'));
  console.log(clippingReport(await runGradientClipping({ epochs: epochs ?? 5, learningRate: lr ?? 0.2 })));
}
