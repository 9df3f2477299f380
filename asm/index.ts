/**
 * The wasm backend's kernels, compiled by scripts/build-wasm.mjs into one module. Pointers are
 * byte addresses in the module's memory, which the host (src/backends/wasm/) manages itself:
 * nothing here allocates (the build uses the stub runtime), so kernels never move memory.
 */
export { unary_f32, unary_f64, unary_i32, unary_u8 } from './unary';
export { binary_f32, binary_f64, binary_i32, binary_u8, where_bytes } from './binary';
export { copy_nd, cast, gather, scatter_add } from './copy';
export { reduce_f32, reduce_f64, reduce_i32, sum_cols } from './reduce';
export { fused_run } from './fused';
export { softmax_rows, softmax_grad_rows, sparse_xent, sparse_xent_grad } from './softmax';
export { philox_uniform } from './random';
export { gemm_f32, gemm_f32_scratch, gemm_f32_work, gemm_pack_a, gemm_cols, gemm_rows, gemm_f64 } from './gemm';

/** First free byte after the module's static data: the host's heap starts here. */
export function heap_base(): usize {
  return __heap_base;
}
