/**
 * Support for the property-based tests: fast-check generators of shapes, dtypes, values (NaN,
 * ±Infinity, −0, subnormals and empty tensors included) and views (transposed, sliced,
 * broadcast, and views of views), plus the host side that recomputes every view's logical
 * values with plain index loops, so a reference never goes through hebb code.
 *
 * The seed is fixed (HEBB_PROPERTY_SEED overrides it, HEBB_PROPERTY_RUNS scales the number of
 * cases); fast-check's failure report prints the seed, the path of the shrunk counterexample
 * that replays it, and the error.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as hb from '../../src/index.js';
import { storeAs, unitRoundoff } from '../../testing/conformance/conformance_util.js';
import { onBackend } from '../helpers.js';

export { storeAs, unitRoundoff };
export type DType = hb.DType;

export const SEED = Number(process.env.HEBB_PROPERTY_SEED ?? 20240611);
/** HEBB_PROPERTY_RUNS=10 runs ten times as many cases (a deeper search than the suite's). */
const RUNS_SCALE = Number(process.env.HEBB_PROPERTY_RUNS ?? 1);

/** Runs a property with the fixed seed; on failure the report names the seed and the path. */
export function check<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void, numRuns: number): void {
  fc.assert(fc.property(arb, predicate), { seed: SEED, numRuns: Math.ceil(numRuns * RUNS_SCALE), includeErrorInReport: true });
}

/** Every backend this build has (cpu and wasm), each run in a scope that must not leak. */
export function onEveryBackend(fn: (backend: string) => void): void {
  for (const name of hb.listBackends()) {
    onBackend(name, () => {
      const t0 = hb.numTensors();
      hb.scope(() => fn(name));
      assert.equal(hb.numTensors(), t0, `${name}: the ops leaked tensors`);
    });
  }
}

// ---------------------------------------------------------------- host tensors

/** Logical values in row-major order. */
export interface Host {
  shape: number[];
  data: number[];
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}

/** Calls fn with every index of `shape` in row-major order (once, with [], for a scalar). */
export function forEachIndex(shape: readonly number[], fn: (idx: number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    fn(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++(idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
}

export function at(h: Host, idx: readonly number[]): number {
  const st = stridesOf(h.shape);
  let o = 0;
  for (let i = 0; i < idx.length; i++) o += (idx[i] as number) * (st[i] as number);
  return h.data[o] as number;
}

/** A host tensor of `shape` whose value at each index is fn(index). */
export function hostFrom(shape: readonly number[], fn: (idx: number[]) => number): Host {
  const data: number[] = [];
  forEachIndex(shape, (idx) => data.push(fn(idx)));
  return { shape: [...shape], data };
}

/** NumPy's broadcast of shapes that are known to be compatible: per dimension the one not 1. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    let d = 1;
    for (const s of shapes) {
      const x = s[s.length - rank + i] ?? 1;
      if (x !== 1) d = x;
    }
    return d;
  });
}

/** The index of a broadcast operand of shape `s` that output index `idx` reads. */
export function broadcastIndex(s: readonly number[], idx: readonly number[]): number[] {
  const lead = idx.length - s.length;
  return s.map((d, j) => (d === 1 ? 0 : (idx[j + lead] as number)));
}

// ---------------------------------------------------------------- values

/** NaN, infinities, signed zeros, subnormals (float32's and float64's), ±1. */
export const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-310, 1, -1];

export interface ValueOptions {
  lo?: number;
  hi?: number;
  /** Weight of the special values against 8 for ordinary ones (0: none). */
  specials?: number;
  /** Quantize floats to halves, so that ties and exact comparisons happen. */
  halves?: boolean;
}

/** One value of the dtype, already rounded to what the dtype stores. */
export function valueArb(dtype: DType, o: ValueOptions = {}): fc.Arbitrary<number> {
  const lo = o.lo ?? -10;
  const hi = o.hi ?? 10;
  if (dtype === 'bool') return fc.constantFrom(0, 1);
  if (dtype === 'int32') return fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) });
  const ordinary = o.halves
    ? fc.integer({ min: Math.ceil(2 * lo), max: Math.floor(2 * hi) }).map((v) => v / 2)
    : fc.double({ min: lo, max: hi, noNaN: true });
  const specials = o.specials ?? 1;
  const arb = specials > 0 ? fc.oneof({ weight: 8, arbitrary: ordinary }, { weight: specials, arbitrary: fc.constantFrom(...SPECIALS) }) : ordinary;
  return arb.map((v) => storeAs(dtype, v));
}

