/**
 * fp32 GEMM throughput on the shapes of the book's Fashion-MNIST MLP (784-300-100-10), for
 * every registered backend, through hb.matmul (so the numbers include the op's own overhead:
 * output allocation and view handling, which is what a training step pays).
 */
import * as hb from '../src/index.js';
import { type Benchmark, type BenchOptions, forEachBackend, printJson, printTable, sample, uniformValues } from './harness.js';

interface Shape {
  name: string;
  /** Logical product [m, k] x [k, n]. */
  m: number;
  k: number;
  n: number;
  /** a is stored [k, m] and read transposed: the backprop product x^T dy. */
  transposeA: boolean;
}

const SHAPES: Shape[] = [
  { name: 'forward b32: 32x784 @ 784x300', m: 32, k: 784, n: 300, transposeA: false },
  { name: 'forward b256: 256x784 @ 784x300', m: 256, k: 784, n: 300, transposeA: false },
  { name: 'dW b32: (32x784)^T @ 32x300', m: 784, k: 32, n: 300, transposeA: true },
  { name: 'forward b32: 32x300 @ 300x100', m: 32, k: 300, n: 100, transposeA: false },
  { name: 'dW b256: (256x784)^T @ 256x300', m: 784, k: 256, n: 300, transposeA: true },
  { name: 'forward b256: 256x300 @ 300x100', m: 256, k: 300, n: 100, transposeA: false },
  { name: 'predict: 1024x784 @ 784x300', m: 1024, k: 784, n: 300, transposeA: false },
  { name: 'square: 1024 @ 1024', m: 1024, k: 1024, n: 1024, transposeA: false },
];

const round = (v: number, digits: number): number => Number(v.toFixed(digits));

async function run(options: BenchOptions): Promise<void> {
  const rows: (string | number)[][] = [];
  const records: Record<string, unknown>[] = [];
  await forEachBackend(options, async (backend) => {
    for (const s of SHAPES) {
      const a = hb.tensor(uniformValues(s.m * s.k, 1, -1, 1), s.transposeA ? [s.k, s.m] : [s.m, s.k]);
      const b = hb.tensor(uniformValues(s.k * s.n, 2, -1, 1), [s.k, s.n]);
      const flop = 2 * s.m * s.n * s.k;
      // ~0.4 s of timed calls per shape at most (more for a very slow backend's 3 minimum reps).
      const res = await sample(
        async () => {
          const c = hb.matmul(a, b, s.transposeA, false);
          // Backends without synchronous memory finish their work when read; reading one
          // element's worth is not possible through the API, so the whole (small) output is.
          if (!hb.getBackend().readSync) await c.data();
          c.dispose();
        },
        { warmup: 2, minReps: 3, maxReps: 21, maxSeconds: flop > 1e9 ? 3 : 0.8 },
      );
      a.dispose();
      b.dispose();
      const gflops = flop / res.median / 1e9;
      const best = flop / res.min / 1e9;
      rows.push([backend, s.name, res.seconds.length, (res.median * 1e3).toFixed(3), gflops.toFixed(2), best.toFixed(2)]);
      records.push({ bench: 'gemm', backend, shape: s.name, m: s.m, k: s.k, n: s.n, transposeA: s.transposeA, reps: res.seconds.length, medianMs: round(res.median * 1e3, 4), minMs: round(res.min * 1e3, 4), gflopsMedian: round(gflops, 3), gflopsBest: round(best, 3) });
    }
  });
  printTable(['backend', 'shape', 'reps', 'median ms', 'GFLOP/s (median)', 'GFLOP/s (best)'], rows);
  for (const r of records) printJson(r);
}

export const gemm: Benchmark = {
  name: 'gemm',
  description: 'fp32 matmul GFLOP/s on the MLP shapes and 1024^3, every backend',
  run,
};
