/**
 * Conformance: reductions over 1..rank trailing axes of strided views, with NumPy's NaN rules,
 * and gather / scatterAdd with repeated indices.
 */
import { describe, it } from 'node:test';
import type { Backend, BackendBuffer, ReduceOp, View } from '../../src/backends/backend.js';
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
 * Rounding errors a sum of n values may make, in units of u·Σ|x|: every backend sums pairwise
 * (or blocked and combined pairwise, or better: docs/NUMERICS.md), where a value passes
 * through O(log2 n) additions — 2·ceil(log2 n) + 8 covers base blocks of up to 16 sequential
 * adds per lane and the levels above them. A short sum in any order stays within n + 2
 * (Higham's gamma_n for recursive summation), the smaller bound below ~64 values.
 */
export function sumRoundings(n: number): number {
  return Math.min(2 * (n + 2), 2 * Math.ceil(Math.log2(Math.max(n, 2))) + 8);
}

/**
 * Sum tolerances: sumRoundings(inner) unit roundoffs of each row's absolute sum (from
 * conformance_util's unitRoundoff; 0 for int32, whose sums are exact). prod: (inner + 2)
 * relative roundings (products have no cancellation, any order is as good). The others are exact.
 */
function reduceTol(op: ReduceOp, dtype: DType, values: readonly number[], inner: number, want: readonly number[]): number[] {
  const u = unitRoundoff(dtype);
  return want.map((w, r) => {
    if (u === 0 || op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin') return 0;
    if (op === 'prod') return 2 * (inner + 2) * u * Math.abs(w);
    let abs = 0;
    for (let i = 0; i < inner; i++) abs += Math.abs(values[r * inner + i] as number);
    return sumRoundings(inner) * u * abs;
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

/**
 * A long float sum, held to the pairwise bound against float64 sums of the stored values.
 * Typed arrays and plain loops throughout: these cases have millions of elements.
 */
export async function runLongSum(s: Session, dtype: 'float32' | 'float64', data: Float32Array | Float64Array, cases: readonly { l: Layout; axes: number; what: string }[]): Promise<void> {
  const x = s.upload(dtype, data);
  for (const { l, axes, what } of cases) await longSumCase(s, dtype, x, data, l, axes, what);
}

async function longSumCase(s: Session, dtype: 'float32' | 'float64', x: BackendBuffer, data: Float32Array | Float64Array, l: Layout, axes: number, what: string): Promise<void> {
  const rank = l.shape.length;
  const inner = sizeOfShape(l.shape.slice(rank - axes));
  const outer = sizeOfShape(l.shape.slice(0, rank - axes));
  const out = s.out(dtype, outer);
  s.be.reduce('sum', s.view(x, l), axes, out);
  // The reference reads the layout as [d0, d1] (rank 1 or 2) and sums in float64 with
  // Neumaier's compensation: error ~u·|Σx| + n·u²·Σ|x|, far inside the bound even for float64
  // data (a plain float64 running sum is not: it is what is being tested).
  if (rank < 1 || rank > 2) throw new Error(`runLongSum takes rank 1 or 2 layouts, received ${rank}`);
  const [d0, d1] = rank === 1 ? [1, l.shape[0] as number] : (l.shape as [number, number]);
  const [s0, s1] = rank === 1 ? [0, l.strides[0] as number] : (l.strides as [number, number]);
  const want = new Float64Array(outer);
  const comp = new Float64Array(outer);
  const abs = new Float64Array(outer);
  for (let i = 0; i < d0; i++) {
    const r = outer === 1 ? 0 : i;
    let acc = want[r] as number;
    let c = comp[r] as number;
    let a = abs[r] as number;
    for (let j = 0, o = l.offset + i * s0; j < d1; j++, o += s1) {
      const v = data[o] as number;
      const t = acc + v;
      c += Math.abs(acc) >= Math.abs(v) ? acc - t + v : v - t + acc;
      acc = t;
      a += Math.abs(v);
    }
    want[r] = acc;
    comp[r] = c;
    abs[r] = a;
  }
  const u = unitRoundoff(dtype);
  const atol = Array.from(abs, (a) => sumRoundings(inner) * u * a);
  assertClose(await s.read(out), Array.from(want, (v, r) => storeAs(dtype, v + (comp[r] as number))), { atol, rtol: 0 }, `${what} (n = ${inner}, bound ${sumRoundings(inner)} u·Σ|x|)`);
}

/** n float values: 0.1 (a naive running sum's worst friend), uniform [0, 1), and [-1, 1]. */
export function longSumData(dtype: 'float32' | 'float64', rng: Rng, n: number, kind: 'tenth' | 'positive' | 'mixed'): Float32Array | Float64Array {
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  if (kind === 'tenth') out.fill(0.1);
  else for (let i = 0; i < n; i++) out[i] = kind === 'positive' ? rng.next() : 2 * rng.next() - 1;
  return out;
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

    for (const dtype of numeric.filter((d): d is 'float32' | 'float64' => d === 'float32' || d === 'float64')) {
      it(`long axes: ${dtype} sums of [1e6, 3] over axis 0 and [3, 1e6] over axis 1 within the pairwise bound`, async () => {
        const rng = new Rng(42);
        const M = 1_000_000;
        await run(async (s) => {
          // [1e6, 3] over axis 0, as the engine hands it over: the reduced axis moved last,
          // a strided view [3, 1e6] with strides [1, 3]; and the same buffer as [3, 1e6] rows.
          const cols: Layout = { kind: 'columns', shape: [3, M], strides: [1, 3], offset: 0, storage: 3 * M };
          const rows: Layout = { kind: 'rows', shape: [3, M], strides: [M, 1], offset: 0, storage: 3 * M };
          // A long strided row (every other element, from an odd offset): copied or read in place.
          const every2: Layout = { kind: 'stride 2', shape: [M + M / 2 - 1], strides: [2], offset: 1, storage: 3 * M };
          // The same buffer as [600, 5000] over axis 0: wide rows, so the pairwise levels need
          // more scratch than a backend may keep at hand (wasm: 64 KiB).
          const wide: Layout = { kind: 'wide columns', shape: [5000, 600], strides: [1, 5000], offset: 0, storage: 3 * M };
          for (const kind of ['tenth', 'mixed'] as const) {
            await runLongSum(s, dtype, longSumData(dtype, rng, 3 * M, kind), [
              { l: cols, axes: 1, what: `${dtype} sum of [1e6, 3] over axis 0, ${kind}` },
              { l: rows, axes: 1, what: `${dtype} sum of [3, 1e6] over axis 1, ${kind}` },
              { l: every2, axes: 1, what: `${dtype} sum of a stride-2 view of 1.5e6 elements, ${kind}` },
              { l: wide, axes: 1, what: `${dtype} sum of [600, 5000] over axis 0, ${kind}` },
            ]);
          }
        });
      });
    }

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
