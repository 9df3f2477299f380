/**
 * Conformance: unary, binary and where, over every layout (contiguous, offset windows,
 * transposed, broadcast with stride 0) and on special values (NaN, infinities, tiny arguments).
 */
import { describe, it } from 'node:test';
import { COMPARISON_OPS, type Backend, type BinaryOp, type UnaryOp } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { EXACT_BINARY, EXACT_UNARY, binaryInt, binaryRef, unaryRef } from './conformance_ref.js';
import { EXACT, Rng, assertClose, gatherLayout, layoutsFor, randomValues, storeAs, unitRoundoff, type Tol, type Session } from './conformance_util.js';

export const UNARY_OPS: readonly UnaryOp[] = ['neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'erf', 'sigmoid', 'floor', 'logicalNot'];
const BINARY_OPS: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr',
];

/**
 * Exactly rounded ops must be within one ulp of the double result. Transcendental float32 ops
 * may use their own approximations: 1e-5 relative (~170 ulp) plus 1e-6 absolute on random data;
 * the special-value tables drop the absolute part, so exp(x)-1 for expm1 or a tanh that loses
 * tiny arguments fails.
 */
export function tolFor(dtype: DType, exact: boolean, absolute = true): Tol {
  const u = unitRoundoff(dtype);
  if (u === 0) return EXACT;
  if (exact) return { atol: 0, rtol: 2 * u };
  if (dtype === 'float32') return { atol: absolute ? 1e-6 : 1e-37, rtol: 1e-5 };
  return { atol: absolute ? 1e-14 : 1e-300, rtol: 1e-12 };
}

/** Which dtypes an op accepts (what ops/primitives.ts allows through). */
function unaryDTypes(op: UnaryOp, dtypes: readonly DType[]): DType[] {
  if (op === 'logicalNot') return ['bool'];
  const numeric = op === 'neg' || op === 'abs' || op === 'sign';
  return dtypes.filter((d) => d === 'float32' || d === 'float64' || (numeric && d === 'int32'));
}

function binaryDTypes(op: BinaryOp, dtypes: readonly DType[]): DType[] {
  if (op === 'logicalAnd' || op === 'logicalOr') return ['bool'];
  return dtypes.filter((d) => d !== 'bool');
}

/** Random arguments inside each op's domain. */
export function unaryData(op: UnaryOp, dtype: DType, rng: Rng, n: number): number[] {
  if (dtype === 'bool' || dtype === 'int32') return randomValues(rng, dtype, n, -9, 9);
  const range: Partial<Record<UnaryOp, [number, number]>> = {
    exp: [-20, 20], log: [0.01, 20], sqrt: [0, 20], log1p: [-0.99, 20], expm1: [-5, 5],
    tanh: [-8, 8], erf: [-5, 5], sigmoid: [-20, 20], floor: [-10, 10],
  };
  const [lo, hi] = range[op] ?? [-5, 5];
  return randomValues(rng, dtype, n, lo, hi);
}

/** Special arguments per op (floats), checked with relative tolerance only. */
const UNARY_SPECIAL: { [K in UnaryOp]: number[] } = {
  neg: [0, 2, -2.5, Infinity, -Infinity, NaN],
  abs: [0, -2.5, 3, -Infinity, NaN],
  sign: [0, -0, 5, -5, 1e-30, -1e-30, Infinity, -Infinity, NaN],
  exp: [0, 1, -1, 1e-10, -Infinity, Infinity, 100, -120, 80, NaN],
  log: [1, 0, -1, Infinity, 1e-30, 1 + 2 ** -20, NaN],
  log1p: [0, 1e-10, -1e-10, 1e-5, -1, -2, Infinity, NaN],
  expm1: [0, 1e-10, -1e-10, 1e-5, -Infinity, Infinity, 100, NaN],
  sqrt: [0, 4, 2, -1, Infinity, 1e-30, NaN],
  tanh: [0, 1e-10, -1e-10, 1e-3, 0.5, 20, -20, Infinity, -Infinity, NaN],
  erf: [0, 1e-10, -1e-10, 0.5, 1, 2, 3, -3.5, 6, Infinity, -Infinity, NaN],
  sigmoid: [0, 1, -1, 20, -20, 50, -80, 1000, -1000, Infinity, -Infinity, NaN],
  floor: [0, -0.5, 0.5, 2, -2, 2.999, -2.001, 1e10 + 0.5, Infinity, -Infinity, NaN],
  logicalNot: [0, 1],
};

export async function runUnary(s: Session, op: UnaryOp, dtype: DType, shape: readonly number[], l: { shape: readonly number[]; strides: readonly number[]; offset: number; storage: number }, data: number[], tol: Tol, what: string): Promise<void> {
  const x = s.upload(dtype, data);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = s.out(dtype, n);
  s.be.unary(op, s.view(x, l), out);
  const want = gatherLayout(data, l).map((v) => storeAs(dtype, unaryRef[op](v)));
  assertClose(await s.read(out), want, tol, what);
}

