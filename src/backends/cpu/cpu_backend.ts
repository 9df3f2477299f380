/**
 * The reference backend: plain TypeScript over typed arrays. Every other backend is tested
 * against it by the conformance suite, so it favours obvious code over speed.
 */
import type { AdamCoefficients, Backend, BackendBuffer, BinaryOp, ReduceOp, UnaryOp, View } from '../backend.js';
import { adamStepInto } from './adam.js';
import { type DType, type TypedArray, makeTypedArray } from '../../core/dtype.js';
import { BackendError } from '../../core/errors.js';
import { isDense, offsets } from './strided.js';
import { matmulInto } from './matmul.js';
import { erf } from './erf.js';
import { pairwiseSum } from './sum.js';
import { saturateInt32 } from '../../core/int32.js';
import { softmaxGradRows, softmaxRows, sparseXentGradRows, sparseXentRows } from './softmax.js';

export interface CpuBuffer extends BackendBuffer {
  readonly backend: 'cpu';
  data: TypedArray;
  freed: boolean;
}

type Fn1 = (x: number) => number;
type Fn2 = (a: number, b: number) => number;

const UNARY: { [K in UnaryOp]: Fn1 } = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  erf,
  // Two branches keep exp's argument non-positive, so neither overflows.
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  floor: Math.floor,
  logicalNot: (x) => (x ? 0 : 1),
};

/** IEEE 754's pow (NumPy's): Math.pow gives NaN for pow(1, NaN) and pow(-1, ±Infinity), IEEE 1. */
function powFloat(a: number, b: number): number {
  return a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b);
}

/**
 * int32 power by repeated squaring with wrapping products (NumPy's int32 result, exactly; a
 * double pow loses the low bits past 2^53). A negative exponent (the ops refuse it) gives the
 * truncated real result: ±1 for a base of ±1, else 0.
 */
function powInt(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
  let r = 1;
  for (let base = a, e = b; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
  }
  return r;
}

const BINARY: { [K in BinaryOp]: Fn2 } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powFloat,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a && b ? 1 : 0),
  logicalOr: (a, b) => (a || b ? 1 : 0),
};

/**
 * int32 arithmetic where the float64 expression stored into an Int32Array would not give the
 * rule every backend follows (docs/NUMERICS.md): a product past 2^53 has lost its low bits
 * before the store wraps it (Math.imul wraps exactly), and pow wraps like NumPy's int32 (powInt).
 * add, sub and div are exact in float64, and the store's wrap and truncation are the rule.
 */
const INT32_BINARY: Partial<Record<BinaryOp, Fn2>> = {
  mul: Math.imul,
  pow: powInt,
};

export interface CpuBackendOptions {
  /** The largest buffer in bytes (default 4 GiB, as the wasm backend's memory). */
  maxBufferBytes?: number;
}

/** 4 GiB: the wasm backend's memory, so that both refuse the same requests by default. */
export const CPU_DEFAULT_MAX_BUFFER_BYTES = 2 ** 32;

export class CpuBackend implements Backend<CpuBuffer> {
  readonly name = 'cpu';
  readonly maxBufferBytes: number;
  /** Element offsets of views are Int32Arrays (strided.ts): 2^31 - 1 elements at most. */
  readonly maxElements = 2 ** 31 - 1;
  private live = 0;

  constructor(options: CpuBackendOptions = {}) {
    const max = options.maxBufferBytes ?? CPU_DEFAULT_MAX_BUFFER_BYTES;
    if (!(max >= 0)) throw new BackendError(`CpuBackend: maxBufferBytes must be a non-negative number, received ${String(max)}`);
    this.maxBufferBytes = max;
  }

  supportsDType(_dtype: DType): boolean {
    return true;
  }

  alloc(size: number, dtype: DType): CpuBuffer {
    this.live++;
    return { backend: 'cpu', size, dtype, data: makeTypedArray(dtype, size), freed: false };
  }

