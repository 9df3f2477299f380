/**
 * Property: elementwise ops (unary, binary with broadcasting, where, clip) on generated shapes,
 * dtypes, views and values equal a float64 reference computed here on the host, on every
 * backend; operands of a dtype the op refuses raise a typed error in the op's name.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as hb from '../../src/index.js';
import { binaryInt, binaryRef, erfRef, unaryRef } from '../../testing/conformance/conformance_ref.js';
import {
  EXACT, at, broadcastIndex, broadcastShape, broadcastSourceArb, build, check, describe as show, expectTypedError, expectValues, hostFrom, hostOf,
  onEveryBackend, operandArb, shapeArb, storeAs, unitRoundoff, type DType, type Operand, type Tol,
} from './support.js';

type Unary = (x: hb.Tensor) => hb.Tensor;

interface UnarySpec {
  fn: Unary;
  ref: (x: number) => number;
  dtypes: readonly DType[];
  /** Correctly rounded: compared to 2 units of roundoff. Otherwise an approximation's tolerance. */
  exact: boolean;
}

const FLOATS: readonly DType[] = ['float32', 'float64'];
const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32'];

/** softplus by another route than hebb's: log1p(exp(x)), with x + exp(-x) once exp(x) would overflow. */
const softplusRef = (x: number): number => (x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x)));

const UNARY: Record<string, UnarySpec> = {
  neg: { fn: hb.neg, ref: unaryRef.neg, dtypes: NUMERIC, exact: true },
  abs: { fn: hb.abs, ref: unaryRef.abs, dtypes: NUMERIC, exact: true },
  sign: { fn: hb.sign, ref: unaryRef.sign, dtypes: NUMERIC, exact: true },
  square: { fn: hb.square, ref: (x) => x * x, dtypes: NUMERIC, exact: true },
  relu: { fn: hb.relu, ref: (x) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0), dtypes: NUMERIC, exact: true },
  floor: { fn: hb.floor, ref: unaryRef.floor, dtypes: FLOATS, exact: true },
  sqrt: { fn: hb.sqrt, ref: unaryRef.sqrt, dtypes: FLOATS, exact: true },
  reciprocal: { fn: hb.reciprocal, ref: (x) => 1 / x, dtypes: FLOATS, exact: true },
  exp: { fn: hb.exp, ref: unaryRef.exp, dtypes: FLOATS, exact: false },
  log: { fn: hb.log, ref: unaryRef.log, dtypes: FLOATS, exact: false },
  log1p: { fn: hb.log1p, ref: unaryRef.log1p, dtypes: FLOATS, exact: false },
  expm1: { fn: hb.expm1, ref: unaryRef.expm1, dtypes: FLOATS, exact: false },
  tanh: { fn: hb.tanh, ref: unaryRef.tanh, dtypes: FLOATS, exact: false },
  erf: { fn: hb.erf, ref: erfRef, dtypes: FLOATS, exact: false },
  sigmoid: { fn: hb.sigmoid, ref: unaryRef.sigmoid, dtypes: FLOATS, exact: false },
  softplus: { fn: hb.softplus, ref: softplusRef, dtypes: FLOATS, exact: false },
  logicalNot: { fn: hb.logicalNot, ref: unaryRef.logicalNot, dtypes: ['bool'], exact: true },
};

/** The tolerance of conformance_elementwise: 2u for exact ops, 1e-5 relative for approximations. */
function tolFor(dtype: DType, exact: boolean): Tol {
  const u = unitRoundoff(dtype);
  if (u === 0) return EXACT;
  if (exact) return { atol: 0, rtol: 2 * u };
  return dtype === 'float32' ? { atol: 1e-6, rtol: 1e-5 } : { atol: 1e-14, rtol: 1e-12 };
}

const ALL_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

describe('property: unary ops', () => {
  const arb = fc
    .record({ op: fc.constantFrom(...Object.keys(UNARY)), dtype: fc.constantFrom(...ALL_DTYPES), shape: shapeArb() })
    .chain(({ op, dtype, shape }) => operandArb(shape, dtype, { lo: -30, hi: 30, specials: 2 }).map((x) => ({ op, x })));

  it('match the float64 reference on every view and backend, or raise a DTypeError', () => {
    check(arb, ({ op, x }) => {
      const spec = UNARY[op] as UnarySpec;
      onEveryBackend((be) => {
        const what = `${be} ${op}(${show(x)})`;
        const t = build(x.plan, x.dtype);
        if (!spec.dtypes.includes(x.dtype)) {
          expectTypedError(() => spec.fn(t), hb.DTypeError, op, what);
          return;
        }
        const h = hostOf(x.plan);
        const want = h.data.map((v) => storeAs(x.dtype, spec.ref(v)));
        expectValues(spec.fn(t), h.shape, want, tolFor(x.dtype, spec.exact), what);
      });
    }, 600);
  });
});