export async function runBinary(s: Session, op: BinaryOp, dtype: DType, l: { shape: readonly number[]; strides: readonly number[]; offset: number }, a: number[], lb: typeof l, b: number[], what: string): Promise<void> {
  const outDType: DType = COMPARISON_OPS.has(op) ? 'bool' : dtype;
  const n = l.shape.reduce((x, y) => x * y, 1);
  const ab = s.upload(dtype, a);
  const bb = s.upload(dtype, b);
  const out = s.out(outDType, n);
  s.be.binary(op, s.view(ab, l), s.view(bb, lb), out);
  const av = gatherLayout(a, l);
  const bv = gatherLayout(b, lb);
  const f = dtype === 'int32' ? (x: number, y: number) => binaryInt(op, x, y) : binaryRef[op];
  const want = av.map((x, i) => storeAs(outDType, f(x, bv[i] as number)));
  assertClose(await s.read(out), want, tolFor(outDType, EXACT_BINARY.has(op)), what);
}

export function elementwiseCases(be: Backend, dtypes: readonly DType[], run: (fn: (s: Session) => Promise<void>) => Promise<void>): void {
  const shape = [3, 4, 5];
  describe('unary', () => {
    for (const op of UNARY_OPS) {
      for (const dtype of unaryDTypes(op, dtypes)) {
        it(`${op} ${dtype} on every layout`, async () => {
          const rng = new Rng(10);
          await run(async (s) => {
            for (const l of layoutsFor(shape)) {
              const data = unaryData(op, dtype, rng, l.storage);
              await runUnary(s, op, dtype, shape, l, data, tolFor(dtype, EXACT_UNARY.has(op)), `${op} ${dtype} ${l.kind}`);
            }
            const scalar = unaryData(op, dtype, rng, 1);
            await runUnary(s, op, dtype, [], { shape: [], strides: [], offset: 0, storage: 1 }, scalar, tolFor(dtype, EXACT_UNARY.has(op)), `${op} ${dtype} scalar`);
          });
        });
        if (dtype !== 'int32') {
          it(`${op} ${dtype} on special values`, async () => {
            await run(async (s) => {
              const data = UNARY_SPECIAL[op].map((v) => storeAs(dtype, v));
              const l = { shape: [data.length], strides: [1], offset: 0, storage: data.length };
              await runUnary(s, op, dtype, l.shape, l, data, tolFor(dtype, EXACT_UNARY.has(op), false), `${op} ${dtype} specials [${data.join(', ')}]`);
            });
          });
        }
      }
    }
    it('int32 neg/abs/sign at the int32 edges', async () => {
      await run(async (s) => {
        for (const op of ['neg', 'abs', 'sign'] as const) {
          const data = [0, 1, -1, 2147483647, -2147483647, 123456789];
          const l = { shape: [data.length], strides: [1], offset: 0, storage: data.length };
          await runUnary(s, op, 'int32', l.shape, l, data, EXACT, `${op} int32 edges`);
        }
      });
    });
  });

  describe('binary', () => {
    for (const op of BINARY_OPS) {
      for (const dtype of binaryDTypes(op, dtypes)) {
        it(`${op} ${dtype}: every pair of layouts (strided, transposed, stride-0 broadcast, offset)`, async () => {
          const rng = new Rng(20);
          // Comparisons need ties, so their floats are quantized to halves.
          const gen = (n: number, second: boolean): number[] => {
            if (dtype === 'bool') return randomValues(rng, 'bool', n);
            if (dtype === 'int32') {
              if (op === 'div' && second) return rng.ints(n, 1, 9).map((v) => (rng.next() < 0.5 ? -v : v));
              if (op === 'pow') return second ? rng.ints(n, 0, 4) : rng.ints(n, -3, 3);
              return rng.ints(n, -9, 9);
            }
            if (COMPARISON_OPS.has(op) || op === 'maximum' || op === 'minimum') return rng.ints(n, -4, 4).map((v) => v / 2);
            if (op === 'pow') return second ? randomValues(rng, dtype, n, -3, 3) : randomValues(rng, dtype, n, 0.1, 3);
            if (op === 'div' && second) return randomValues(rng, dtype, n, 0.25, 3).map((v) => (rng.next() < 0.5 ? -v : v));
            return randomValues(rng, dtype, n);
          };
          await run(async (s) => {
            const layouts = layoutsFor(shape);
            for (const la of layouts) {
              for (const lb of layouts) {
                await runBinary(s, op, dtype, la, gen(la.storage, false), lb, gen(lb.storage, true), `${op} ${dtype} a ${la.kind}, b ${lb.kind}`);
              }
            }
          });
        });
      }
    }

    if (dtypes.includes('int32')) {
      it('int32 at the edges: add/sub/mul wrap, division truncates (x / 0 = 0, MIN / -1 = MIN), pow saturates', async () => {
        const MAX = 2147483647;
        const MIN = -2147483648;
        const pairs: Partial<Record<BinaryOp, [number, number][]>> = {
          add: [[MAX, 1], [MIN, -1], [MAX, MAX], [MIN, MIN], [5, -7]],
          sub: [[MIN, 1], [MAX, -1], [0, MIN], [-7, 5]],
          mul: [[65537, 65537], [1073741825, 1073741825], [MAX, MAX], [MIN, -1], [MIN, MIN], [46341, 46341], [-3, 7]],
          div: [[7, 2], [-7, 2], [7, -2], [-7, -2], [5, 0], [0, 0], [-5, 0], [MIN, -1], [MIN, 1], [MAX, -1], [1, MAX]],
          pow: [[2, 31], [-2, 31], [-2, 32], [3, 40], [2, 30], [-3, 19], [2, -1], [0, -1], [-1, -1], [1, -5], [-1, 31], [0, 0]],
        };
        await run(async (s) => {
          for (const [op, list] of Object.entries(pairs) as [BinaryOp, [number, number][]][]) {
            const l = { shape: [list.length], strides: [1], offset: 0 };
            await runBinary(s, op, 'int32', l, list.map((p) => p[0]), l, list.map((p) => p[1]), `${op} int32 edges`);
          }
        });
      });
    }

    it('special values: NaN propagates through maximum/minimum from either side, compares false', async () => {
      const pairs: [number, number][] = [
        [NaN, 1], [1, NaN], [NaN, NaN], [Infinity, 1], [-Infinity, Infinity], [0, -0], [1, 0], [-1, 0], [0, 0],
        [-2, 3], [-2, 0.5], [0, -1], [NaN, 0], [3, Infinity], [2, -Infinity], [-8, 1 / 3],
        // pow's IEEE 754 cases: 1 for a base of 1 or an exponent of 0 even with NaN, and for -1 to ±inf.
        [1, Infinity], [1, -Infinity], [-1, Infinity], [-1, -Infinity], [NaN, -0], [-0, -1], [-0, -3], [-Infinity, -3],
      ];
      await run(async (s) => {
        for (const dtype of dtypes.filter((d) => d === 'float32' || d === 'float64')) {
          for (const op of BINARY_OPS.filter((o) => o !== 'logicalAnd' && o !== 'logicalOr')) {
            const a = pairs.map((p) => storeAs(dtype, p[0]));
            const b = pairs.map((p) => storeAs(dtype, p[1]));
            const l = { shape: [a.length], strides: [1], offset: 0 };
            await runBinary(s, op, dtype, l, a, l, b, `${op} ${dtype} specials`);
          }
        }
      });
    });
  });

  describe('int32 pow', () => {
    if (!dtypes.includes('int32')) return;
    it('is exact and wraps like NumPy at large exponents; negative exponents truncate', async () => {
      const pairs: [number, number][] = [
        [3, 20], [-2, 31], [2, 31], [2, 40], [7, 13], [-3, 19], [5, 0], [0, 0], [0, 5], [-1, 99], [-1, 100], [46341, 2],
        [2, -1], [-1, -3], [-1, -4], [1, -5], [0, -1], [-7, -2],
      ];
      await run(async (s) => {
        const l = { shape: [pairs.length], strides: [1], offset: 0 };
        await runBinary(s, 'pow', 'int32', l, pairs.map((p) => p[0]), l, pairs.map((p) => p[1]), 'pow int32 edges');
      });
    });
  });

  describe('where', () => {
    for (const dtype of dtypes) {
      it(`${dtype}: cond, a and b in rotating layouts`, async () => {
        const rng = new Rng(30);
        await run(async (s) => {
          const layouts = layoutsFor(shape);
          for (let i = 0; i < layouts.length; i++) {
            for (let j = 0; j < layouts.length; j++) {
              const lc = layouts[i]!;
              const la = layouts[j]!;
              const lb = layouts[(i + j + 1) % layouts.length]!;
              const c = randomValues(rng, 'bool', lc.storage);
              // NaN in the branch not taken must not leak into the output.
              const a = randomValues(rng, dtype, la.storage).map((v, k) => (dtype.startsWith('float') && k % 7 === 0 ? NaN : v));
              const b = randomValues(rng, dtype, lb.storage);
              const cb = s.upload('bool', c);
              const ab = s.upload(dtype, a);
              const bb = s.upload(dtype, b);
              const out = s.out(dtype, 60);
              be.where(s.view(cb, lc), s.view(ab, la), s.view(bb, lb), out);
              const cv = gatherLayout(c, lc);
              const av = gatherLayout(a, la);
              const bv = gatherLayout(b, lb);
              const want = cv.map((cc, k) => (cc ? (av[k] as number) : (bv[k] as number)));
              assertClose(await s.read(out), want, EXACT, `where ${dtype} cond ${lc.kind}, a ${la.kind}, b ${lb.kind}`);
            }
          }
        });
      });
    }
  });
}