  free(buf: CpuBuffer): void {
    this.check(buf);
    buf.freed = true;
    this.live--;
  }

  write(buf: CpuBuffer, data: TypedArray): void {
    this.check(buf);
    if (data.length !== buf.size) {
      throw new BackendError(`write: buffer holds ${buf.size} elements, received ${data.length}`);
    }
    buf.data.set(data);
  }

  read(buf: CpuBuffer): Promise<TypedArray> {
    return Promise.resolve(this.readSync(buf));
  }

  readSync(buf: CpuBuffer): TypedArray {
    this.check(buf);
    return buf.data.slice();
  }

  liveBuffers(): number {
    return this.live;
  }

  fill(out: CpuBuffer, value: number): void {
    out.data.fill(value);
  }

  copy(src: View<CpuBuffer>, dst: View<CpuBuffer>): void {
    const s = src.buf.data;
    const d = dst.buf.data;
    if (isDense(src) && isDense(dst)) {
      let n = 1;
      for (const x of src.shape) n *= x;
      d.set(s.subarray(src.offset, src.offset + n), dst.offset);
      return;
    }
    const so = offsets(src);
    const doff = offsets(dst);
    for (let i = 0; i < so.length; i++) d[doff[i] as number] = s[so[i] as number] as number;
  }

  cast(x: View<CpuBuffer>, out: CpuBuffer): void {
    const src = x.buf.data;
    const o = out.data;
    const xo = offsets(x);
    if (out.dtype === 'bool') {
      // Nonzero is true, and NaN is nonzero (NumPy, TensorFlow): `v ? 1 : 0` would say false.
      for (let i = 0; i < xo.length; i++) o[i] = src[xo[i] as number] !== 0 ? 1 : 0;
    } else if (out.dtype === 'int32') {
      // Saturating, NaN to 0 (docs/NUMERICS.md): an Int32Array store alone would wrap.
      for (let i = 0; i < xo.length; i++) o[i] = saturateInt32(src[xo[i] as number] as number);
    } else {
      for (let i = 0; i < xo.length; i++) o[i] = src[xo[i] as number] as number;
    }
  }

  unary(op: UnaryOp, x: View<CpuBuffer>, out: CpuBuffer): void {
    const f = UNARY[op];
    const src = x.buf.data;
    const o = out.data;
    if (isDense(x)) {
      for (let i = 0, j = x.offset; i < out.size; i++, j++) o[i] = f(src[j] as number);
    } else {
      const xo = offsets(x);
      for (let i = 0; i < out.size; i++) o[i] = f(src[xo[i] as number] as number);
    }
  }

  binary(op: BinaryOp, a: View<CpuBuffer>, b: View<CpuBuffer>, out: CpuBuffer): void {
    const f = (out.dtype === 'int32' ? INT32_BINARY[op] : undefined) ?? BINARY[op];
    const ad = a.buf.data;
    const bd = b.buf.data;
    const o = out.data;
    const n = out.size;
    if (isDense(a) && isDense(b)) {
      for (let i = 0, ia = a.offset, ib = b.offset; i < n; i++) o[i] = f(ad[ia++] as number, bd[ib++] as number);
      return;
    }
    const ao = offsets(a);
    const bo = offsets(b);
    for (let i = 0; i < n; i++) o[i] = f(ad[ao[i] as number] as number, bd[bo[i] as number] as number);
  }

  where(cond: View<CpuBuffer>, a: View<CpuBuffer>, b: View<CpuBuffer>, out: CpuBuffer): void {
    const c = cond.buf.data;
    const ad = a.buf.data;
    const bd = b.buf.data;
    const co = offsets(cond);
    const ao = offsets(a);
    const bo = offsets(b);
    const o = out.data;
    for (let i = 0; i < out.size; i++) {
      o[i] = c[co[i] as number] ? (ad[ao[i] as number] as number) : (bd[bo[i] as number] as number);
    }
  }

