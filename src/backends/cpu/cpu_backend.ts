/**
 * The reference backend: plain TypeScript over typed arrays. Every other backend is tested
 * against it by the conformance suite, so it favours obvious code over speed.
 */
import type { Backend, BackendBuffer, BinaryOp, ReduceOp, UnaryOp, View } from '../backend.js';
import { type DType, type TypedArray, makeTypedArray } from '../../core/dtype.js';
import { BackendError } from '../../core/errors.js';
import { isDense, offsets } from './strided.js';
import { matmulInto } from './matmul.js';
import { BINARY, INT32_BINARY, UNARY } from './elementwise_fns.js';
import { fusedInto } from './fused.js';
import type { FusedProgram, PhiloxRange } from '../backend.js';
import { philoxUniformInto } from '../philox.js';
import { pairwiseSum } from './sum.js';
import { saturateInt32 } from '../../core/int32.js';
import { softmaxGradRows, softmaxRows, sparseXentGradRows, sparseXentRows } from './softmax.js';

export interface CpuBuffer extends BackendBuffer {
  readonly backend: 'cpu';
  data: TypedArray;
  freed: boolean;
}

export interface CpuBackendOptions {
  /** The largest buffer in bytes (default 4 GiB, as the wasm backend's memory). */
  maxBufferBytes?: number;
}

/** 4 GiB: the wasm backend's memory, so that both refuse the same requests by default. */
export const CPU_DEFAULT_MAX_BUFFER_BYTES = 2 ** 32;

export class CpuBackend implements Backend<CpuBuffer> {
  readonly name = 'cpu';
  /** fusedInto reads a block's inputs before it writes that block's outputs. */
  readonly fusedInPlace = true;
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

  // ---- the generic fused elementwise kernel (fused.ts)

  randomUniform(out: CpuBuffer, range: PhiloxRange, minval: number, width: number): void {
    if (out.dtype !== 'float32' && out.dtype !== 'float64') throw new BackendError(`randomUniform: cpu backend writes float32 or float64, received ${out.dtype}`);
    philoxUniformInto(out.data as Float32Array | Float64Array, range, minval, width);
  }

  fused(program: FusedProgram, inputs: readonly View<CpuBuffer>[], params: readonly number[], outs: readonly CpuBuffer[]): void {
    fusedInto(program, inputs, params, outs);
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
