/**
 * The default backend: kernels in WebAssembly (AssemblyScript, f32x4 SIMD; sources in asm/),
 * tensors in the module's linear memory. This file is the host side: it turns the engine's
 * strided views into the few loop shapes the kernels take (see layout.ts), copying an operand
 * to a contiguous scratch block only when it fits none of them.
 *
 * float64 and int32 run through scalar versions of the same kernels: float64 exists for
 * gradient checks and exact references, which must work under the default backend too.
 */
import type { Backend, BackendBuffer, BinaryOp, ReduceOp, UnaryOp, View } from '../backend.js';
import type { DType, TypedArray } from '../../core/dtype.js';
import { BackendError } from '../../core/errors.js';
import { checkOptions, type OptionKeys } from '../../core/options.js';
import { BINARY_CODE, DTYPE_BYTES, DTYPE_CODE, UNARY_CODE } from './codes.js';
import { Heap, MAX_MEMORY_BYTES, largestBlock } from './heap.js';
import { contiguousStridesOf, isDense, sizeOfShape } from './layout.js';
import { Operands, PARAMS_BYTES, type Operand } from './operands.js';
import { FusedHost } from './fused_host.js';
import type { FusedProgram, PhiloxRange } from '../backend.js';
import { createMemory, instantiateKernels, type Kernels } from './module.js';
import { CONTROL_BYTES } from './gemm_jobs.js';
import { GemmWorkers } from './gemm_thread.js';
import { clampThreads, defaultThreads, gemmF32 } from './gemm_host.js';
import { planReduce, reduceRows } from './reduce_host.js';

/** A view whose every element is the same one (all strides 0: a broadcast scalar). */
function isScalar(strides: readonly number[]): boolean {
  for (const s of strides) if (s !== 0) return false;
  return true;
}

export interface WasmBuffer extends BackendBuffer {
  readonly backend: 'wasm';
  /** Byte address in the module's memory (0 for an empty buffer). */
  readonly ptr: number;
  /** Size class of the block, for the free lists. */
  readonly cls: number;
  freed: boolean;
}

type WView = View<WasmBuffer>;

/** Bytes of scratch kept for column sums (a [256, 1024] float32 sum needs 16 KiB). */
const SCRATCH_BYTES = 65536;
export interface WasmBackendOptions {
  /**
   * Threads for big products, the main one included: 1 to 8 (gemm_thread.ts's MAX_THREADS).
   * By default one per core where worker threads over shared memory are possible (Node, or a
   * cross-origin isolated page), used while the machine is not busy (see gemm_thread.ts);
   * HEBB_WASM_THREADS overrides the default. An explicit `threads` of 2 or more uses the
   * workers whatever the load.
   */
  threads?: number;
}

const WASM_BACKEND_OPTIONS: OptionKeys<WasmBackendOptions> = { threads: true };

export class WasmBackend implements Backend<WasmBuffer> {
  readonly name = 'wasm';
  /** The generated loop and the interpreter read each lane group's or block's inputs before writing its outputs. */
  readonly fusedInPlace = true;
  /**
   * The largest block the heap could ever hand out: the biggest size class that fits in the
   * 4 GiB a wasm32 memory can reach above the heap's base (3.75 GiB: classes near 4 GiB step
   * by 256 MiB). A smaller request can still fail when live tensors fill the memory (alloc's
   * BackendError, before anything is allocated).
   */
  readonly maxBufferBytes: number;
  /** Kernels take element counts as i32. */
  readonly maxElements = 2 ** 31 - 1;
  private readonly k: Kernels;
  private readonly heap: Heap;
  private readonly scratch: number;
  private readonly ops: Operands;
  private readonly fusedHost: FusedHost;
  private readonly thread: GemmWorkers | null;
  /** Threads big products may use, the main one included (1 when there are no workers). */
  readonly threads: number;
  private live = 0;