  reduce(op: ReduceOp, x: View<CpuBuffer>, axes: number, out: CpuBuffer): void {
    const src = x.buf.data;
    const xo = offsets(x);
    let inner = 1;
    for (let i = x.shape.length - axes; i < x.shape.length; i++) inner *= x.shape[i] as number;
    const o = out.data;
    const int = x.buf.dtype === 'int32';
    for (let r = 0; r < out.size; r++) {
      const base = r * inner;
      let acc: number;
      let best = 0;
      switch (op) {
        case 'sum':
          if (int) {
            // int32 sums wrap (two's complement), as the int32 adds of every other backend do.
            acc = 0;
            for (let i = 0; i < inner; i++) acc = (acc + (src[xo[base + i] as number] as number)) | 0;
          } else {
            acc = pairwiseSum(src, xo, base, inner);
          }
          break;
        case 'prod':
          acc = 1;
          if (int) for (let i = 0; i < inner; i++) acc = Math.imul(acc, src[xo[base + i] as number] as number);
          else for (let i = 0; i < inner; i++) acc *= src[xo[base + i] as number] as number;
          break;
        case 'max':
        case 'argmax':
          acc = -Infinity;
          for (let i = 0; i < inner; i++) {
            const v = src[xo[base + i] as number] as number;
            // NaN wins, as in NumPy: a NaN in the data must not vanish from the result.
            if (v > acc || (Number.isNaN(v) && !Number.isNaN(acc))) {
              acc = v;
              best = i;
            }
          }
          if (op === 'argmax') acc = best;
          break;
        case 'min':
        case 'argmin':
          acc = Infinity;
          for (let i = 0; i < inner; i++) {
            const v = src[xo[base + i] as number] as number;
            if (v < acc || (Number.isNaN(v) && !Number.isNaN(acc))) {
              acc = v;
              best = i;
            }
          }
          if (op === 'argmin') acc = best;
          break;
      }
      o[r] = acc;
    }
  }

  matmul(a: View<CpuBuffer>, b: View<CpuBuffer>, out: CpuBuffer): void {
    matmulInto(a, a.buf.data, b, b.buf.data, out.data);
  }

  gather(x: View<CpuBuffer>, indices: View<CpuBuffer>, out: CpuBuffer): void {
    const [outer, n, inner] = x.shape as [number, number, number];
    const [so, sn, si] = x.strides as [number, number, number];
    const idx = indices.buf.data;
    const io = offsets(indices);
    const src = x.buf.data;
    const o = out.data;
    let k = 0;
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < io.length; j++) {
        const row = idx[io[j] as number] as number;
        if (row < 0 || row >= n) throw new BackendError(`gather: index ${row} is out of range [0, ${n})`);
        const base = x.offset + a * so + row * sn;
        for (let i = 0; i < inner; i++) o[k++] = src[base + i * si] as number;
      }
    }
  }

  scatterAdd(updates: View<CpuBuffer>, indices: View<CpuBuffer>, out: CpuBuffer): void {
    const outer = updates.shape[0] as number;
    const count = updates.shape[1] as number;
    const inner = updates.shape[2] as number;
    const n = out.size / (outer * inner);
    const idx = indices.buf.data;
    const io = offsets(indices);
    const uo = offsets(updates);
    const u = updates.buf.data;
    const o = out.data;
    o.fill(0);
    let k = 0;
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < count; j++) {
        const row = idx[io[j] as number] as number;
        if (row < 0 || row >= n) throw new BackendError(`scatterAdd: index ${row} is out of range [0, ${n})`);
        const base = (a * n + row) * inner;
        for (let i = 0; i < inner; i++) o[base + i] = (o[base + i] as number) + (u[uo[k++] as number] as number);
      }
    }
  }

