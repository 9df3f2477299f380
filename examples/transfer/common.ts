/**
 * What the transfer-learning examples share: their command-line flags, Fashion-MNIST subsets
 * picked by class, snapshots of layer weights (to show what a phase changed and what it left
 * alone), the book's freeze-then-fine-tune protocol, and the per-seed comparison table.
 *
 * Every example compares a reused (pretrained) network with the same network trained from
 * scratch, over several seeds: the book warns that one seed can make a method look better than
 * it is. For each seed both networks are built after the same `freshStart(seed)` with the same
 * layer names, so their new output layers start from the same weights (each weight's random
 * stream is split from the global generator by layer name) and only the reused layers differ.
 */
import { parseArgs } from 'node:util';
import * as hb from '../../src/index.js';
import { fmt, freshStart, markdownTable, type HostData, type HostLabels } from '../ch11/common.js';

export type { HostData, HostLabels };

// ---- flags ----

/**
 * `--kebab-case value` (or `--kebab-case=value`) flags over numeric defaults given in
 * camelCase: `{trainA: 20000}` reads `--train-a 5000`. An unknown flag or a value that is not
 * a number is an error naming it; `--help` prints the flags with their defaults and exits.
 */
export function parseFlags<T extends Record<string, number>>(argv: readonly string[], defaults: T, usage: string): T {
  const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const options: Record<string, { type: 'string' }> = {};
  for (const k of Object.keys(defaults)) options[kebab(k)] = { type: 'string' };
  const help = argv.includes('--help');
  const { values } = parseArgs({ args: argv.filter((a) => a !== '--help'), options, strict: true, allowPositionals: false });
  if (help) {
    console.log([usage, ...Object.entries(defaults).map(([k, v]) => `  --${kebab(k)} N   (default ${v})`)].join('\n'));
    process.exit(0);
  }
  const out: Record<string, number> = { ...defaults };
  for (const k of Object.keys(defaults)) {
    const raw = values[kebab(k)];
    if (typeof raw !== 'string') continue;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) throw new Error(`--${kebab(k)}: expected a number, received "${raw}"`);
    out[k] = v;
  }
  return out as T;
}

/** `count` consecutive seeds from `first` (42, 43, ... by default). */
export function seedList(count: number, first = 42): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}

// ---- data ----

/** Host images as the loaders give them (uint8 pixels) or already scaled (float32). */
export interface Images {
  data: Uint8Array | Float32Array;
  shape: readonly number[];
}

/** Host labels; only the values are read. */
export interface Labels {
  data: ArrayLike<number>;
}

export interface Fashion {
  xTrain: Images;
  yTrain: Labels;
  xTest: Images;
  yTest: Labels;
}

let fashion: Promise<Fashion> | undefined;

/** Fashion-MNIST's training and test files as loaded (uint8), read once per process. */
export function loadFashion(): Promise<Fashion> {
  fashion ??= hb.datasets.loadFashionMnist();
  return fashion;
}

/** The rows `idx` of images `x` as float32 times `scale` (1/255: the book's `X / 255.`). */
export function pickRows(x: Images, idx: readonly number[], scale = 1 / 255): HostData {
  const d = x.data.length / (x.shape[0] as number);
  const out = new Float32Array(idx.length * d);
  idx.forEach((r, i) => {
    for (let j = 0; j < d; j++) out[i * d + j] = (x.data[r * d + j] as number) * scale;
  });
  return { data: out, shape: [idx.length, ...x.shape.slice(1)] };
}

/** Indices of the rows whose label is in `classes`, in file order, at most `limit` of them. */
export function rowsOfClasses(y: Labels, classes: readonly number[], limit = Infinity): number[] {
  const keep = new Set(classes);
  const out: number[] = [];
  for (let i = 0; i < y.data.length && out.length < limit; i++) if (keep.has(y.data[i] as number)) out.push(i);
  return out;
}

/** Labels of rows `idx`, mapped through `relabel` (e.g. 8 kept classes renumbered 0..7). */
export function pickLabels(y: Labels, idx: readonly number[], relabel: (label: number) => number): HostLabels {
  return { data: Int32Array.from(idx, (r) => relabel(y.data[r] as number)), shape: [idx.length] };
}

/** 0/1 targets of shape [n, 1] as float32, for a Dense(1, sigmoid) output. */
export function binaryTargets(y: Labels, idx: readonly number[], positive: number): HostData {
  return { data: Float32Array.from(idx, (r) => ((y.data[r] as number) === positive ? 1 : 0)), shape: [idx.length, 1] };
}