  constructor(options: WasmBackendOptions = {}) {
    checkOptions('WasmBackend', options, WASM_BACKEND_OPTIONS);
    const threads = options.threads === undefined ? defaultThreads() : clampThreads(options.threads);
    const memory = createMemory(threads > 1);
    this.k = instantiateKernels(memory);
    this.heap = new Heap(memory, this.k.heap_base());
    this.ops = new Operands(this.k, this.heap, this.heap.alloc(PARAMS_BYTES).ptr);
    this.scratch = this.heap.alloc(SCRATCH_BYTES).ptr;
    this.threads = threads;
    this.thread = threads > 1 ? new GemmWorkers(memory, this.heap.alloc(CONTROL_BYTES).ptr, threads - 1, options.threads !== undefined) : null;
    this.fusedHost = new FusedHost(this.k, this.heap, this.ops, this.thread);
    this.maxBufferBytes = largestBlock(MAX_MEMORY_BYTES - this.heap.heapBytes);
  }

  /** Whether the GEMM workers are running (big GEMMs use them while the machine is not busy); starts them if needed. */
  gemmThreadReady(): boolean {
    return this.thread?.ready() ?? false;
  }

  /** Chunks of float32 products the GEMM workers have run (0 on one thread): shows they took part. */
  gemmWorkerChunks(): number {
    return this.thread?.workerChunks() ?? 0;
  }

  /** Stops the GEMM workers, if any were started (they never keep a process alive anyway). */
  async stopThreads(): Promise<void> {
    await this.thread?.stop();
  }

  supportsDType(_dtype: DType): boolean {
    return true;
  }

  // ------------------------------------------------------------------ memory

  alloc(size: number, dtype: DType): WasmBuffer {
    if (!Number.isInteger(size) || size < 0) throw new BackendError(`wasm alloc: size must be a non-negative integer, received ${size}`);
    const { ptr, cls } = this.heap.alloc(size * DTYPE_BYTES[dtype]);
    this.live++;
    return { backend: 'wasm', size, dtype, ptr, cls, freed: false };
  }

  free(buf: WasmBuffer): void {
    this.check(buf);
    buf.freed = true;
    this.heap.release(buf.ptr, buf.cls);
    this.live--;
  }

  write(buf: WasmBuffer, data: TypedArray): void {
    this.check(buf);
    if (data.length !== buf.size) {
      throw new BackendError(`wasm write: buffer holds ${buf.size} elements, received ${data.length}`);
    }
    this.heap.view(buf.dtype, buf.ptr, buf.size).set(data);
  }

  read(buf: WasmBuffer): Promise<TypedArray> {
    return Promise.resolve(this.readSync(buf));
  }

  readSync(buf: WasmBuffer): TypedArray {
    this.check(buf);
    return this.heap.view(buf.dtype, buf.ptr, buf.size).slice();
  }

  liveBuffers(): number {
    return this.live;
  }

  /** Heap size and bytes in live blocks: pooled memory is the difference. */
  memoryStats(): { heapBytes: number; bytesInUse: number; memoryBytes: number } {
    return { heapBytes: this.heap.heapBytes, bytesInUse: this.heap.bytesInUse, memoryBytes: this.heap.memory.buffer.byteLength };
  }

  // ------------------------------------------------------------------ movement

  fill(out: WasmBuffer, value: number): void {
    if (out.size === 0) return;
    // A bool is 1 for any nonzero number except NaN (what storing into a bool tensor means).
    const v = out.dtype === 'bool' ? (value !== 0 && !Number.isNaN(value) ? 1 : 0) : value;
    this.heap.view(out.dtype, out.ptr, out.size).fill(v);
  }

  copy(src: WView, dst: WView): void {
    if (sizeOfShape(src.shape) === 0) return;
    this.ops.copyStrided(this.ops.addr(src), src.shape, src.strides, this.ops.addr(dst), dst.strides, DTYPE_BYTES[src.buf.dtype]);
  }

  cast(x: WView, out: WasmBuffer): void {
    if (out.size === 0) return;
    const d = this.ops.dense(x);
    this.k.cast(DTYPE_CODE[x.buf.dtype], DTYPE_CODE[out.dtype], d.ptr, out.ptr, out.size);
    this.ops.release(d);
  }