export function valuesArb(dtype: DType, n: number, o: ValueOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(valueArb(dtype, o), { minLength: n, maxLength: n });
}

// ---------------------------------------------------------------- shapes

/** A dimension: mostly 1 to maxDim, sometimes 0 (empty tensors). */
export function dimArb(maxDim = 4, zeros = true): fc.Arbitrary<number> {
  const nonzero = fc.integer({ min: 1, max: maxDim });
  return zeros ? fc.oneof({ weight: 9, arbitrary: nonzero }, { weight: 1, arbitrary: fc.constant(0) }) : nonzero;
}

export function shapeArb(minRank = 0, maxRank = 4, maxDim = 4, zeros = true): fc.Arbitrary<number[]> {
  return fc.array(dimArb(maxDim, zeros), { minLength: minRank, maxLength: maxRank });
}

/**
 * Operand shapes that broadcast to `out`: some leading dimensions dropped and some others set
 * to 1, as NumPy allows.
 */
export function broadcastSourceArb(out: readonly number[]): fc.Arbitrary<number[]> {
  return fc.integer({ min: 0, max: out.length }).chain((drop) =>
    fc.tuple(...out.slice(drop).map((d) => fc.boolean().map((one) => (one ? 1 : d)))).map((dims) => [...dims]),
  );
}

// ---------------------------------------------------------------- views

/** How a tensor of a given logical shape is made: a plain tensor or a view of another tensor. */
export type Plan =
  | { kind: 'tensor'; shape: number[]; values: number[] }
  | { kind: 'transpose'; perm: number[]; base: Plan }
  | { kind: 'slice'; begin: number[]; size: number[]; base: Plan }
  | { kind: 'broadcast'; shape: number[]; base: Plan };

/**
 * A plan for a tensor of `shape` and `dtype`: contiguous, or (up to `depth` levels) a
 * transpose, a window, or a stride-0 broadcast of a tensor made by another plan.
 */
export function planArb(shape: readonly number[], dtype: DType, o: ValueOptions = {}, depth = 2): fc.Arbitrary<Plan> {
  const target = [...shape];
  const leaf: fc.Arbitrary<Plan> = valuesArb(dtype, sizeOf(target), o).map((values) => ({ kind: 'tensor', shape: target, values }));
  if (depth === 0) return leaf;
  const rank = target.length;
  const axes = Array.from({ length: rank }, (_, i) => i);
  const transposed: fc.Arbitrary<Plan> = fc.shuffledSubarray(axes, { minLength: rank, maxLength: rank }).chain((perm) => {
    // transpose(base, perm).shape[i] = base.shape[perm[i]].
    const baseShape = new Array<number>(rank);
    perm.forEach((p, i) => (baseShape[p] = target[i] as number));
    return planArb(baseShape, dtype, o, depth - 1).map((base): Plan => ({ kind: 'transpose', perm, base }));
  });
  const sliced: fc.Arbitrary<Plan> = fc
    .tuple(...target.map(() => fc.integer({ min: 0, max: 2 }).chain((extra) => fc.integer({ min: 0, max: extra }).map((b) => [extra, b] as const))))
    .chain((pairs) => {
      const baseShape = target.map((d, i) => d + (pairs[i] as readonly [number, number])[0]);
      const begin = pairs.map((p) => p[1]);
      return planArb(baseShape, dtype, o, depth - 1).map((base): Plan => ({ kind: 'slice', begin, size: target, base }));
    });
  const broadcast: fc.Arbitrary<Plan> = broadcastSourceArb(target).chain((src) =>
    planArb(src, dtype, o, depth - 1).map((base): Plan => ({ kind: 'broadcast', shape: target, base })),
  );
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 2, arbitrary: transposed }, { weight: 2, arbitrary: sliced }, { weight: 2, arbitrary: broadcast });
}

