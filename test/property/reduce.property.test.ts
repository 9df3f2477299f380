/**
 * Property: reductions (sum, prod, max, min, mean, variance, argmax, argmin, logSumExp) over any
 * set of axes of generated views, keepDims or not, equal a float64 reference summed here on the
 * host, on every backend. Empty reductions follow NumPy (sum 0, prod 1, mean NaN) or are a
 * ShapeError (max, min, argmax, argmin, logSumExp); bool input is a DTypeError.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as hb from '../../src/index.js';
import {
  EXACT, at, build, check, describe as show, expectTypedError, expectValues, forEachIndex, hostOf, onEveryBackend, operandArb, shapeArb,
  sizeOf, storeAs, unitRoundoff, type DType, type Host, type Tol,
} from './support.js';

/** The groups a reduction combines: one list of values per output element, in output order. */
function groups(h: Host, axes: readonly number[]): { kept: number[]; rows: number[][] } {
  const keptAxes = h.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const kept = keptAxes.map((i) => h.shape[i] as number);
  const red = axes.map((i) => h.shape[i] as number);
  const rows: number[][] = [];
  forEachIndex(kept, (k) => {
    const row: number[] = [];
    forEachIndex(red, (r) => {
      const idx = new Array<number>(h.shape.length);
      keptAxes.forEach((a, j) => (idx[a] = k[j] as number));
      axes.forEach((a, j) => (idx[a] = r[j] as number));
      row.push(at(h, idx));
    });
    rows.push(row);
  });
  return { kept, rows };
}

const hasNaN = (r: readonly number[]): boolean => r.some(Number.isNaN);
const sumOf = (r: readonly number[]): number => r.reduce((s, v) => s + v, 0);
const absSum = (r: readonly number[]): number => r.reduce((s, v) => s + (Number.isFinite(v) ? Math.abs(v) : 0), 0);

interface ReduceSpec {
  fn: (x: hb.Tensor, axis?: number | number[], keepDims?: boolean) => hb.Tensor;
  ref: (row: number[]) => number;
  /** Error bound for a row (float dtypes), from the row and the unit roundoff. */
  tol: (row: number[], u: number) => Tol;
  /** Refuses an empty reduction. */
  needsElements: boolean;
  floatOnly?: boolean;
  /** Result dtype from the input's. */
  out: (d: DType) => DType;
}

const same = (d: DType): DType => d;
const toFloat = (d: DType): DType => (d === 'int32' ? 'float32' : d);
/** A sum in any order is within n·u·Σ|x| of the exact one (plus rounding the result). */
const sumTol = (row: number[], u: number): Tol => ({ atol: 2 * (row.length + 1) * u * absSum(row), rtol: 2 * u });

const REDUCE: Record<string, ReduceSpec> = {
  sum: { fn: hb.sum, ref: sumOf, tol: sumTol, needsElements: false, out: same },
  prod: { fn: hb.prod, ref: (r) => r.reduce((p, v) => p * v, 1), tol: (r, u) => ({ atol: 0, rtol: 2 * (r.length + 1) * u }), needsElements: false, out: same },
  max: { fn: hb.max, ref: (r) => (hasNaN(r) ? NaN : Math.max(...r)), tol: () => EXACT, needsElements: true, out: same },
  min: { fn: hb.min, ref: (r) => (hasNaN(r) ? NaN : Math.min(...r)), tol: () => EXACT, needsElements: true, out: same },
  // int32 input gives float32 (NumPy returns floats); an empty mean is 0 / 0 = NaN, as NumPy's.
  mean: { fn: hb.mean, ref: (r) => sumOf(r) / r.length, tol: (r, u) => ({ atol: (2 * (r.length + 2) * u * absSum(r)) / Math.max(1, r.length), rtol: 2 * u }), needsElements: false, out: toFloat },
  variance: {
    fn: hb.variance,
    ref: (r) => {
      const m = sumOf(r) / r.length;
      return r.reduce((s, v) => s + (v - m) * (v - m), 0) / r.length;
    },
    // Two passes (mean, then squared deviations): the error scales with max x², not the result.
    tol: (r, u) => ({ atol: 8 * (r.length + 2) * u * Math.max(0, ...r.map((v) => v * v)), rtol: 4 * u }),
    needsElements: false,
    out: toFloat,
  },
  logSumExp: {
    fn: hb.logSumExp,
    ref: (r) => {
      if (hasNaN(r)) return NaN;
      const m = Math.max(...r);
      if (!Number.isFinite(m)) return m; // a row holding +inf gives +inf; a row of -inf gives -inf
      return m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
    },
    tol: (r, u) => ({ atol: 4 * (r.length + 2) * u * Math.max(1, ...r.filter(Number.isFinite).map(Math.abs)), rtol: 4 * u }),
    needsElements: true,
    floatOnly: true,
    out: same,
  },
};

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** An axis argument: all (undefined), one (number, maybe negative), or a list in any order. */
function axisArb(rank: number): fc.Arbitrary<number | number[] | undefined> {
  const axes = Array.from({ length: rank }, (_, i) => i);
  const list = fc.subarray(axes).chain((sub) => fc.shuffledSubarray(sub, { minLength: sub.length, maxLength: sub.length }));
  const neg = (a: number): fc.Arbitrary<number> => fc.boolean().map((n) => (n ? a - rank : a));
  const one = rank === 0 ? fc.constant(undefined) : fc.integer({ min: 0, max: rank - 1 }).chain(neg);
  return fc.oneof(fc.constant(undefined), one, list);
}

