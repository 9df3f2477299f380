/**
 * Instantiates the kernel module (embedded at build time, see scripts/build-wasm.mjs) and gives
 * its exports TypeScript types. Instantiation is synchronous so that `getBackend()` can create
 * the backend on first use; Node compiles a module of any size synchronously.
 */
import { BackendError } from '../../core/errors.js';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernels_wasm.js';

/** Pointers are byte addresses, strides and counts are in elements. */
export interface Kernels {
  unary_f32(op: number, x: number, out: number, n: number): void;
  unary_f64(op: number, x: number, out: number, n: number): void;
  unary_i32(op: number, x: number, out: number, n: number): void;
  unary_u8(x: number, out: number, n: number): void;
  binary_f32(op: number, a: number, b: number, out: number, rows: number, cols: number, ars: number, acs: number, brs: number, bcs: number): void;
  binary_f64(op: number, a: number, b: number, out: number, rows: number, cols: number, ars: number, acs: number, brs: number, bcs: number): void;
  binary_i32(op: number, a: number, b: number, out: number, rows: number, cols: number, ars: number, acs: number, brs: number, bcs: number): void;
  binary_u8(op: number, a: number, b: number, out: number, rows: number, cols: number, ars: number, acs: number, brs: number, bcs: number): void;
  where_bytes(size: number, c: number, a: number, b: number, out: number, rows: number, cols: number, crs: number, ccs: number, ars: number, acs: number, brs: number, bcs: number): void;
  copy_nd(size: number, src: number, dst: number, rank: number, params: number): void;
  cast(from: number, to: number, x: number, out: number, n: number): void;
  gather(size: number, x: number, outer: number, n: number, inner: number, so: number, sn: number, si: number, idx: number, count: number, out: number): number;
  scatter_add(dtype: number, upd: number, outer: number, count: number, inner: number, idx: number, out: number, n: number): number;
  reduce_f32(op: number, x: number, out: number, outer: number, rowStride: number, inner: number): void;
  reduce_f64(op: number, x: number, out: number, outer: number, rowStride: number, inner: number): void;
  reduce_i32(op: number, x: number, out: number, outer: number, rowStride: number, inner: number): void;
  /** 0 when done; else the scratch bytes it needs (more than scratchBytes), nothing done. */
  sum_cols(dtype: number, x: number, out: number, rows: number, rowStride: number, cols: number, scratch: number, scratchBytes: number): number;
  gemm_f32(a: number, sam: number, sak: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, scratch: number): void;
  gemm_f32_scratch(m: number, k: number, n: number): number;
  gemm_f32_work(k: number): number;
  gemm_pack_a(a: number, sam: number, sak: number, m: number, k: number, dst: number): void;
  gemm_cols(pa: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, j0: number, j1: number, work: number): void;
  gemm_rows(a: number, sam: number, sak: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, i0: number, i1: number, work: number): void;
  gemm_f64(a: number, sam: number, sak: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number): void;
  /** The generic fused kernel's block interpreter (asm/fused.ts; program encoded by fused_host.ts). */
  fused_run(dtype: number, prog: number, consts: number, n: number, block: number): void;
  softmax_rows(dtype: number, x: number, out: number, rows: number, cols: number): void;
  softmax_grad_rows(dtype: number, dy: number, y: number, dx: number, rows: number, cols: number): void;
  sparse_xent(dtype: number, p: number, labels: number, out: number, rows: number, cols: number, fromLogits: number, lo: number, hi: number): void;
  sparse_xent_grad(dtype: number, dl: number, p: number, labels: number, dp: number, rows: number, cols: number, fromLogits: number, lo: number, hi: number): void;
  /** Philox4x32-10 uniforms (asm/random.ts, backends/philox.ts); dtype 0 float32, 1 float64. */
  philox_uniform(dtype: number, out: number, n: number, skip: number, lo: number, hi: number, s0: number, s1: number, k0: number, k1: number, minval: number, width: number): void;
  heap_base(): number;
}

