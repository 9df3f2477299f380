/**
 * The host side of the float32 matrix product: how many threads the backend starts with, and
 * how one product is run — on this thread (asm gemm_f32), or split with the GEMM workers
 * (gemm_thread.ts) by chunks of C's rows or columns. Every path sums each element in the same
 * order, so the choice never changes a bit of the result.
 */
import type { Heap } from './heap.js';
import type { Kernels } from './module.js';
import { BINARY_CODE } from './codes.js';
import { CHUNK_ROWS, JOB, kSplitAt } from './gemm_jobs.js';
import { MAX_THREADS, type GemmWorkers } from './gemm_thread.js';

/** gemm's register tile, as in asm/gemm.ts: A panels are MR rows, B panels NR columns. */
const MR = 4;
const NR = 8;
/** Products smaller than this stay on one thread: below ~1 MFLOP per thread, the hand-off costs more than it saves. */
const THREAD_MIN_FLOPS = 1e6;

/**
 * Threads for big products, the main one included: one per core up to MAX_THREADS where workers
 * over shared memory are possible (Node; a cross-origin isolated page), else 1.
 * HEBB_WASM_THREADS overrides it.
 */
export function defaultThreads(): number {
  const env = typeof process !== 'undefined' ? process.env?.['HEBB_WASM_THREADS'] : undefined;
  if (env !== undefined && env !== '') return clampThreads(Number(env));
  const os = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:os') : undefined;
  if (os) return typeof SharedArrayBuffer !== 'undefined' ? clampThreads(os.availableParallelism()) : 1;
  // A browser shares memory with a Web Worker only when cross-origin isolated (COOP + COEP headers).
  const isolated = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined' && typeof Worker === 'function';
  return isolated ? clampThreads(globalThis.navigator?.hardwareConcurrency ?? 1) : 1;
}

/** An integer in [1, MAX_THREADS] (1 for anything that is not a number). */
export function clampThreads(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.min(MAX_THREADS, Math.floor(n))) : 1;
}

/**
 * Short products at least this deep (a training batch through a dense layer: 32x784 · 784x300)
 * are always summed in two halves of k (gemm_jobs.ts's kSplitAt), whatever the threads: with
 * two, each thread multiplies the weight rows it updates (the row parts of the weight's fused
 * update and of its gradient's product), so no pass of the step reads weight rows the other
 * core wrote; one thread sums the same halves in the same order, so results stay bit-identical.
 */
const KSPLIT_MIN_K = 256;

function kSplit(kern: Kernels, heap: Heap, thread: GemmWorkers | null, j: GemmJob): void {
  const { batch, m, k, n, sab, sam, sak, sbb, sbk, sbn } = j;
  const h = kSplitAt(k, 1);
  const bytes = kern.gemm_f32_scratch(m, h, n);
  const two = thread !== null && 2 * m * k * n >= THREAD_MIN_FLOPS && thread.available();
  const work = heap.alloc((two && thread ? thread.count + 1 : 1) * bytes);
  const temp = heap.alloc(m * n * 4);
  try {
    for (let t = 0; t < batch; t++) {
      const a = j.a + t * sab * 4;
      const b = j.b + t * sbb * 4;
      const c = j.c + t * m * n * 4;
      if (two && thread) thread.run(JOB.ksplit, [a, sam, sak, b, sbk, sbn, c, m, k, n, temp.ptr], kern, work.ptr, work.ptr + bytes, bytes);
      else {
        kern.gemm_f32(a, sam, sak, b, sbk, sbn, c, m, h, n, work.ptr);
        kern.gemm_f32(a + 4 * h * sak, sam, sak, b + 4 * h * sbk, sbk, sbn, temp.ptr, m, k - h, n, work.ptr);
      }
      kern.binary_f32(BINARY_CODE.add, c, temp.ptr, c, 1, m * n, 0, 1, 0, 1);
    }
  } finally {
    heap.release(temp.ptr, temp.cls);
    heap.release(work.ptr, work.cls);
  }
}

/** A batch of products C[t] = A[t] B[t]: byte addresses and element strides; C is contiguous. */
export interface GemmJob {
  batch: number;
  m: number;
  k: number;
  n: number;
  a: number;
  sab: number;
  sam: number;
  sak: number;
  b: number;
  sbb: number;
  sbk: number;
  sbn: number;
  c: number;
}

export function gemmF32(kern: Kernels, heap: Heap, thread: GemmWorkers | null, j: GemmJob): void {
  const { batch, m, k, n, sab, sam, sak, sbb, sbk, sbn } = j;
  if (m < 2 * CHUNK_ROWS.max && k >= KSPLIT_MIN_K) return kSplit(kern, heap, thread, j);
  const two = thread !== null && k > 0 && (n >= 2 * NR || m >= 2 * CHUNK_ROWS.max) && 2 * m * k * n >= THREAD_MIN_FLOPS && thread.available();
  if (!two || !thread) {
    const scratch = heap.alloc(kern.gemm_f32_scratch(m, k, n));
    for (let t = 0; t < batch; t++) {
      kern.gemm_f32(j.a + t * sab * 4, sam, sak, j.b + t * sbb * 4, sbk, sbn, j.c + t * m * n * 4, m, k, n, scratch.ptr);
    }
    heap.release(scratch.ptr, scratch.cls);
  } else if (m >= 2 * CHUNK_ROWS.max) {
    // Tall: every thread takes chunks of C's rows, each packing its own rows of A.
    const bytes = kern.gemm_f32_scratch(CHUNK_ROWS.max, k, n);
    const work = heap.alloc((thread.count + 1) * bytes);
    for (let t = 0; t < batch; t++) {
      const args = [j.a + t * sab * 4, sam, sak, j.b + t * sbb * 4, sbk, sbn, j.c + t * m * n * 4, m, k, n];
      thread.run(JOB.rows, args, kern, work.ptr, work.ptr + bytes, bytes);
    }
    heap.release(work.ptr, work.cls);
  } else {
    // Short and wide (a training batch): chunks of C's columns over one packed copy of A.
    const scratch = heap.alloc(kern.gemm_f32_scratch(m, k, n));
    const bytes = kern.gemm_f32_work(k);
    const work = heap.alloc(thread.count * bytes);
    const packedA = Math.ceil(m / MR) * MR * k * 4;
    for (let t = 0; t < batch; t++) {
      kern.gemm_pack_a(j.a + t * sab * 4, sam, sak, m, k, scratch.ptr);
      thread.run(JOB.cols, [scratch.ptr, j.b + t * sbb * 4, sbk, sbn, j.c + t * m * n * 4, m, k, n], kern, scratch.ptr + packedA, work.ptr, bytes);
    }
    heap.release(work.ptr, work.cls);
    heap.release(scratch.ptr, scratch.cls);
  }
}