  gather(x: WView, indices: WView, out: WasmBuffer): void {
    if (out.size === 0) return;
    const [outer, n, inner] = x.shape as [number, number, number];
    const [so, sn, si] = x.strides as [number, number, number];
    const idx = this.ops.dense(indices);
    const count = sizeOfShape(indices.shape);
    const bad = this.k.gather(DTYPE_BYTES[x.buf.dtype], this.ops.addr(x), outer, n, inner, so, sn, si, idx.ptr, count, out.ptr);
    this.badIndex('gather', bad, idx, n);
    this.ops.release(idx);
  }

  scatterAdd(updates: WView, indices: WView, out: WasmBuffer): void {
    if (out.size === 0) return;
    const [outer, count, inner] = updates.shape as [number, number, number];
    if (out.dtype === 'bool') throw new BackendError('scatterAdd: wasm backend adds numbers, received bool updates');
    const n = out.size / (outer * inner);
    const upd = this.ops.dense(updates);
    const idx = this.ops.dense(indices);
    const bad = this.k.scatter_add(DTYPE_CODE[out.dtype], upd.ptr, outer, count, inner, idx.ptr, out.ptr, n);
    this.ops.release(upd);
    this.badIndex('scatterAdd', bad, idx, n);
    this.ops.release(idx);
  }

  // ------------------------------------------------------------------ elementwise

  unary(op: UnaryOp, x: WView, out: WasmBuffer): void {
    const n = out.size;
    if (n === 0) return;
    let src = this.ops.addr(x);
    if (!isDense(x.shape, x.strides)) {
      // Gather the view into the output and run the kernel in place: no scratch needed.
      this.ops.copyStrided(src, x.shape, x.strides, out.ptr, contiguousStridesOf(x.shape), DTYPE_BYTES[out.dtype]);
      src = out.ptr;
    }
    switch (out.dtype) {
      case 'float32':
        return this.k.unary_f32(UNARY_CODE[op], src, out.ptr, n);
      case 'float64':
        return this.k.unary_f64(UNARY_CODE[op], src, out.ptr, n);
      case 'int32':
        if (op !== 'neg' && op !== 'abs' && op !== 'sign') throw new BackendError(`unary ${op}: wasm backend has no int32 kernel`);
        return this.k.unary_i32(UNARY_CODE[op], src, out.ptr, n);
      case 'bool':
        if (op !== 'logicalNot') throw new BackendError(`unary ${op}: wasm backend has no bool kernel`);
        return this.k.unary_u8(src, out.ptr, n);
    }
  }

  binary(op: BinaryOp, a: WView, b: WView, out: WasmBuffer): void {
    if (out.size === 0) return;
    const code = BINARY_CODE[op];
    const dtype = a.buf.dtype;
    // The common cases first, with no planning: both operands contiguous, or one contiguous
    // and the other a scalar (every stride 0): one row, column stride 1 or 0.
    const aDense = isDense(a.shape, a.strides);
    const bDense = isDense(b.shape, b.strides);
    if ((aDense || isScalar(a.strides)) && (bDense || isScalar(b.strides))) {
      this.binaryKernel(dtype, code, this.ops.addr(a), this.ops.addr(b), out.ptr, 1, out.size, 0, aDense ? 1 : 0, 0, bDense ? 1 : 0);
      return;
    }
    const { ops, plan: p } = this.ops.operands([a, b]);
    const [pa, pb] = ops as [Operand, Operand];
    const [ars, brs] = p.rowStrides as [number, number];
    const [acs, bcs] = p.colStrides as [number, number];
    this.binaryKernel(dtype, code, pa.ptr, pb.ptr, out.ptr, p.rows, p.cols, ars, acs, brs, bcs);
    this.ops.release(pa);
    this.ops.release(pb);
  }

