/**
 * Test plumbing for the backend conformance suite: a seeded generator, strided layouts built by
 * hand, a session that tracks (and frees) the buffers a test allocates, and float comparison.
 *
 * Nothing here calls a backend's own helpers: views are described by plain index arithmetic, so
 * a kernel that reads strides wrongly cannot agree with the reference by accident.
 */
import assert from 'node:assert/strict';
import type { Backend, BackendBuffer, View } from '../../src/backends/backend.js';
import type { DType, TypedArray } from '../../src/core/dtype.js';

// ---------------------------------------------------------------- deterministic data

/** mulberry32: tiny, seedable, good enough for test data (not core/random on purpose). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => lo + (hi - lo) * this.next());
  }
  ints(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => lo + Math.floor((hi - lo + 1) * this.next()));
  }
}

/** The value a dtype stores for a number (what a typed array of that dtype would hold). */
export function storeAs(dtype: DType, v: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
    case 'int32':
      return Math.trunc(v) | 0;
    case 'bool':
      return v !== 0 && !Number.isNaN(v) ? 1 : 0;
  }
}

export function typed(dtype: DType, values: ArrayLike<number>): TypedArray {
  switch (dtype) {
    // The constructors, not .from: they copy an array-like without the iterator protocol
    // (the long-sum cases upload millions of values).
    case 'float32':
      return new Float32Array(values);
    case 'float64':
      return new Float64Array(values);
    case 'int32':
      return Int32Array.from(values, (v) => storeAs('int32', v));
    case 'bool':
      return Uint8Array.from(values, (v) => storeAs('bool', v));
  }
}

/** Random values suited to a dtype: floats in [lo, hi], ints in [lo, hi], bools 0/1. */
export function randomValues(rng: Rng, dtype: DType, n: number, lo = -3, hi = 3): number[] {
  if (dtype === 'bool') return rng.ints(n, 0, 1);
  if (dtype === 'int32') return rng.ints(n, Math.ceil(lo), Math.floor(hi));
  return rng.uniform(n, lo, hi).map((v) => storeAs(dtype, v));
}

// ---------------------------------------------------------------- layouts

/** Where a logical tensor of `shape` lives in a storage buffer of `storage` elements. */
export interface Layout {
  readonly kind: string;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly storage: number;
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A general layout: the parent buffer holds the dimensions in the order `perm` (outermost
 * first), each padded by `pad` elements, and the logical tensor is the window starting at 1 in
 * every padded dimension; dimensions flagged in `broadcast` get stride 0.
 */
function layout(kind: string, shape: readonly number[], perm: readonly number[], pad: number, broadcast: (d: number) => boolean): Layout {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(0);
  let acc = 1;
  let offset = 0;
  for (let j = rank - 1; j >= 0; j--) {
    const d = perm[j] as number;
    if (broadcast(d)) continue;
    strides[d] = acc;
    if (pad > 0) offset += acc;
    acc *= (shape[d] as number) + pad;
  }
  return { kind, shape, strides, offset, storage: Math.max(acc, offset + 1) };
}

/** The layouts every elementwise kernel is checked on, for a logical shape. */
export function layoutsFor(shape: readonly number[]): Layout[] {
  const rank = shape.length;
  const id = shape.map((_, i) => i);
  const rev = [...id].reverse();
  const out = [
    layout('contiguous', shape, id, 0, () => false),
    layout('offset window', shape, id, 2, () => false),
    layout('transposed', shape, rev, 0, () => false),
    layout('transposed window', shape, rev, 1, () => false),
    layout('broadcast (stride 0)', shape, id, 0, (d) => d % 2 === 0),
    layout('broadcast window', shape, id, 1, (d) => d === rank - 1),
  ];
  // A dense block that starts inside its buffer: a slice along the first axis.
  const dense = layout('contiguous at an offset', shape, id, 0, () => false);
  out.splice(1, 0, { ...dense, kind: 'contiguous at an offset', offset: 5, storage: dense.storage + 8 });
  return rank === 0 ? out.slice(0, 3) : out;
}

/** Storage offset of the element with row-major flat index `flat` (plain index arithmetic). */
export function offsetOf(l: { shape: readonly number[]; strides: readonly number[]; offset: number }, flat: number): number {
  let o = l.offset;
  let rest = flat;
  for (let d = l.shape.length - 1; d >= 0; d--) {
    const n = l.shape[d] as number;
    const i = rest % n;
    rest = (rest - i) / n;
    o += i * (l.strides[d] as number);
  }
  return o;
}

/** The logical values of a layout over storage, in row-major order. */
export function gatherLayout(storage: ArrayLike<number>, l: { shape: readonly number[]; strides: readonly number[]; offset: number }): number[] {
  const n = sizeOfShape(l.shape);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = storage[offsetOf(l, i)] as number;
  return out;
}

// ---------------------------------------------------------------- sessions

/** Sentinel written into output buffers before a kernel runs: every output must be overwritten. */
export function sentinel(dtype: DType): number {
  return dtype === 'bool' ? 1 : dtype === 'int32' ? -777 : -777.25;
}

/** The buffers one test uses; `end` frees them and checks the backend's live count is back. */
export class Session {
  private readonly bufs: BackendBuffer[] = [];
  private readonly base: number;
  constructor(readonly be: Backend) {
    this.base = be.liveBuffers();
  }