type Binary = (a: hb.Tensor | number, b: hb.Tensor | number) => hb.Tensor;

interface BinarySpec {
  fn: Binary;
  ref: (a: number, b: number) => number;
  dtypes: readonly DType[];
  /** Result dtype from the operands' (comparisons give bool; int32 division float32). */
  out: (d: DType) => DType;
  exact: boolean;
}

const same = (d: DType): DType => d;
const boolOut = (): DType => 'bool';
const COMPARE: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

const BINARY: Record<string, BinarySpec> = {
  add: { fn: hb.add, ref: binaryRef.add, dtypes: NUMERIC, out: same, exact: true },
  sub: { fn: hb.sub, ref: binaryRef.sub, dtypes: NUMERIC, out: same, exact: true },
  mul: { fn: hb.mul, ref: binaryRef.mul, dtypes: NUMERIC, out: same, exact: true },
  // int32 / int32 is true division in float32, as NumPy's `/` gives floats.
  div: { fn: hb.div, ref: binaryRef.div, dtypes: NUMERIC, out: (d) => (d === 'int32' ? 'float32' : d), exact: true },
  pow: { fn: hb.pow, ref: binaryRef.pow, dtypes: NUMERIC, out: same, exact: false },
  maximum: { fn: hb.maximum, ref: binaryRef.maximum, dtypes: NUMERIC, out: same, exact: true },
  minimum: { fn: hb.minimum, ref: binaryRef.minimum, dtypes: NUMERIC, out: same, exact: true },
  equal: { fn: hb.equal, ref: binaryRef.equal, dtypes: COMPARE, out: boolOut, exact: true },
  notEqual: { fn: hb.notEqual, ref: binaryRef.notEqual, dtypes: COMPARE, out: boolOut, exact: true },
  less: { fn: hb.less, ref: binaryRef.less, dtypes: NUMERIC, out: boolOut, exact: true },
  lessEqual: { fn: hb.lessEqual, ref: binaryRef.lessEqual, dtypes: NUMERIC, out: boolOut, exact: true },
  greater: { fn: hb.greater, ref: binaryRef.greater, dtypes: NUMERIC, out: boolOut, exact: true },
  greaterEqual: { fn: hb.greaterEqual, ref: binaryRef.greaterEqual, dtypes: NUMERIC, out: boolOut, exact: true },
  logicalAnd: { fn: (a, b) => hb.logicalAnd(a as hb.Tensor, b as hb.Tensor), ref: binaryRef.logicalAnd, dtypes: ['bool'], out: boolOut, exact: true },
  logicalOr: { fn: (a, b) => hb.logicalOr(a as hb.Tensor, b as hb.Tensor), ref: binaryRef.logicalOr, dtypes: ['bool'], out: boolOut, exact: true },
};

/** Either operand may be a plain number (a scalar of the other's dtype). */
type Side = { tensor: Operand } | { number: number };

function sideArb(shape: number[], dtype: DType, halves: boolean, allowNumber: boolean): fc.Arbitrary<Side> {
  const tensor = broadcastSourceArb(shape).chain((s) => operandArb(s, dtype, { halves, specials: 2 })).map((tensor): Side => ({ tensor }));
  if (!allowNumber) return tensor;
  const num = (dtype === 'int32' ? fc.integer({ min: -9, max: 9 }) : fc.constantFrom(0, -0, 1, -1, 2.5, 0.5, NaN, Infinity)).map((number): Side => ({ number }));
  return fc.oneof({ weight: 5, arbitrary: tensor }, { weight: 1, arbitrary: num });
}

