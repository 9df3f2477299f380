/**
 * What the chapter-11 examples share: the Fashion-MNIST subsets they train on, the tables
 * they print (curves as Markdown tables, ready for docs/RESULTS.md), and the calibration
 * measures of the Monte Carlo dropout experiment.
 *
 * The subsets follow the book's split: validation images are the last ones of the training
 * file (`X_train_full[-5000:]`), training images the first ones, so the two never overlap
 * whatever the sizes; the test set is the official 10,000 images.
 */
import { pathToFileURL } from 'node:url';
import * as hb from '../../src/index.js';
import { labels, scaled, type HostData, type HostLabels } from '../pixels.js';

export type { HostData, HostLabels };

/** The seed every chapter-11 example passes to `hb.setSeed` unless told otherwise. */
export const SEED = 42;

/**
 * `hb.setSeed(seed)` and a restart of automatic layer names (Keras's `clear_session`). Both
 * are needed for two models built one after the other in the same process to start from the
 * same weights: each weight's random stream is split from the global generator by layer name,
 * so a second model's `dense_3` would otherwise draw other values than the first's `dense`.
 */
export function freshStart(seed: number = SEED): void {
  hb.setSeed(seed);
  hb.layers.resetLayerNames();
}

export interface FashionSplits {
  xTrain: HostData;
  yTrain: HostLabels;
  xValid: HostData;
  yValid: HostLabels;
  xTest: HostData;
  yTest: HostLabels;
}

export interface SplitSizes {
  /** Training images, the first ones of the training file. */
  train: number;
  /** Validation images, the last ones of the training file (at most 60,000 − train). */
  valid: number;
  /** [10000] Test images, the first ones of the test file. */
  test?: number;
}


/** Pixels scaled by 1/255 (the book's `X / 255.`), labels as int32. */
export async function loadFashionSplits(sizes: SplitSizes): Promise<FashionSplits> {
  const d = await hb.datasets.loadFashionMnist();
  const n = d.xTrain.shape[0] as number;
  if (sizes.train + sizes.valid > n) throw new Error(`loadFashionSplits: train ${sizes.train} + valid ${sizes.valid} exceeds the ${n} training images`);
  const test = sizes.test ?? (d.xTest.shape[0] as number);
  return {
    xTrain: scaled(hb.datasets.sliceRows(d.xTrain, 0, sizes.train)),
    yTrain: labels(hb.datasets.sliceRows(d.yTrain, 0, sizes.train)),
    xValid: scaled(hb.datasets.sliceRows(d.xTrain, n - sizes.valid)),
    yValid: labels(hb.datasets.sliceRows(d.yTrain, n - sizes.valid)),
    xTest: scaled(hb.datasets.sliceRows(d.xTest, 0, test)),
    yTest: labels(hb.datasets.sliceRows(d.yTest, 0, test)),
  };
}

/**
 * The book's standardization for self-normalizing nets: each pixel minus its mean over the
 * training images, divided by its standard deviation (NumPy's population std). A pixel that
 * is constant over the training subset (std 0, e.g. a corner that is always background) is
 * only centred, where NumPy would divide by zero.
 */
export function standardize(s: FashionSplits): FashionSplits {
  const n = s.xTrain.shape[0] as number;
  const d = s.xTrain.data.length / n;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = s.xTrain.data[i * d + j] as number;
      mean[j] = (mean[j] as number) + v;
      sq[j] = (sq[j] as number) + v * v;
    }
  }
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const m = (mean[j] as number) / n;
    mean[j] = m;
    const v = Math.max((sq[j] as number) / n - m * m, 0);
    std[j] = v > 0 ? Math.sqrt(v) : 1;
  }
  const apply = (x: HostData): HostData => {
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = ((x.data[i] as number) - (mean[i % d] as number)) / (std[i % d] as number);
    return { data: out, shape: [...x.shape] };
  };
  return { ...s, xTrain: apply(s.xTrain), xValid: apply(s.xValid), xTest: apply(s.xTest) };
}

/** A Markdown table; numbers are printed with `digits` decimals. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[], digits = 4): string {
  const cell = (v: string | number): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : fmt(v, digits)) : v);
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** A number with `digits` decimals, or in exponent form when it is very large or very small. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 10 ** -digits)) return v.toExponential(2);
  return v.toFixed(digits);
}

/** One row per epoch: loss, accuracy, val_loss, val_accuracy (the keys fit's History holds). */
export function historyRows(history: Record<string, number[]>): (string | number)[][] {
  const keys = ['loss', 'accuracy', 'val_loss', 'val_accuracy'];
  const n = (history['loss'] ?? []).length;
  const rows: (string | number)[][] = [];
  for (let e = 0; e < n; e++) rows.push([e + 1, ...keys.map((k) => history[k]?.[e] ?? Number.NaN)]);
  return rows;
}

export const HISTORY_HEADERS = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy'] as const;

/** The last value of a History key (NaN when absent). */
export function last(history: Record<string, number[]>, key: string): number {
  const v = history[key];
  return v && v.length > 0 ? (v[v.length - 1] as number) : Number.NaN;
}

/** True when this module is the script node was started with. */
export function isMain(url: string): boolean {
  const arg = process.argv[1];
  return arg !== undefined && url === pathToFileURL(arg).href;
}

/** Backend name and thread setting, for the header every example prints. */
export function runHeader(what: string): string {
  const threads = process.env['HEBB_WASM_THREADS'];
  return `${what}: backend ${hb.getBackend().name}${threads === undefined ? '' : `, HEBB_WASM_THREADS=${threads}`}, seed ${SEED}, ${new Date().toISOString()}`;
}
