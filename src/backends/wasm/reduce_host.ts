/**
 * The host side of reductions over the trailing `axes` axes: which kernel runs and on what
 * layout — pure index arithmetic, kept apart from the backend's buffer handling.
 */
import type { DType } from '../../core/dtype.js';
import type { ReduceOp } from '../backend.js';
import { REDUCE_CODE } from './codes.js';
import { collapse, sizeOfShape } from './layout.js';
import type { Kernels } from './module.js';

/**
 * - sumCols: a sum over leading axes that the engine transposed to the end; the kernel adds
 *   whole rows (`rows` of them, `rowStride` elements apart) instead of walking strided columns.
 * - rows: out[i] reduces `inner` consecutive elements starting at i * rowStride, read in place
 *   when the view allows it, else from a dense copy (then rowStride is `inner`).
 */
export type ReducePlan = { kind: 'sumCols'; rows: number; rowStride: number } | { kind: 'rows'; inPlace: boolean; rowStride: number; inner: number };

export function planReduce(op: ReduceOp, shape: readonly number[], strides: readonly number[], axes: number): ReducePlan {
  const rank = shape.length;
  const inner = sizeOfShape(shape.slice(rank - axes));
  const outerDims = collapse(shape.slice(0, rank - axes), [strides.slice(0, rank - axes)]);
  const innerDims = collapse(shape.slice(rank - axes), [strides.slice(rank - axes)]);
  const os = outerDims.strides[0] as number[];
  const is = innerDims.strides[0] as number[];
  const outerRank = outerDims.shape.length;
  const innerRank = innerDims.shape.length;
  if (op === 'sum' && outerRank === 1 && innerRank === 1 && os[0] === 1 && is[0] !== 1) {
    return { kind: 'sumCols', rows: innerDims.shape[0] as number, rowStride: is[0] as number };
  }
  if (outerRank <= 1 && (innerRank === 0 || (innerRank === 1 && is[0] === 1))) {
    return { kind: 'rows', inPlace: true, rowStride: outerRank === 0 ? 0 : (os[0] as number), inner };
  }
  return { kind: 'rows', inPlace: false, rowStride: inner, inner };
}

/** Runs the row-reduction kernel of `dtype` (int32 for the integer dtypes). */
export function reduceRows(k: Kernels, op: ReduceOp, dtype: DType, src: number, out: number, size: number, rowStride: number, inner: number): void {
  const code = REDUCE_CODE[op];
  if (dtype === 'float32') k.reduce_f32(code, src, out, size, rowStride, inner);
  else if (dtype === 'float64') k.reduce_f64(code, src, out, size, rowStride, inner);
  else k.reduce_i32(code, src, out, size, rowStride, inner);
}