/** Parameter counts: a stale generated module with a changed signature fails loudly here. */
const ARITY: { readonly [K in keyof Kernels]: number } = {
  unary_f32: 4,
  unary_f64: 4,
  unary_i32: 4,
  unary_u8: 3,
  binary_f32: 10,
  binary_f64: 10,
  binary_i32: 10,
  binary_u8: 10,
  where_bytes: 13,
  copy_nd: 5,
  cast: 5,
  gather: 11,
  scatter_add: 8,
  reduce_f32: 6,
  reduce_f64: 6,
  reduce_i32: 6,
  sum_cols: 8,
  gemm_f32: 11,
  gemm_f32_scratch: 3,
  gemm_f32_work: 1,
  gemm_pack_a: 6,
  gemm_cols: 11,
  gemm_rows: 13,
  gemm_f64: 10,
  fused_run: 5,
  softmax_rows: 5,
  softmax_grad_rows: 6,
  sparse_xent: 9,
  sparse_xent_grad: 10,
  philox_uniform: 12,
  heap_base: 0,
};

type Exported = (...args: number[]) => number;

const compiled: { single: WebAssembly.Module | null; shared: WebAssembly.Module | null } = { single: null, shared: null };

/** Base64 to bytes: Buffer in Node, atob in a browser. */
function decode(b64: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(b64, 'base64'));
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Initial pages of a new memory (what the build declares) and the shared build's maximum. */
const INITIAL_PAGES = 16;
const MAX_PAGES = 65536;

/** A new memory for the kernels: shared (for a worker thread) or ordinary. */
export function createMemory(shared: boolean): WebAssembly.Memory {
  return shared ? new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true }) : new WebAssembly.Memory({ initial: INITIAL_PAGES });
}

function compiledModule(shared: boolean): WebAssembly.Module {
  if (shared) return (compiled.shared ??= new WebAssembly.Module(decode(KERNELS_SHARED_WASM_BASE64)));
  return (compiled.single ??= new WebAssembly.Module(decode(KERNELS_WASM_BASE64)));
}

/**
 * An instance of the kernel module over `memory` (shared memory takes the shared build). A
 * worker thread instantiates the module over the main thread's shared memory; both instances
 * then see the same tensors.
 */
export function instantiateKernels(memory: WebAssembly.Memory): Kernels {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const instance = new WebAssembly.Instance(compiledModule(shared), { env: { memory } });
  const ex = instance.exports;
  const fn = (name: keyof Kernels): Exported => {
    const f = ex[name];
    if (typeof f !== 'function' || f.length !== ARITY[name]) {
      throw new BackendError(`wasm backend: kernel "${name}" is missing or has the wrong signature; rebuild with npm run build`);
    }
    return f as Exported;
  };
  return {
    unary_f32: fn('unary_f32'),
    unary_f64: fn('unary_f64'),
    unary_i32: fn('unary_i32'),
    unary_u8: fn('unary_u8'),
    binary_f32: fn('binary_f32'),
    binary_f64: fn('binary_f64'),
    binary_i32: fn('binary_i32'),
    binary_u8: fn('binary_u8'),
    where_bytes: fn('where_bytes'),
    copy_nd: fn('copy_nd'),
    cast: fn('cast'),
    gather: fn('gather'),
    scatter_add: fn('scatter_add'),
    reduce_f32: fn('reduce_f32'),
    reduce_f64: fn('reduce_f64'),
    reduce_i32: fn('reduce_i32'),
    sum_cols: fn('sum_cols'),
    gemm_f32: fn('gemm_f32'),
    gemm_f32_scratch: fn('gemm_f32_scratch'),
    gemm_f32_work: fn('gemm_f32_work'),
    gemm_pack_a: fn('gemm_pack_a'),
    gemm_cols: fn('gemm_cols'),
    gemm_rows: fn('gemm_rows'),
    gemm_f64: fn('gemm_f64'),
    fused_run: fn('fused_run'),
    softmax_rows: fn('softmax_rows'),
    softmax_grad_rows: fn('softmax_grad_rows'),
    sparse_xent: fn('sparse_xent'),
    sparse_xent_grad: fn('sparse_xent_grad'),
    philox_uniform: fn('philox_uniform'),
    heap_base: fn('heap_base'),
  };
}