  private binaryKernel(dtype: DType, ...args: [number, number, number, number, number, number, number, number, number, number]): void {
    switch (dtype) {
      case 'float32':
        return this.k.binary_f32(...args);
      case 'float64':
        return this.k.binary_f64(...args);
      case 'int32':
        return this.k.binary_i32(...args);
      case 'bool':
        return this.k.binary_u8(...args);
    }
  }

  where(cond: WView, a: WView, b: WView, out: WasmBuffer): void {
    if (out.size === 0) return;
    const cDense = isDense(cond.shape, cond.strides);
    const aDense = isDense(a.shape, a.strides);
    const bDense = isDense(b.shape, b.strides);
    if ((cDense || isScalar(cond.strides)) && (aDense || isScalar(a.strides)) && (bDense || isScalar(b.strides))) {
      // where(mask, dy, 0) and the like: one row, each operand contiguous or a scalar.
      const [cc, ac, bc] = [cDense ? 1 : 0, aDense ? 1 : 0, bDense ? 1 : 0];
      this.k.where_bytes(DTYPE_BYTES[out.dtype], this.ops.addr(cond), this.ops.addr(a), this.ops.addr(b), out.ptr, 1, out.size, 0, cc, 0, ac, 0, bc);
      return;
    }
    const { ops: list, plan: p } = this.ops.operands([cond, a, b]);
    const ops = list as [Operand, Operand, Operand];
    const [crs, ars, brs] = p.rowStrides as [number, number, number];
    const [ccs, acs, bcs] = p.colStrides as [number, number, number];
    this.k.where_bytes(DTYPE_BYTES[out.dtype], ops[0].ptr, ops[1].ptr, ops[2].ptr, out.ptr, p.rows, p.cols, crs, ccs, ars, acs, brs, bcs);
    for (const o of ops) this.ops.release(o);
  }

  // ------------------------------------------------------------------ reduce, matmul

  reduce(op: ReduceOp, x: WView, axes: number, out: WasmBuffer): void {
    if (out.size === 0) return;
    const dtype = x.buf.dtype;
    if (dtype === 'bool') throw new BackendError(`reduce ${op}: wasm backend reduces numbers, received bool`);
    const plan = planReduce(op, x.shape, x.strides, axes);
    if (plan.kind === 'sumCols') {
      const { rows, rowStride: rs } = plan;
      const code = DTYPE_CODE[dtype];
      const need = this.k.sum_cols(code, this.ops.addr(x), out.ptr, rows, rs, out.size, this.scratch, SCRATCH_BYTES);
      if (need > 0) this.withHeapScratch(need, (ptr) => this.k.sum_cols(code, this.ops.addr(x), out.ptr, rows, rs, out.size, ptr, need));
      return;
    }
    const src: Operand = plan.inPlace ? { ptr: this.ops.addr(x), strides: x.strides, scratch: null } : this.ops.dense(x);
    reduceRows(this.k, op, dtype, src.ptr, out.ptr, out.size, plan.rowStride, plan.inner);
    this.ops.release(src);
  }

  matmul(a: WView, b: WView, out: WasmBuffer): void {
    const [batch, m, k] = a.shape as [number, number, number];
    const n = b.shape[2] as number;
    if (batch * m * n === 0) return;
    const [sab, sam, sak] = a.strides as [number, number, number];
    const [sbb, sbk, sbn] = b.strides as [number, number, number];
    const dtype = out.dtype;
    const bytes = DTYPE_BYTES[dtype];
    const a0 = this.ops.addr(a);
    const b0 = this.ops.addr(b);
    if (dtype === 'float32') {
      gemmF32(this.k, this.heap, this.thread, { batch, m, k, n, a: a0, sab, sam, sak, b: b0, sbb, sbk, sbn, c: out.ptr });
    } else if (dtype === 'float64') {
      for (let t = 0; t < batch; t++) {
        this.k.gemm_f64(a0 + t * sab * bytes, sam, sak, b0 + t * sbb * bytes, sbk, sbn, out.ptr + t * m * n * bytes, m, k, n);
      }
    } else {
      throw new BackendError(`matmul: wasm backend multiplies float32 or float64, received ${dtype}`);
    }
  }