const resolve = (axis: number | number[] | undefined, rank: number): number[] =>
  axis === undefined ? Array.from({ length: rank }, (_, i) => i) : (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a)).sort((x, y) => x - y);

describe('property: reductions', () => {
  const arb = fc
    .record({ op: fc.constantFrom(...Object.keys(REDUCE)), dtype: fc.constantFrom(...DTYPES), shape: shapeArb(0, 4, 3), keepDims: fc.boolean(), specials: fc.constantFrom(0, 1) })
    .chain(({ op, dtype, shape, keepDims, specials }) =>
      fc
        .tuple(operandArb(shape, dtype, { lo: -4, hi: 4, halves: op === 'max' || op === 'min', specials }), axisArb(shape.length))
        .map(([x, axis]) => ({ op, x, axis, keepDims })),
    );

  it('match the float64 reference over any axes of any view, on every backend', () => {
    check(arb, ({ op, x, axis, keepDims }) => {
      const spec = REDUCE[op] as ReduceSpec;
      onEveryBackend((be) => {
        const t = build(x.plan, x.dtype);
        const what = `${be} ${op}(${show(x)}, ${JSON.stringify(axis)}, ${keepDims})`;
        if (x.dtype === 'bool' || (spec.floatOnly && x.dtype === 'int32')) {
          expectTypedError(() => spec.fn(t, axis, keepDims), hb.DTypeError, op, what);
          return;
        }
        const h = hostOf(x.plan);
        const axes = resolve(axis, h.shape.length);
        if (spec.needsElements && axes.some((a) => h.shape[a] === 0)) {
          expectTypedError(() => spec.fn(t, axis, keepDims), hb.ShapeError, op, what);
          return;
        }
        const { kept, rows } = groups(h, axes);
        const outDType = spec.out(x.dtype);
        const u = unitRoundoff(outDType);
        const want = rows.map((r) => storeAs(outDType, spec.ref(r)));
        const shape = keepDims ? h.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept;
        const r = spec.fn(t, axis, keepDims);
        if (r.dtype !== outDType) throw new Error(`${what}: dtype ${r.dtype}, expected ${outDType}`);
        // Rounding a subnormal result costs up to half its last place, whatever the row.
        const tiny = u === 2 ** -24 ? 2 ** -149 : 2 ** -1074;
        const tol = (i: number): Tol => {
          const t0 = spec.tol(rows[i] as number[], u);
          return { atol: t0.atol + tiny * (op === 'prod' ? 4 ** ((rows[i] as number[]).length + 1) : 2), rtol: t0.rtol };
        };
        expectValues(r, shape, want, u === 0 ? EXACT : tol, what);
      });
    }, 600);
  });
});

describe('property: argmax and argmin', () => {
  const arb = fc
    .record({ dtype: fc.constantFrom('float32', 'float64', 'int32') as fc.Arbitrary<DType>, shape: shapeArb(1, 3, 4) })
    .chain(({ dtype, shape }) =>
      fc
        .tuple(operandArb(shape, dtype, { lo: -2, hi: 2, halves: true, specials: 1 }), fc.integer({ min: -shape.length, max: shape.length - 1 }))
        .map(([x, axis]) => ({ x, axis })),
    );

  it('give the first extreme (the first NaN if any) along one axis, as int32', () => {
    check(arb, ({ x, axis }) => {
      onEveryBackend((be) => {
        const h = hostOf(x.plan);
        const ax = axis < 0 ? axis + h.shape.length : axis;
        for (const [op, fn, better] of [
          ['argmax', hb.argmax, (a: number, b: number) => a > b],
          ['argmin', hb.argmin, (a: number, b: number) => a < b],
        ] as const) {
          const what = `${be} ${op}(${show(x)}, ${axis})`;
          const t = build(x.plan, x.dtype);
          if (h.shape[ax] === 0) {
            expectTypedError(() => fn(t, axis), hb.ShapeError, op, what);
            continue;
          }
          const { kept, rows } = groups(h, [ax]);
          const want = rows.map((r) => {
            const nan = r.findIndex(Number.isNaN);
            if (nan >= 0) return nan;
            let best = 0;
            for (let i = 1; i < r.length; i++) if (better(r[i] as number, r[best] as number)) best = i;
            return best;
          });
          const got = fn(t, axis);
          if (got.dtype !== 'int32') throw new Error(`${what}: dtype ${got.dtype}`);
          expectValues(got, kept, want, EXACT, what);
        }
      });
    }, 300);
  });
});

describe('property: empty reductions', () => {
  it('sum 0, prod 1, mean NaN over an empty axis; the kept axes keep their sizes', () => {
    check(shapeArb(1, 3, 3, false), (shape) => {
      onEveryBackend(() => {
        const s = [...shape, 0];
        const x = hb.zeros(s);
        const n = sizeOf(shape);
        expectValues(hb.sum(x, -1), shape, new Array<number>(n).fill(0), EXACT, 'sum');
        expectValues(hb.prod(x, -1), shape, new Array<number>(n).fill(1), EXACT, 'prod');
        expectValues(hb.mean(x, -1), shape, new Array<number>(n).fill(NaN), EXACT, 'mean');
        expectValues(hb.sum(x), [], [0], EXACT, 'sum of all');
      });
    }, 20);
  });
});