// ---- fused Dense + relu: the same arithmetic as add, where(x <= 0, 0, x) and a sum over rows

  biasRelu(z: View<CpuBuffer>, bias: View<CpuBuffer> | null, out: CpuBuffer): void {
    const cols = z.shape[z.shape.length - 1] as number;
    const zo = offsets(z);
    const bo = bias ? offsets(bias) : null;
    const zd = z.buf.data;
    const o = out.data;
    for (let i = 0; i < out.size; i++) {
      let v = zd[zo[i] as number] as number;
      // Rounded to the buffer's dtype before the test, as the add kernel stores it.
      if (bias && bo) o[i] = v + (bias.buf.data[bo[i % cols] as number] as number);
      else o[i] = v;
      v = o[i] as number;
      o[i] = v <= 0 ? 0 : v;
    }
  }

  biasReluGrad(dy: View<CpuBuffer>, y: View<CpuBuffer>, dz: CpuBuffer, db: CpuBuffer | null): void {
    const cols = y.shape[y.shape.length - 1] as number;
    const dyo = offsets(dy);
    const yo = offsets(y);
    const o = dz.data;
    for (let i = 0; i < dz.size; i++) {
      o[i] = (y.buf.data[yo[i] as number] as number) <= 0 ? 0 : (dy.buf.data[dyo[i] as number] as number);
    }
    if (!db) return;
    // Column sums of dz read as its transpose, summed as the sum kernel sums a reduction over
    // axis 0 (pairwise, in double, rounded once), so db is what sum(dz, 0) gives.
    const rows = dz.size / cols;
    const cOffs = offsets({ buf: dz, shape: [cols, rows], strides: [1, cols], offset: 0 });
    for (let j = 0; j < cols; j++) db.data[j] = pairwiseSum(o, cOffs, j * rows, rows);
  }

  scaledAdd(w: View<CpuBuffer>, g: View<CpuBuffer>, alpha: number, out: CpuBuffer): void {
    const wo = offsets(w);
    const go = offsets(g);
    const o = out.data;
    // alpha and the product rounded to the dtype (through a one-element array of it), as mul
    // with a scalar of that dtype stores them; the sum is rounded by the store into out.
    const r = makeTypedArray(out.dtype, 1);
    r[0] = alpha;
    const a = r[0] as number;
    for (let i = 0; i < out.size; i++) {
      r[0] = (g.buf.data[go[i] as number] as number) * a;
      o[i] = (w.buf.data[wo[i] as number] as number) + (r[0] as number);
    }
  }

  adamStep(w: View<CpuBuffer>, g: View<CpuBuffer>, m: View<CpuBuffer>, v: View<CpuBuffer>, c: AdamCoefficients, wOut: CpuBuffer, mOut: CpuBuffer, vOut: CpuBuffer): void {
    adamStepInto(w, g, m, v, c, wOut, mOut, vOut);
  }

  // ---- softmax and sparse cross-entropy rows (cpu/softmax.ts)

  softmax(x: View<CpuBuffer>, out: CpuBuffer): void {
    softmaxRows(x, out);
  }

  softmaxGrad(dy: View<CpuBuffer>, y: View<CpuBuffer>, dx: CpuBuffer): void {
    softmaxGradRows(dy, y, dx);
  }

  sparseCrossentropy(p: View<CpuBuffer>, labels: View<CpuBuffer>, out: CpuBuffer, fromLogits: boolean, lo: number, hi: number): void {
    sparseXentRows(p, labels, out, fromLogits, lo, hi);
  }

  sparseCrossentropyGrad(dl: View<CpuBuffer>, p: View<CpuBuffer>, labels: View<CpuBuffer>, dp: CpuBuffer, fromLogits: boolean, lo: number, hi: number): void {
    sparseXentGradRows(dl, p, labels, dp, fromLogits, lo, hi);
  }

  private check(buf: CpuBuffer): void {
    if (buf.backend !== 'cpu') throw new BackendError(`cpu backend received a buffer of backend "${buf.backend}"`);
    if (buf.freed) throw new BackendError('cpu backend: buffer used after it was freed');
  }
}