  // ------------------------------------------------------------------ Philox uniforms (asm/random.ts)

  randomUniform(out: WasmBuffer, range: PhiloxRange, minval: number, width: number): void {
    const [lo, hi, s0, s1] = range.counter;
    this.k.philox_uniform(this.floatCode(out.dtype, 'randomUniform') === DTYPE_CODE.float64 ? 1 : 0, out.ptr, out.size, range.skip, lo, hi, s0, s1, range.key[0], range.key[1], minval, width);
  }

  // ------------------------------------------------------------------ the generic fused kernel (fused_host.ts)

  fused(program: FusedProgram, inputs: readonly WView[], params: readonly number[], outs: readonly WasmBuffer[]): void {
    this.fusedHost.run(program, inputs, params, outs);
  }

  // ------------------------------------------------------------------ softmax, cross-entropy rows

  softmax(x: WView, out: WasmBuffer): void {
    const cols = x.shape[x.shape.length - 1] as number;
    if (out.size === 0 || cols === 0) return;
    this.k.softmax_rows(this.floatCode(out.dtype, 'softmax'), this.ops.addr(x), out.ptr, out.size / cols, cols);
  }

  softmaxGrad(dy: WView, y: WView, dx: WasmBuffer): void {
    const cols = y.shape[y.shape.length - 1] as number;
    if (dx.size === 0 || cols === 0) return;
    this.k.softmax_grad_rows(this.floatCode(dx.dtype, 'softmaxGrad'), this.ops.addr(dy), this.ops.addr(y), dx.ptr, dx.size / cols, cols);
  }

  sparseCrossentropy(p: WView, labels: WView, out: WasmBuffer, fromLogits: boolean, lo: number, hi: number): void {
    if (out.size === 0) return;
    const cols = p.shape[p.shape.length - 1] as number;
    this.k.sparse_xent(this.floatCode(out.dtype, 'sparseCrossentropy'), this.ops.addr(p), this.ops.addr(labels), out.ptr, out.size, cols, fromLogits ? 1 : 0, lo, hi);
  }

  sparseCrossentropyGrad(dl: WView, p: WView, labels: WView, dp: WasmBuffer, fromLogits: boolean, lo: number, hi: number): void {
    const cols = p.shape[p.shape.length - 1] as number;
    if (dp.size === 0 || cols === 0) return;
    const code = this.floatCode(dp.dtype, 'sparseCrossentropyGrad');
    this.k.sparse_xent_grad(code, this.ops.addr(dl), this.ops.addr(p), this.ops.addr(labels), dp.ptr, dp.size / cols, cols, fromLogits ? 1 : 0, lo, hi);
  }

  private floatCode(dtype: DType, op: string): number {
    if (dtype !== 'float32' && dtype !== 'float64') throw new BackendError(`${op}: wasm backend takes float32 or float64, received ${dtype}`);
    return DTYPE_CODE[dtype];
  }

  // ------------------------------------------------------------------ helpers

  private check(buf: WasmBuffer): void {
    if (buf.backend !== 'wasm') throw new BackendError(`wasm backend received a buffer of backend "${buf.backend}"`);
    if (buf.freed) throw new BackendError('wasm backend: buffer used after it was freed');
  }

  /**
   * The column-sum kernel (sum_cols) first run on the backend's own small scratch
   * block, which batch-sized sums fit (none is needed up to 16 rows); one that needs more says
   * how much, having done nothing, and runs again here on a heap block of that size.
   */
  private withHeapScratch(bytes: number, kernel: (ptr: number) => number): void {
    const block = this.heap.alloc(bytes);
    try {
      kernel(block.ptr);
    } finally {
      this.heap.release(block.ptr, block.cls);
    }
  }

  private badIndex(op: string, bad: number, idx: Operand, n: number): void {
    if (bad < 0) return;
    const value = this.heap.int32()[(idx.ptr >>> 2) + bad] as number;
    this.ops.release(idx);
    throw new BackendError(`${op}: index ${value} is out of range [0, ${n})`);
  }}