// ---- weights ----

/** A copy of each weight of each layer (host values, nothing left to dispose). */
export function snapshot(layers: readonly hb.Layer[]): Float32Array[][] {
  return layers.map((l) => {
    const ws = l.getWeights();
    const out = ws.map((t) => Float32Array.from(t.dataSync()));
    hb.dispose(ws);
    return out;
  });
}

/** Bit-identical weights (same count, same shapes, same values; NaN never equal). */
export function sameWeights(a: readonly (readonly Float32Array[])[], b: readonly (readonly Float32Array[])[]): boolean {
  return a.length === b.length && a.every((ws, i) => {
    const other = b[i] as readonly Float32Array[];
    return ws.length === other.length && ws.every((w, j) => {
      const o = other[j] as Float32Array;
      return w.length === o.length && w.every((v, k) => v === o[k]);
    });
  });
}

/** `to[i].setWeights(from[i].getWeights())` for each pair: copies, the source stays as it is. */
export function copyWeights(from: readonly hb.Layer[], to: readonly hb.Layer[]): void {
  if (from.length !== to.length) throw new Error(`copyWeights: ${from.length} source layers but ${to.length} targets`);
  from.forEach((l, i) => {
    const ws = l.getWeights();
    (to[i] as hb.Layer).setWeights(ws);
    hb.dispose(ws);
  });
}

// ---- training ----

export interface Split {
  x: HostData;
  y: HostData | HostLabels;
}

export interface Task {
  train: Split;
  test: Split;
  loss: 'binaryCrossentropy' | 'sparseCategoricalCrossentropy';
  optimizer: (learningRate: number) => hb.Optimizer;
  batchSize: number;
}

/** Compiles (with a new optimizer) and fits; compile is what picks up changed trainable flags. */
export async function fitPhase(model: hb.Model, task: Task, epochs: number, learningRate: number): Promise<void> {
  model.compile({ loss: task.loss, optimizer: task.optimizer(learningRate), metrics: ['accuracy'] });
  if (epochs > 0) await model.fit(task.train.x, task.train.y, { epochs, batchSize: task.batchSize, verbose: 0 });
}

/** Test accuracy (evaluate, inference mode). */
export async function accuracy(model: hb.Model, split: Split): Promise<number> {
  const logs = (await model.evaluate(split.x, split.y, { batchSize: 500, verbose: 0, returnDict: true })) as Record<string, number>;
  return logs['accuracy'] as number;
}

export interface FineTuneOptions {
  /** Epochs with the reused layers frozen (only the new layers train). */
  frozenEpochs: number;
  frozenLearningRate: number;
  /** Epochs after unfreezing them, all layers training. */
  fineTuneEpochs: number;
  /** Lower than frozenLearningRate, so as not to wreck the reused weights at once. */
  fineTuneLearningRate: number;
}

export interface FineTuneResult {
  /** Weights of the reused layers when training started, after the frozen phase, at the end. */
  start: Float32Array[][];
  afterFrozen: Float32Array[][];
  end: Float32Array[][];
  /** Test accuracy after the frozen phase (a frozen feature extractor plus a trained head). */
  frozenAccuracy: number;
  /** Test accuracy at the end. */
  accuracy: number;
}

/**
 * The book's protocol: freeze the reused layers, compile, train the new head; unfreeze,
 * compile again with a lower learning rate, train everything.
 */
export async function freezeThenFineTune(model: hb.Model, reused: readonly hb.Layer[], task: Task, o: FineTuneOptions): Promise<FineTuneResult> {
  const start = snapshot(reused);
  for (const l of reused) l.trainable = false;
  await fitPhase(model, task, o.frozenEpochs, o.frozenLearningRate);
  const afterFrozen = snapshot(reused);
  const frozenAccuracy = await accuracy(model, task.test);
  for (const l of reused) l.trainable = true;
  await fitPhase(model, task, o.fineTuneEpochs, o.fineTuneLearningRate);
  return { start, afterFrozen, end: snapshot(reused), frozenAccuracy, accuracy: await accuracy(model, task.test) };
}

export interface ScratchVsReuse {
  /** Test accuracy of the net trained from scratch (frozenEpochs + fineTuneEpochs at scratchLearningRate). */
  scratch: number;
  /** The reused net: its reused layers' weights per stage and its accuracies. */
  reuse: FineTuneResult;
  /** The reused net's own initial weights in those layers, before the copy overwrote them. */
  initial: Float32Array[][];
  /** The source layers' weights when copied, and after the reused net was trained. */
  source: Float32Array[][];
  sourceAfter: Float32Array[][];
}

