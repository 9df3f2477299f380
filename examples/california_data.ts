/**
 * California housing data for the examples and the end-to-end tests: a seeded
 * train/valid/test split in the spirit of the book's two `train_test_split(...,
 * random_state=42)` calls, here 20% test, then 20% of the rest for validation.
 */
import * as hb from '../src/index.js';

export interface Split {
  x: { data: Float32Array; shape: number[] };
  y: { data: Float32Array; shape: number[] };
}

export interface CaliforniaSplits {
  train: Split;
  valid: Split;
  test: Split;
}

function take(d: hb.datasets.RegressionData, idx: Int32Array): Split {
  const x = hb.datasets.takeRows(d.data, idx);
  const y = hb.datasets.takeRows(d.target, idx);
  return { x: { data: Float32Array.from(x.data), shape: [...x.shape] }, y: { data: Float32Array.from(y.data), shape: [idx.length, 1] } };
}

export async function californiaSplits(seed = 42): Promise<CaliforniaSplits> {
  const d = await hb.datasets.loadCaliforniaHousing();
  const outer = hb.datasets.trainTestSplitIndices(d.data.shape[0] as number, { testSize: 0.2, seed });
  const inner = hb.datasets.trainTestSplitIndices(outer.train.length, { testSize: 0.2, seed: seed + 1 });
  const trainIdx = Int32Array.from(inner.train, (i) => outer.train[i] as number);
  const validIdx = Int32Array.from(inner.test, (i) => outer.train[i] as number);
  return { train: take(d, trainIdx), valid: take(d, validIdx), test: take(d, outer.test) };
}

/** Columns [from, to) of a 2-D split, e.g. the wide (0-4) or deep (2-7) features. */
export function columns(x: { data: Float32Array; shape: number[] }, from: number, to: number): { data: Float32Array; shape: number[] } {
  const [n, d] = x.shape as [number, number];
  const w = to - from;
  const out = new Float32Array(n * w);
  for (let i = 0; i < n; i++) out.set(x.data.subarray(i * d + from, i * d + to), i * w);
  return { data: out, shape: [n, w] };
}

/** RMSE of predictions against targets, computed on the host in float64. */
export function rmse(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < target.length; i++) {
    const e = (pred[i] as number) - (target[i] as number);
    s += e * e;
  }
  return Math.sqrt(s / target.length);
}