/** The host values a plan stands for, by index arithmetic alone. */
export function hostOf(p: Plan): Host {
  switch (p.kind) {
    case 'tensor':
      return { shape: p.shape, data: p.values };
    case 'transpose': {
      const b = hostOf(p.base);
      const shape = p.perm.map((i) => b.shape[i] as number);
      return hostFrom(shape, (idx) => {
        const bidx = new Array<number>(idx.length);
        p.perm.forEach((q, i) => (bidx[q] = idx[i] as number));
        return at(b, bidx);
      });
    }
    case 'slice': {
      const b = hostOf(p.base);
      return hostFrom(p.size, (idx) => at(b, idx.map((v, i) => v + (p.begin[i] as number))));
    }
    case 'broadcast': {
      const b = hostOf(p.base);
      return hostFrom(p.shape, (idx) => at(b, broadcastIndex(b.shape, idx)));
    }
  }
}

/** The tensor a plan describes, made with hebb's view ops on the active backend. */
export function build(p: Plan, dtype: DType): hb.Tensor {
  switch (p.kind) {
    case 'tensor':
      return hb.tensor(p.values, p.shape, dtype);
    case 'transpose':
      return hb.transpose(build(p.base, dtype), p.perm);
    case 'slice':
      return hb.slice(build(p.base, dtype), p.begin, p.size);
    case 'broadcast':
      return hb.broadcastTo(build(p.base, dtype), p.shape);
  }
}

/** A tensor from a plan together with its host values. */
export interface Operand {
  plan: Plan;
  dtype: DType;
}

export function operandArb(shape: readonly number[], dtype: DType, o: ValueOptions = {}): fc.Arbitrary<Operand> {
  return planArb(shape, dtype, o).map((plan) => ({ plan, dtype }));
}

// ---------------------------------------------------------------- comparing

export interface Tol {
  atol: number;
  rtol: number;
}

export const EXACT: Tol = { atol: 0, rtol: 0 };

/**
 * Compares a result with reference values: shape first, then each value. NaN must meet NaN and
 * an infinity the same infinity; `bits` also tells −0 from 0 (Object.is), for ops that only
 * move data. `atol` may be one bound per element.
 */
export function expectValues(t: hb.Tensor, shape: readonly number[], want: readonly number[], tol: Tol | ((i: number) => Tol), what: string, bits = false): void {
  assert.deepEqual([...t.shape], [...shape], `${what}: shape`);
  const got = Array.from(t.dataSync());
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    const { atol, rtol } = typeof tol === 'function' ? tol(i) : tol;
    const ok = bits
      ? Object.is(g, w)
      : Number.isNaN(w)
        ? Number.isNaN(g)
        : !Number.isFinite(w)
          ? g === w
          : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok) assert.fail(`${what}: element ${i} is ${g}, expected ${w} (atol ${atol}, rtol ${rtol}); got [${got.slice(0, 24).join(', ')}${got.length > 24 ? ', …' : ''}]`);
  }
}

/** fn must throw a HebbError of class `cls` whose message starts with the op's name. */
export function expectTypedError(fn: () => unknown, cls: typeof hb.HebbError, op: string, what: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `${what}: expected ${cls.name}, got ${String(e)}`);
    assert.ok((e as Error).message.startsWith(`${op}:`), `${what}: message should start with "${op}:": ${(e as Error).message}`);
    return true;
  });
}

/** A readable one-line description of an operand for failure messages. */
export function describe(o: Operand): string {
  const d = (p: Plan): string =>
    p.kind === 'tensor'
      ? `tensor${JSON.stringify(p.shape)}`
      : p.kind === 'transpose'
        ? `transpose(${d(p.base)}, ${JSON.stringify(p.perm)})`
        : p.kind === 'slice'
          ? `slice(${d(p.base)}, ${JSON.stringify(p.begin)})`
          : `broadcastTo(${d(p.base)}, ${JSON.stringify(p.shape)})`;
  return `${o.dtype} ${d(o.plan)}`;
}