/**
 * For one seed: `build()` trained from scratch, against `build()` whose first
 * `source.length` layers get the pretrained `source` layers' weights (copied: the pretrained
 * model is left as it is) and are then frozen and fine-tuned. Both nets are built after the
 * same `freshStart(seed)`, so their other layers start from the same weights.
 */
export async function scratchVsReuse(seed: number, build: () => hb.Sequential, source: readonly hb.Layer[], task: Task, o: FineTuneOptions & { scratchLearningRate: number }): Promise<ScratchVsReuse> {
  freshStart(seed);
  const scratchNet = build();
  await fitPhase(scratchNet, task, o.frozenEpochs + o.fineTuneEpochs, o.scratchLearningRate);
  const scratch = await accuracy(scratchNet, task.test);
  scratchNet.dispose();
  freshStart(seed);
  const net = build();
  const reused = net.layers.slice(0, source.length);
  const initial = snapshot(reused);
  copyWeights(source, reused);
  const sourceNow = snapshot(source);
  const reuse = await freezeThenFineTune(net, reused, task, o);
  net.dispose();
  return { scratch, reuse, initial, source: sourceNow, sourceAfter: snapshot(source) };
}

/** A 10-class task on Fashion-MNIST: the first `labeled` training images, the first `test` test images. */
export async function fewLabels(labeled: number, test: number, optimizer: (learningRate: number) => hb.Optimizer, batchSize: number): Promise<Task> {
  const d = await loadFashion();
  const tr = Array.from({ length: labeled }, (_, i) => i);
  const te = Array.from({ length: test }, (_, i) => i);
  return {
    train: { x: pickRows(d.xTrain, tr), y: pickLabels(d.yTrain, tr, (c) => c) },
    test: { x: pickRows(d.xTest, te), y: pickLabels(d.yTest, te, (c) => c) },
    loss: 'sparseCategoricalCrossentropy', optimizer, batchSize,
  };
}

// ---- reporting ----

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/** 1 − reused error / scratch error, on mean test accuracies: the book's "error rate dropped by". */
export function errorReduction(scratchAccuracy: number, reusedAccuracy: number): number {
  return 1 - (1 - reusedAccuracy) / (1 - scratchAccuracy);
}

export interface SeedRow {
  seed: number;
  /** Test accuracy per column, in the order of the report's columns. */
  accuracies: readonly number[];
}

/**
 * One row per seed, then mean ± std per column, then each later column's error-rate reduction
 * against the first (the from-scratch baseline) and on how many seeds it beat that baseline.
 */
export function comparisonReport(columns: readonly string[], rows: readonly SeedRow[]): string {
  const table = markdownTable(['seed', ...columns], rows.map((r) => [r.seed, ...r.accuracies]));
  const stats = columns.map((_, c) => meanStd(rows.map((r) => r.accuracies[c] as number)));
  const base = stats[0] as { mean: number; std: number };
  const summary = markdownTable(
    ['', 'test accuracy, mean ± std', 'error rate', `error-rate reduction vs ${columns[0]}`, 'seeds where better'],
    columns.map((name, c) => {
      const s = stats[c] as { mean: number; std: number };
      const wins = rows.filter((r) => (r.accuracies[c] as number) > (r.accuracies[0] as number)).length;
      return [name, `${fmt(s.mean)} ± ${fmt(s.std)}`, fmt(1 - s.mean), c === 0 ? '—' : `${(100 * errorReduction(base.mean, s.mean)).toFixed(1)}%`, c === 0 ? '—' : `${wins} of ${rows.length}`];
    }),
  );
  return `${table}\n\n${summary}`;
}

/** The command line as run, for the report header. */
export function commandLine(script: string): string {
  return `node ${script} ${process.argv.slice(2).join(' ')}`.trim();
}

/**
 * The command-line entry of each transfer example: flags, a header naming the command and the
 * backend, the run, its report and the wall time.
 */
export async function runExample<T extends Record<string, number>, R>(
  script: string, defaults: T, usage: string, run: (o: T) => Promise<R>, report: (r: R) => string,
): Promise<void> {
  const o = parseFlags(process.argv.slice(2), defaults, usage);
  console.log(`${commandLine(script)}\nbackend ${hb.getBackend().name}, ${new Date().toISOString()}`);
  const t0 = Date.now();
  console.log(report(await run(o)));
  console.log(`\n${((Date.now() - t0) / 1000).toFixed(0)} s in all`);
}
