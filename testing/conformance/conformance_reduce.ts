/**
 * Conformance: reductions over 1..rank trailing axes of strided views, with NumPy's NaN rules,
 * and gather / scatterAdd with repeated indices.
 */
import { describe, it } from 'node:test';
import type { Backend, ReduceOp, View } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { reduceRef } from './conformance_ref.js';
import { EXACT, Rng, assertClose, gatherLayout, layoutsFor, offsetOf, randomValues, sizeOfShape, storeAs, unitRoundoff, type Layout, type Session } from './conformance_util.js';

const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'];

function reduceData(op: ReduceOp, dtype: DType, rng: Rng, n: number): number[] {
  if (op === 'prod') {
    // Products of up to 120 factors stay in range: |x| near 1 (ints: -1, 1 and a few 0s).
    if (dtype === 'int32') return rng.ints(n, 0, 20).map((v) => (v === 0 ? 0 : v % 2 ? 1 : -1));
    return randomValues(rng, dtype, n, 0.8, 1.25).map((v) => (rng.next() < 0.5 ? -v : v));
  }
  // max/min/arg*: few distinct values, so ties occur and "first index wins" is tested.
  if (op !== 'sum') return dtype === 'int32' ? rng.ints(n, -3, 3) : rng.ints(n, -4, 4).map((v) => v / 2);
  return randomValues(rng, dtype, n, -9, 9);
}

/**
 * Sum and prod may accumulate in any order and precision: the bound is (inner + 2) rounding
 * errors of the row's absolute sum (Higham's gamma_n for recursive summation). The others are
 * exact.
 */
