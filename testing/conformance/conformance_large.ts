/**
 * Conformance at sizes where fast backends change code paths: SIMD main loops with scalar
 * tails, misaligned starts (an odd offset), the bias-add broadcast a Dense layer makes
 * ([batch, units] + [units] with stride 0), column reductions through transposed views, and
 * matrix products big enough to be split across threads.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend, BinaryOp, ReduceOp } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { EXACT_UNARY } from './conformance_ref.js';
import { UNARY_OPS, runBinary, runUnary, tolFor, unaryData } from './conformance_elementwise.js';
import { longSumData, runLongSum, runReduce } from './conformance_reduce.js';
import { runCase, type Case } from './conformance_matmul.js';
import { Rng, randomValues, type Layout, type Session } from './conformance_util.js';

const R = 257;
const C = 301;

export function largeCases(be: Backend, dtypes: readonly DType[], run: (fn: (s: Session) => Promise<void>) => Promise<void>): void {
  describe('large and misaligned (SIMD tails, Dense-shaped broadcasts, threaded matmul)', () => {
    it('float32 unary ops on 10,007 elements starting at an odd offset, and on a transposed 101x99 view', async () => {
      const rng = new Rng(200);
      await run(async (s) => {
        for (const op of UNARY_OPS.filter((o) => o !== 'logicalNot')) {
          const tol = tolFor('float32', EXACT_UNARY.has(op));
          const flat: Layout = { kind: 'offset 3', shape: [10007], strides: [1], offset: 3, storage: 10012 };
          await runUnary(s, op, 'float32', flat.shape, flat, unaryData(op, 'float32', rng, flat.storage), tol, `${op} on 10,007 elements at offset 3`);
          const t: Layout = { kind: 'transposed', shape: [101, 99], strides: [1, 101], offset: 0, storage: 9999 };
          await runUnary(s, op, 'float32', t.shape, t, unaryData(op, 'float32', rng, t.storage), tol, `${op} on a transposed 101x99 view`);
        }
      });
    });

    it('float32 binary ops: [257, 301] with a bias row (stride 0), a column, a scalar, misaligned', async () => {
      const rng = new Rng(201);
      const full: Layout = { kind: 'contiguous', shape: [R, C], strides: [C, 1], offset: 0, storage: R * C };
      const misaligned: Layout = { ...full, kind: 'offset 1', offset: 1, storage: R * C + 1 };
      const row: Layout = { kind: 'bias row', shape: [R, C], strides: [0, 1], offset: 0, storage: C };
      const col: Layout = { kind: 'column', shape: [R, C], strides: [1, 0], offset: 0, storage: R };
      const scalar: Layout = { kind: 'scalar', shape: [R, C], strides: [0, 0], offset: 2, storage: 3 };
      const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'greater', 'equal'];
      await run(async (s) => {
        for (const op of ops) {
          const gen = (n: number): number[] =>
            op === 'equal' || op === 'maximum' ? rng.ints(n, -4, 4).map((v) => v / 2) : randomValues(rng, 'float32', n, 0.5, 3);
          for (const [la, lb] of [[full, row], [row, full], [misaligned, col], [col, misaligned], [full, scalar], [misaligned, full]] as const) {
            await runBinary(s, op, 'float32', la, gen(la.storage), lb, gen(lb.storage), `${op} a ${la.kind}, b ${lb.kind}`);
          }
        }
      });
    });

    for (const dtype of dtypes.filter((d) => d === 'float32' || d === 'int32')) {
      it(`${dtype} reductions of [257, 301]: rows, columns (transposed view), everything`, async () => {
        const rng = new Rng(202);
        await run(async (s) => {
          const rows: Layout = { kind: 'rows', shape: [R, C], strides: [C, 1], offset: 1, storage: R * C + 1 };
          const cols: Layout = { kind: 'columns', shape: [C, R], strides: [1, C], offset: 0, storage: R * C };
          for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceOp[]) {
            const gen = (n: number): number[] => (op === 'sum' ? randomValues(rng, dtype, n, -9, 9) : randomValues(rng, dtype, n, -1000, 1000));
            await runReduce(s, op, dtype, rows, gen(rows.storage), 1, `${op} over rows`);
            await runReduce(s, op, dtype, cols, gen(cols.storage), 1, `${op} over columns`);
            await runReduce(s, op, dtype, rows, gen(rows.storage), 2, `${op} over everything`);
          }
        });
      });
    }

    it('float32 sum of 1e7 values of 0.1 within the pairwise bound', async () => {
      // A single running sum in float32 is 0.6% off on the first (1,005,959 for 1,000,000).
      const n = 10_000_000;
      await run(async (s) => {
        const all: Layout = { kind: 'contiguous', shape: [n], strides: [1], offset: 0, storage: n };
        await runLongSum(s, 'float32', longSumData('float32', new Rng(204), n, 'tenth'), [{ l: all, axes: 1, what: 'float32 sum of 1e7 x 0.1' }]);
      });
    });

    const big: Case[] = [
      { batch: 1, m: 32, k: 300, n: 784, b: { transposed: true } },
      { batch: 2, m: 128, k: 256, n: 200, a: { transposed: true }, b: { shared: true } },
      { batch: 1, m: 300, k: 64, n: 257, a: { pad: 5, offset: 7 }, b: { transposed: true, pad: 3, offset: 1 } },
      // Tall and narrow: chunks of rows (16 of them), each thread packing its own rows of A.
      { batch: 1, m: 1021, k: 384, n: 40, a: { transposed: true } },
      // B's row stride a multiple of 4 KB, and of 256 bytes with many rows: B packed, not read in place.
      { batch: 1, m: 70, k: 300, n: 1024 },
      { batch: 1, m: 100, k: 64, n: 128 },
    ];
    for (const c of big) {
      it(`float32 matmul big enough to thread: [${c.batch}, ${c.m}, ${c.k}] x [${c.batch}, ${c.k}, ${c.n}]`, async () => {
        await run((s) => runCase(s, 'float32', c, new Rng(203)));
      });
    }
  });
}
