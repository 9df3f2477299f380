/**
 * How the wasm backend hands views to kernels: byte addresses, strided copies (copy_nd) and
 * contiguous scratch copies of operands that fit no loop shape, given back after the kernel.
 */
import type { View } from '../backend.js';
import { BackendError } from '../../core/errors.js';
import { DTYPE_BYTES } from './codes.js';
import type { Heap } from './heap.js';
import { collapse, contiguousStridesOf, isDense, plan2d, sizeOfShape, type Plan2d } from './layout.js';
import type { Kernels } from './module.js';
import type { WasmBuffer } from './wasm_backend.js';

type WView = View<WasmBuffer>;

/** An operand as a kernel sees it: an address, its strides, and a scratch block to give back. */
export interface Operand {
  ptr: number;
  strides: readonly number[];
  scratch: { ptr: number; cls: number } | null;
}

/** Bytes reserved for kernel parameters (shape and strides of copy_nd). */
export const PARAMS_BYTES = 4096;

export class Operands {
  constructor(
    private readonly k: Kernels,
    private readonly heap: Heap,
    /** PARAMS_BYTES of the module's memory for copy_nd's shape and strides. */
    private readonly params: number,
  ) {}

  /** Byte address of a view's first element. */
  addr(v: WView): number {
    return v.buf.ptr + v.offset * DTYPE_BYTES[v.buf.dtype];
  }

  /** The view's elements in row-major order: in place when dense, else copied to scratch. */
  dense(v: WView): Operand {
    const strides = contiguousStridesOf(v.shape);
    if (isDense(v.shape, v.strides)) return { ptr: this.addr(v), strides, scratch: null };
    const bytes = DTYPE_BYTES[v.buf.dtype];
    const scratch = this.heap.alloc(sizeOfShape(v.shape) * bytes);
    this.copyStrided(this.addr(v), v.shape, v.strides, scratch.ptr, strides, bytes);
    return { ptr: scratch.ptr, strides, scratch };
  }

  /**
   * Operands of an elementwise kernel and their loop plan. If they fit a 2-D loop as they are,
   * they are used in place; otherwise the non-contiguous ones are copied out, after which they
   * always fit (contiguous operands merge into one dimension).
   */
  operands(views: readonly WView[]): { ops: Operand[]; plan: Plan2d } {
    const shape = (views[0] as WView).shape;
    const direct = plan2d(shape, views.map((v) => v.strides));
    if (direct) return { ops: views.map((v) => ({ ptr: this.addr(v), strides: v.strides, scratch: null })), plan: direct };
    const ops = views.map((v) => this.dense(v));
    const plan = plan2d(shape, ops.map((o) => o.strides));
    if (!plan) throw new BackendError(`wasm backend: no loop plan for shape [${shape.join(', ')}] (internal error)`);
    return { ops, plan };
  }

  release(o: Operand): void {
    if (o.scratch) this.heap.release(o.scratch.ptr, o.scratch.cls);
  }

  copyStrided(src: number, shape: readonly number[], srcStrides: readonly number[], dst: number, dstStrides: readonly number[], bytes: number): void {
    const c = collapse(shape, [srcStrides, dstStrides]);
    const rank = c.shape.length;
    const ss = c.strides[0] as number[];
    const ds = c.strides[1] as number[];
    if (rank === 0 || (rank === 1 && ss[0] === 1 && ds[0] === 1)) {
      const n = rank === 0 ? 1 : (c.shape[0] as number);
      this.heap.bytes().copyWithin(dst, src, src + n * bytes);
      return;
    }
    if (rank * 16 > PARAMS_BYTES) throw new BackendError(`wasm copy: rank ${rank} is above the supported ${PARAMS_BYTES / 16}`);
    const p = this.heap.int32();
    const base = this.params >>> 2;
    for (let d = 0; d < rank; d++) {
      p[base + d] = c.shape[d] as number;
      p[base + rank + d] = ss[d] as number;
      p[base + 2 * rank + d] = ds[d] as number;
    }
    this.k.copy_nd(bytes, src, dst, rank, this.params);
  }
}