describe('property: binary ops with broadcasting', () => {
  const arb = fc
    .record({
      op: fc.constantFrom(...Object.keys(BINARY)),
      da: fc.constantFrom(...ALL_DTYPES),
      // Mostly the same dtype; sometimes another, which must be a DTypeError.
      mismatch: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...ALL_DTYPES) }),
      shape: shapeArb(0, 3),
      numberSide: fc.constantFrom(null, 'a', 'b'),
    })
    .chain(({ op, da, mismatch, shape, numberSide }) => {
      const db = mismatch ?? da;
      const halves = op !== 'pow';
      return fc
        .tuple(sideArb(shape, da, halves, numberSide === 'a' && db === da), sideArb(shape, db, halves, numberSide === 'b' && db === da))
        .map(([a, b]) => ({ op, da, db, shape, a, b }));
    });

  it('match the float64 reference on every view and backend, or raise a DTypeError', () => {
    check(arb, ({ op, da, db, a, b }) => {
      const spec = BINARY[op] as BinarySpec;
      onEveryBackend((be) => {
        const ta = 'tensor' in a ? build(a.tensor.plan, a.tensor.dtype) : a.number;
        const tb = 'tensor' in b ? build(b.tensor.plan, b.tensor.dtype) : b.number;
        const what = `${be} ${op}(${'tensor' in a ? show(a.tensor) : a.number}, ${'tensor' in b ? show(b.tensor) : b.number})`;
        if (da !== db || !spec.dtypes.includes(da)) {
          expectTypedError(() => spec.fn(ta, tb), hb.DTypeError, op, what);
          return;
        }
        const num = 'number' in a ? a.number : 'number' in b ? b.number : 0;
        if (da === 'bool' && num !== 0 && num !== 1) {
          // A number takes the tensor's dtype; for bool only 0 and 1 are values of it.
          expectTypedError(() => spec.fn(ta, tb), hb.DTypeError, op, what);
          return;
        }
        // A number takes the tensor's dtype (an int32 one must be an integer, as generated).
        const ha = 'tensor' in a ? hostOf(a.tensor.plan) : { shape: [], data: [storeAs(da, a.number)] };
        const hb2 = 'tensor' in b ? hostOf(b.tensor.plan) : { shape: [], data: [storeAs(db, b.number)] };
        const outShape = broadcastShape(ha.shape, hb2.shape);
        if (op === 'pow' && da === 'int32' && hb2.data.some((v) => v < 0) && outShape.every((d) => d > 0)) {
          // NumPy: "Integers to negative integer powers are not allowed".
          expectTypedError(() => spec.fn(ta, tb), hb.ValueError, op, what);
          return;
        }
        const outDType = spec.out(da);
        const ref = op === 'pow' && da === 'int32' ? (x: number, y: number) => binaryInt('pow', x, y) : spec.ref;
        const want = hostFrom(outShape, (idx) => storeAs(outDType, ref(at(ha, broadcastIndex(ha.shape, idx)), at(hb2, broadcastIndex(hb2.shape, idx))))).data;
        const r = spec.fn(ta, tb);
        if (r.dtype !== outDType) throw new Error(`${what}: dtype ${r.dtype}, expected ${outDType}`);
        expectValues(r, outShape, want, tolFor(outDType, spec.exact), what);
      });
    }, 600);
  });
});

describe('property: where and clip', () => {
  const arb = fc
    .record({ dtype: fc.constantFrom(...ALL_DTYPES), shape: shapeArb(0, 3), lo: fc.integer({ min: -3, max: 1 }), width: fc.integer({ min: 0, max: 4 }) })
    .chain(({ dtype, shape, lo, width }) =>
      fc
        .tuple(
          broadcastSourceArb(shape).chain((s) => operandArb(s, 'bool')),
          broadcastSourceArb(shape).chain((s) => operandArb(s, dtype, { halves: true, specials: 2 })),
          broadcastSourceArb(shape).chain((s) => operandArb(s, dtype, { halves: true, specials: 2 })),
        )
        .map(([c, a, b]) => ({ dtype, c, a, b, lo: lo / 2, hi: (lo + width) / 2 })),
    );

  it('where picks per element across broadcast views; clip bounds (NaN stays NaN)', () => {
    check(arb, ({ dtype, c, a, b, lo, hi }) => {
      onEveryBackend((be) => {
        const what = `${be} where(${show(c)}, ${show(a)}, ${show(b)})`;
        const [hc, ha, hbv] = [hostOf(c.plan), hostOf(a.plan), hostOf(b.plan)];
        const outShape = broadcastShape(hc.shape, ha.shape, hbv.shape);
        const pick = (idx: number[]): number => (at(hc, broadcastIndex(hc.shape, idx)) ? at(ha, broadcastIndex(ha.shape, idx)) : at(hbv, broadcastIndex(hbv.shape, idx)));
        expectValues(hb.where(build(c.plan, 'bool'), build(a.plan, dtype), build(b.plan, dtype)), outShape, hostFrom(outShape, pick).data, EXACT, what, true);

        const x = build(a.plan, dtype);
        const cwhat = `${be} clip(${show(a)}, ${lo}, ${hi})`;
        if (dtype === 'bool') {
          expectTypedError(() => hb.clip(x, lo, hi), hb.DTypeError, 'clip', cwhat);
        } else if (dtype === 'int32' && (!Number.isInteger(lo) || !Number.isInteger(hi))) {
          expectTypedError(() => hb.clip(x, lo, hi), hb.DTypeError, 'clip', cwhat);
        } else {
          const want = ha.data.map((v) => (Number.isNaN(v) ? NaN : v > hi ? hi : v < lo ? lo : v));
          expectValues(hb.clip(x, lo, hi), ha.shape, want, EXACT, cwhat);
        }
      });
    }, 300);
  });
});