function reduceTol(op: ReduceOp, dtype: DType, values: readonly number[], inner: number, want: readonly number[]): number[] {
  const u = unitRoundoff(dtype);
  return want.map((w, r) => {
    if (u === 0 || op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin') return 0;
    if (op === 'prod') return 2 * (inner + 2) * u * Math.abs(w);
    let abs = 0;
    for (let i = 0; i < inner; i++) abs += Math.abs(values[r * inner + i] as number);
    return 2 * (inner + 2) * u * abs;
  });
}

export async function runReduce(s: Session, op: ReduceOp, dtype: DType, l: Layout, data: number[], axes: number, what: string): Promise<void> {
  const inner = sizeOfShape(l.shape.slice(l.shape.length - axes));
  const outer = sizeOfShape(l.shape.slice(0, l.shape.length - axes));
  const outDType: DType = op === 'argmax' || op === 'argmin' ? 'int32' : dtype;
  const x = s.upload(dtype, data);
  const out = s.out(outDType, outer);
  s.be.reduce(op, s.view(x, l), axes, out);
  const values = gatherLayout(data, l);
  const want = reduceRef(op, values, inner).map((v) => storeAs(outDType, v));
  // Rows of an empty reduction: sum 0, prod 1 (max/min over nothing is rejected above the backend).
  const full = inner === 0 ? new Array<number>(outer).fill(op === 'prod' ? 1 : 0) : want;
  assertClose(await s.read(out), full, { atol: reduceTol(op, dtype, values, inner, full), rtol: 0 }, what);
}

export function reduceCases(be: Backend, dtypes: readonly DType[], run: (fn: (s: Session) => Promise<void>) => Promise<void>): void {
  const numeric = dtypes.filter((d) => d !== 'bool');
  describe('reduce', () => {
    for (const op of REDUCE_OPS) {
      for (const dtype of numeric) {
        it(`${op} ${dtype} over 0..rank trailing axes of every layout`, async () => {
          const rng = new Rng(40);
          await run(async (s) => {
            for (const shape of [[7], [4, 5, 6], [2, 3, 4, 5], [1, 33], [5, 1]]) {
              for (let axes = 0; axes <= shape.length; axes++) {
                for (const l of layoutsFor(shape)) {
                  await runReduce(s, op, dtype, l, reduceData(op, dtype, rng, l.storage), axes, `${op} ${dtype} ${JSON.stringify(shape)} last ${axes} axes, ${l.kind}`);
                }
              }
            }
          });
        });
      }
    }

    it('sum and prod over an empty axis give 0 and 1', async () => {
      await run(async (s) => {
        for (const op of ['sum', 'prod'] as const) {
          const l: Layout = { kind: 'empty', shape: [3, 0], strides: [0, 1], offset: 0, storage: 1 };
          await runReduce(s, op, 'float32', l, [5], 1, `${op} over an empty axis`);
        }
      });
    });

    it('long rows: float32 sum of 10,000 values within the summation error bound', async () => {
      await run(async (s) => {
        const l: Layout = { kind: 'contiguous', shape: [3, 10000], strides: [10000, 1], offset: 0, storage: 30000 };
        await runReduce(s, 'sum', 'float32', l, randomValues(new Rng(41), 'float32', 30000, 0, 1), 1, 'long sum');
      });
    });

    it('NaN: max/min propagate it, argmax/argmin point at the first NaN (NumPy)', async () => {
      const rows = [
        [1, NaN, 3, NaN],
        [NaN, -Infinity, 2, 1],
        [-Infinity, -Infinity, -Infinity, -Infinity],
        [Infinity, 2, Infinity, NaN],
        [2, 2, -1, -1],
        [0, -0, 5, Infinity],
      ];
      await run(async (s) => {
        for (const dtype of numeric.filter((d) => d !== 'int32')) {
          const data = rows.flat();
          const l: Layout = { kind: 'contiguous', shape: [rows.length, 4], strides: [4, 1], offset: 0, storage: data.length };
          for (const op of REDUCE_OPS) await runReduce(s, op, dtype, l, data, 1, `${op} ${dtype} with NaN and infinities`);
          // The same rows read transposed: the NaN rule must not depend on the traversal order.
          const t: Layout = { kind: 'transposed', shape: [rows.length, 4], strides: [1, rows.length], offset: 0, storage: data.length };
          const tdata = new Array<number>(data.length);
          for (let i = 0; i < data.length; i++) tdata[offsetOf(t, i)] = data[i] as number;
          for (const op of REDUCE_OPS) await runReduce(s, op, dtype, t, tdata, 1, `${op} ${dtype} with NaN, transposed`);
        }
      });
    });
  });

  describe('gather and scatterAdd', () => {
    const xShape = [2, 5, 3];
    const indexCases: { name: string; data: number[]; view: Omit<View, 'buf'> }[] = [
      { name: 'repeated indices', data: [4, 0, 4, 2, 2, 1, 0], view: { shape: [7], strides: [1], offset: 0 } },
      { name: 'a strided index window', data: [9, 3, 9, 3, 9, 0, 9, 3, 9], view: { shape: [4], strides: [2], offset: 1 } },
      { name: 'a 2-D index tensor', data: [1, 1, 1, 4, 3, 2], view: { shape: [2, 3], strides: [3, 1], offset: 0 } },
      { name: 'no indices', data: [0], view: { shape: [0], strides: [1], offset: 0 } },
    ];
    for (const dtype of dtypes) {
      it(`gather ${dtype}: every layout of x, repeated and strided indices`, async () => {
        const rng = new Rng(50);
        await run(async (s) => {
          for (const l of layoutsFor(xShape)) {
            for (const ic of indexCases) {
              const data = randomValues(rng, dtype, l.storage);
              const x = s.upload(dtype, data);
              const idxBuf = s.upload('int32', ic.data);
              const idx = gatherLayout(ic.data, ic.view);
              const [outer, , inner] = xShape as [number, number, number];
              const out = s.out(dtype, outer * idx.length * inner);
              be.gather(s.view(x, l), { buf: idxBuf, ...ic.view }, out);
              const xv = gatherLayout(data, l);
              const want: number[] = [];
              for (let o = 0; o < outer; o++) {
                for (const j of idx) for (let i = 0; i < inner; i++) want.push(xv[(o * 5 + j) * inner + i] as number);
              }
              assertClose(await s.read(out), want, EXACT, `gather ${dtype} x ${l.kind}, ${ic.name}`);
            }
          }
        });
      });
    }
    for (const dtype of numeric) {
      it(`scatterAdd ${dtype}: repeated indices accumulate, untouched rows are zero`, async () => {
        const rng = new Rng(60);
        const u = unitRoundoff(dtype);
        await run(async (s) => {
          for (const ic of indexCases) {
            const idx = gatherLayout(ic.data, ic.view);
            const [outer, n, inner] = xShape as [number, number, number];
            for (const l of layoutsFor([outer, idx.length, inner]).filter((k) => !k.kind.startsWith('broadcast'))) {
              const data = randomValues(rng, dtype, l.storage, -5, 5);
              const ub = s.upload(dtype, data);
              const idxBuf = s.upload('int32', ic.data);
              const out = s.out(dtype, outer * n * inner);
              be.scatterAdd(s.view(ub, l), { buf: idxBuf, ...ic.view }, out);
              const uv = gatherLayout(data, l);
              const want = new Array<number>(outer * n * inner).fill(0);
              const abs = new Array<number>(outer * n * inner).fill(0);
              for (let o = 0; o < outer; o++) {
                idx.forEach((j, c) => {
                  for (let i = 0; i < inner; i++) {
                    const v = uv[(o * idx.length + c) * inner + i] as number;
                    want[(o * n + j) * inner + i]! += v;
                    abs[(o * n + j) * inner + i]! += Math.abs(v);
                  }
                });
              }
              const atol = abs.map((a) => 2 * (idx.length + 2) * u * a);
              assertClose(await s.read(out), want.map((v) => storeAs(dtype, v)), { atol, rtol: 0 }, `scatterAdd ${dtype} updates ${l.kind}, ${ic.name}`);
            }
          }
        });
      });
    }
  });
}
