/**
 * Property: matmul (batch broadcasting, transposeA/transposeB, operands that are views, empty
 * m, k or n, NaN and infinities) and dot equal a float64 reference summed here on the host, on
 * every backend, within the rounding bound of a sum of k products; non-float or mixed dtypes
 * are a DTypeError.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as hb from '../../src/index.js';
import {
  at, broadcastIndex, broadcastShape, broadcastSourceArb, build, check, describe as show, expectTypedError, expectValues, hostFrom, hostOf,
  onEveryBackend, operandArb, shapeArb, storeAs, unitRoundoff, type DType, type Host, type Tol,
} from './support.js';

/** Mostly small, sometimes past the kernels' 4- and 8-wide blocks; now and then 0. */
const dimArb = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 2, arbitrary: fc.integer({ min: 6, max: 19 }) }, { weight: 1, arbitrary: fc.constant(0) });

/** The reference product and its error bound per element: Σ_p a·b in double, and Σ_p |a·b|. */
function product(ha: Host, hb2: Host, tA: boolean, tB: boolean, batch: number[], m: number, k: number, n: number): { out: Host; scale: number[] } {
  const scale: number[] = [];
  const aBatch = ha.shape.slice(0, -2);
  const bBatch = hb2.shape.slice(0, -2);
  const out = hostFrom([...batch, m, n], (idx) => {
    const bi = idx.slice(0, -2);
    const [i, j] = idx.slice(-2) as [number, number];
    const ai = broadcastIndex(aBatch, bi);
    const bj = broadcastIndex(bBatch, bi);
    let s = 0;
    let abs = 0;
    for (let p = 0; p < k; p++) {
      const x = at(ha, [...ai, ...(tA ? [p, i] : [i, p])]);
      const y = at(hb2, [...bj, ...(tB ? [j, p] : [p, j])]);
      s += x * y;
      abs += Math.abs(x * y);
    }
    scale.push(abs);
    return s;
  });
  return { out, scale };
}

const arb = fc
  .record({
    da: fc.constantFrom<DType>('float32', 'float64', 'float32', 'float64', 'int32'),
    db: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom<DType>('float32', 'float64', 'int32') }),
    batch: shapeArb(0, 2, 3, false),
    m: dimArb,
    k: dimArb,
    n: dimArb,
    tA: fc.boolean(),
    tB: fc.boolean(),
    specials: fc.constantFrom(0, 0, 1),
  })
  .chain((c) =>
    fc.tuple(broadcastSourceArb(c.batch), broadcastSourceArb(c.batch)).chain(([ba, bb]) => {
      const db = c.db ?? c.da;
      const aShape = [...ba, ...(c.tA ? [c.k, c.m] : [c.m, c.k])];
      const bShape = [...bb, ...(c.tB ? [c.n, c.k] : [c.k, c.n])];
      const o = { lo: -3, hi: 3, specials: c.specials };
      return fc.tuple(operandArb(aShape, c.da, o), operandArb(bShape, db, o)).map(([a, b]) => ({ ...c, db, a, b }));
    }),
  );

describe('property: matmul', () => {
  it('equals the float64 sum of products within k roundings, on every view and backend', () => {
    check(arb, ({ da, db, m, k, n, tA, tB, a, b }) => {
      onEveryBackend((be) => {
        const ta = build(a.plan, da);
        const tb = build(b.plan, db);
        const what = `${be} matmul(${show(a)}, ${show(b)}, ${tA}, ${tB})`;
        if (da !== db || da === 'int32') {
          expectTypedError(() => hb.matmul(ta, tb, tA, tB), hb.DTypeError, 'matmul', what);
          return;
        }
        const ha = hostOf(a.plan);
        const hbv = hostOf(b.plan);
        const batch = broadcastShape(ha.shape.slice(0, -2), hbv.shape.slice(0, -2));
        const { out, scale } = product(ha, hbv, tA, tB, batch, m, k, n);
        const u = unitRoundoff(da);
        const tiny = da === 'float32' ? 2 ** -149 : 2 ** -1074;
        const tol = (i: number): Tol => ({ atol: 2 * (k + 1) * u * (scale[i] as number) + (k + 1) * tiny, rtol: 2 * u });
        expectValues(hb.matmul(ta, tb, tA, tB), out.shape, out.data.map((v) => storeAs(da, v)), tol, what);
      });
    }, 500);
  });
});

describe('property: dot', () => {
  const dotArb = fc
    .record({ dtype: fc.constantFrom<DType>('float32', 'float64'), ra: fc.integer({ min: 1, max: 2 }), rb: fc.integer({ min: 1, max: 2 }), m: dimArb, k: dimArb, n: dimArb })
    .chain((c) => {
      const aShape = c.ra === 1 ? [c.k] : [c.m, c.k];
      const bShape = c.rb === 1 ? [c.k] : [c.k, c.n];
      return fc.tuple(operandArb(aShape, c.dtype, { lo: -3, hi: 3, specials: 0 }), operandArb(bShape, c.dtype, { lo: -3, hi: 3, specials: 0 })).map(([a, b]) => ({ ...c, a, b }));
    });

  it('is NumPy dot for ranks 1 and 2', () => {
    check(dotArb, ({ dtype, ra, rb, m, k, n, a, b }) => {
      onEveryBackend((be) => {
        const ha = hostOf(a.plan);
        const hbv = hostOf(b.plan);
        // As matrices: a vector a is a row [1, k], a vector b a column [k, 1]; then drop them.
        const a2 = { shape: ra === 1 ? [1, k] : [m, k], data: ha.data };
        const b2 = { shape: rb === 1 ? [k, 1] : [k, n], data: hbv.data };
        const { out, scale } = product(a2, b2, false, false, [], ra === 1 ? 1 : m, k, rb === 1 ? 1 : n);
        const shape = [...(ra === 2 ? [m] : []), ...(rb === 2 ? [n] : [])];
        const u = unitRoundoff(dtype);
        const tiny = dtype === 'float32' ? 2 ** -149 : 2 ** -1074;
        const tol = (i: number): Tol => ({ atol: 2 * (k + 1) * u * (scale[i] as number) + (k + 1) * tiny, rtol: 2 * u });
        expectValues(hb.dot(build(a.plan, dtype), build(b.plan, dtype)), shape, out.data.map((v) => storeAs(dtype, v)), tol, `${be} dot(${show(a)}, ${show(b)})`);
      });
    }, 200);
  });
});
