/**
 * float32 sums through hb.sum (output allocation and view handling included), every backend:
 * long contiguous rows (1e6 and 1e7 elements), a long outer axis ([1e6, 3] over axis 0: the
 * strided, column-wise case), long inner rows ([3, 1e6] over axis 1), and the batch statistic a
 * bias gradient or BatchNorm takes ([32, 784] over axis 0). Reports time, read bandwidth, and
 * the relative error against a float64 sum of the same float32 values.
 */
import * as hb from '../src/index.js';
import { type Benchmark, type BenchOptions, forEachBackend, printJson, printTable, sample, uniformValues } from './harness.js';

interface Case {
  name: string;
  shape: number[];
  axis?: number;
}

const CASES: Case[] = [
  { name: 'sum [1e6]', shape: [1e6] },
  { name: 'sum [1e7]', shape: [1e7] },
  { name: 'sum [1e6, 3] axis 0', shape: [1e6, 3], axis: 0 },
  { name: 'sum [3, 1e6] axis 1', shape: [3, 1e6], axis: 1 },
  { name: 'sum [32, 784] axis 0', shape: [32, 784], axis: 0 },
];

/** float64 sums of the float32 values over `axis` of a 2-D shape (or everything). */
function reference(x: Float32Array, shape: number[], axis: number | undefined): Float64Array {
  if (axis === undefined) {
    let s = 0;
    for (const v of x) s += v;
    return Float64Array.of(s);
  }
  const [r, c] = shape as [number, number];
  const out = new Float64Array(axis === 0 ? c : r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[axis === 0 ? j : i]! += x[i * c + j] as number;
  return out;
}

const round = (v: number, digits: number): number => Number(v.toPrecision(digits));

async function run(options: BenchOptions): Promise<void> {
  const rows: (string | number)[][] = [];
  const records: Record<string, unknown>[] = [];
  await forEachBackend(options, async (backend) => {
    for (const c of CASES) {
      const n = c.shape.reduce((a, b) => a * b, 1);
      const host = uniformValues(n, 7);
      const want = reference(host, c.shape, c.axis);
      const x = hb.tensor(host, c.shape);
      const res = await sample(
        async () => {
          const s = hb.sum(x, c.axis);
          if (!hb.getBackend().readSync) await s.data();
          s.dispose();
        },
        { warmup: 3, minReps: 5, maxReps: 41, maxSeconds: 1 },
      );
      const got = hb.sum(x, c.axis);
      const g = got.dataSync();
      got.dispose();
      x.dispose();
      let err = 0;
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs((g[i] as number) - (want[i] as number)) / Math.abs(want[i] as number));
      const gbs = (n * 4) / res.median / 1e9;
      rows.push([backend, c.name, res.seconds.length, (res.median * 1e3).toFixed(3), (res.min * 1e3).toFixed(3), gbs.toFixed(2), err.toExponential(1)]);
      records.push({ bench: 'reduce', backend, case: c.name, shape: c.shape, axis: c.axis ?? null, reps: res.seconds.length, medianMs: round(res.median * 1e3, 4), minMs: round(res.min * 1e3, 4), gbPerSMedian: round(gbs, 4), maxRelError: round(err, 3) });
    }
  });
  printTable(['backend', 'case', 'reps', 'median ms', 'min ms', 'GB/s (median)', 'rel. error vs float64'], rows);
  for (const r of records) printJson(r);
}

export const reduce: Benchmark = {
  name: 'reduce',
  description: 'float32 sum: 1e6/1e7 contiguous, long outer axis, long rows, [32, 784] over axis 0',
  run,
};