  alloc(dtype: DType, size: number): BackendBuffer {
    const b = this.be.alloc(size, dtype);
    this.bufs.push(b);
    return b;
  }

  /** A buffer holding `values` (a plain or typed array: long cases pass typed ones). */
  upload(dtype: DType, values: ArrayLike<number>): BackendBuffer {
    const b = this.alloc(dtype, values.length);
    this.be.write(b, typed(dtype, values));
    return b;
  }

  /** An output buffer pre-filled with the sentinel, so unwritten elements show up. */
  out(dtype: DType, size: number): BackendBuffer {
    const b = this.alloc(dtype, size);
    if (size > 0) this.be.fill(b, sentinel(dtype));
    return b;
  }

  view(buf: BackendBuffer, l: { shape: readonly number[]; strides: readonly number[]; offset: number }): View {
    return { buf, shape: l.shape, strides: l.strides, offset: l.offset };
  }

  /** A contiguous view of a whole buffer. */
  dense(buf: BackendBuffer, shape: readonly number[]): View {
    const strides = new Array<number>(shape.length);
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i] as number;
    }
    return { buf, shape, strides, offset: 0 };
  }

  async read(buf: BackendBuffer): Promise<number[]> {
    return Array.from(await this.be.read(buf));
  }

  end(): void {
    for (const b of this.bufs.splice(0)) this.be.free(b);
    assert.equal(this.be.liveBuffers(), this.base, `${this.be.name}: liveBuffers after freeing every buffer of the test`);
  }
}

export async function withSession(be: Backend, fn: (s: Session) => Promise<void>): Promise<void> {
  const s = new Session(be);
  await fn(s);
  s.end();
}

// ---------------------------------------------------------------- comparison

/** Unit roundoff of a float dtype (half an ulp at 1); ints and bools compare exactly. */
export function unitRoundoff(dtype: DType): number {
  return dtype === 'float32' ? 2 ** -24 : dtype === 'float64' ? 2 ** -53 : 0;
}

export interface Tol {
  /** Absolute tolerance per element (or one value for all). */
  atol: number | readonly number[];
  rtol: number;
}

export const EXACT: Tol = { atol: 0, rtol: 0 };

/** NaN matches NaN, infinities match exactly, everything else within atol + rtol * |want|. */
export function isClose(got: number, want: number, atol: number, rtol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

export function assertClose(got: readonly number[], want: readonly number[], tol: Tol, what: string): void {
  assert.equal(got.length, want.length, `${what}: output has ${got.length} elements, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const atol = typeof tol.atol === 'number' ? tol.atol : (tol.atol[i] as number);
    const g = got[i] as number;
    const w = want[i] as number;
    if (!isClose(g, w, atol, tol.rtol)) {
      assert.fail(`${what}: element ${i} is ${g}, expected ${w} (atol ${atol.toExponential(2)}, rtol ${tol.rtol.toExponential(2)})`);
    }
  }
}
