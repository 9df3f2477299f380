/**
 * The wasm backend's memory: every tensor lives in the kernel module's linear memory, so kernels
 * read and write it in place. Blocks are carved from the top of the heap and, once freed, kept in
 * free lists by size class and handed out again: a training step allocates the same sizes every
 * time, so after the first step the heap stops growing and allocation is a Map lookup and a pop.
 *
 * memory.grow replaces memory.buffer (the old ArrayBuffer is detached), so typed-array views are
 * never kept across an allocation: `view()` checks the buffer and rebuilds them when it changed.
 */
import type { DType, TypedArray } from '../../core/dtype.js';
import { BackendError } from '../../core/errors.js';

const PAGE = 65536;
/** Every block starts on a 64-byte boundary (a cache line; SIMD loads need 16). */
const ALIGN = 64;

/**
 * Size classes: powers of two up to 4 KiB, then eight classes per power of two, so a block
 * wastes at most 1/8 of itself while sizes that differ a little still share a free list.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 0) return 0;
  if (bytes <= ALIGN) return ALIGN;
  const p = 2 ** Math.ceil(Math.log2(bytes));
  if (p <= 4096) return p;
  const step = p / 16;
  return Math.ceil(bytes / step) * step;
}

/** The most bytes a wasm32 memory can have: 65536 pages of 64 KiB. */
export const MAX_MEMORY_BYTES = 65536 * PAGE;

/** The largest block (a size class) that fits in `bytes` bytes of memory. */
export function largestBlock(bytes: number): number {
  if (bytes <= 4096) return bytes >= ALIGN ? 2 ** Math.floor(Math.log2(bytes)) : 0;
  const step = 2 ** Math.ceil(Math.log2(bytes)) / 16;
  return Math.floor(bytes / step) * step;
}

export class Heap {
  private top: number;
  private readonly pools = new Map<number, number[]>();
  private buffer: ArrayBuffer;
  private f32 = new Float32Array(0);
  private i32 = new Int32Array(0);
  private u8 = new Uint8Array(0);
  private f64 = new Float64Array(0);
  /** Bytes in blocks handed out and not yet released. */
  private inUse = 0;

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
    this.buffer = memory.buffer;
    this.refresh();
  }

  /** A block of at least `bytes` bytes; returns its address and size class (0 for empty). */
  alloc(bytes: number): { ptr: number; cls: number } {
    const cls = sizeClass(bytes);
    if (cls === 0) return { ptr: 0, cls };
    this.inUse += cls;
    const pooled = this.pools.get(cls)?.pop();
    if (pooled !== undefined) return { ptr: pooled, cls };
    const ptr = this.top;
    const end = ptr + cls;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow by at least a quarter of the current size, so a heap that keeps growing
      // (the first epoch) pays for a few reallocations, not one per tensor.
      const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 4));
      try {
        this.memory.grow(pages);
      } catch (e) {
        this.inUse -= cls;
        throw new BackendError(`wasm backend: out of memory growing the heap to ${have + pages * PAGE} bytes for a block of ${bytes} bytes (${String(e)})`);
      }
    }
    this.top = end;
    return { ptr, cls };
  }

  release(ptr: number, cls: number): void {
    if (cls === 0) return;
    this.inUse -= cls;
    let pool = this.pools.get(cls);
    if (!pool) {
      pool = [];
      this.pools.set(cls, pool);
    }
    pool.push(ptr);
  }

  /** Bytes the heap spans (in use plus pooled). */
  get heapBytes(): number {
    return this.top;
  }

  get bytesInUse(): number {
    return this.inUse;
  }

  /**
   * A typed-array view of `size` elements of a dtype at `ptr`, valid until the next alloc.
   * Addresses reach 4 GiB, past int32: unsigned shifts (`>>>`) only.
   */
  view(dtype: DType, ptr: number, size: number): TypedArray {
    this.check();
    switch (dtype) {
      case 'float32':
        return this.f32.subarray(ptr >>> 2, (ptr >>> 2) + size);
      case 'int32':
        return this.i32.subarray(ptr >>> 2, (ptr >>> 2) + size);
      case 'bool':
        return this.u8.subarray(ptr, ptr + size);
      case 'float64':
        return this.f64.subarray(ptr >>> 3, (ptr >>> 3) + size);
    }
  }

  /** The whole memory as int32s, valid until the next alloc (for kernel parameters). */
  int32(): Int32Array {
    this.check();
    return this.i32;
  }

  bytes(): Uint8Array {
    this.check();
    return this.u8;
  }

  private check(): void {
    if (this.memory.buffer !== this.buffer) {
      this.buffer = this.memory.buffer;
      this.refresh();
    }
  }

  private refresh(): void {
    const b = this.buffer;
    this.f32 = new Float32Array(b);
    this.i32 = new Int32Array(b);
    this.u8 = new Uint8Array(b);
    this.f64 = new Float64Array(b, 0, Math.floor(b.byteLength / 8));
  }
}
