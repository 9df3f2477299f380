/**
 * What a layer accepts, checked by `Layer.apply` before every call (Keras's InputSpec): the
 * rank, the sizes of some axes once the layer is built (a Dense built on 784 features
 * accepts only inputs whose last dimension is 784), and for layers that compute on their input
 * (Dense, Normalization, the activation layers), a float dtype. Unknown (null) dimensions of
 * symbolic inputs are not checked.
 */
import { isFloat, type DType } from '../core/dtype.js';
import { DTypeError, ShapeError } from '../core/errors.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';

export interface InputSpec {
  /** Exact rank. */
  ndim?: number;
  /** Smallest rank. */
  minNdim?: number;
  /** Largest rank. */
  maxNdim?: number;
  /** Required sizes by axis; negative axes count from the end (-1: the last). */
  axes?: Readonly<Record<number, number>>;
  /**
   * 'float': the layer computes with float arithmetic, so integer and bool inputs are refused
   * (float inputs are cast to the layer's dtype; an int32 input would otherwise fail inside an
   * op, or worse, be computed in integers: leaky ReLU's 0.3·x truncated to 0).
   */
  dtype?: 'float';
}

/** `Dense "dense_1" expects float32 inputs, received int32`. */
export function checkInputDtype(spec: InputSpec, dtype: DType, layerDtype: DType, who: string, which = ''): void {
  if (spec.dtype === 'float' && !isFloat(dtype)) {
    throw new DTypeError(`${who} expects ${layerDtype} inputs${which}, received ${dtype}; cast integer data to float first (hb.cast(x, '${layerDtype}'))`);
  }
}

/** "last dimension 784" or "size 3 on axis 1". */
function axisWords(axis: number, size: number): string {
  return axis === -1 ? `last dimension ${size}` : `size ${size} on axis ${axis}`;
}

/**
 * Throws a ShapeError naming the layer when `shape` breaks `spec`, e.g.
 * `Dense "hidden1" expects inputs with last dimension 784, received shape [32, 28, 28]`.
 * `which` names the input of a layer with several (", input 1").
 */
export function checkInputSpec(spec: InputSpec, shape: SymbolicShape, who: string, which = ''): void {
  const rank = shape.length;
  const received = `received shape ${fmtSymbolicShape(shape)}`;
  if (spec.ndim !== undefined && rank !== spec.ndim) {
    throw new ShapeError(`${who} expects inputs of rank ${spec.ndim}${which}, ${received}`);
  }
  if (spec.minNdim !== undefined && rank < spec.minNdim) {
    throw new ShapeError(`${who} expects inputs of rank at least ${spec.minNdim}${which}, ${received}`);
  }
  if (spec.maxNdim !== undefined && rank > spec.maxNdim) {
    throw new ShapeError(`${who} expects inputs of rank at most ${spec.maxNdim}${which}, ${received}`);
  }
  if (spec.axes) {
    for (const [key, size] of Object.entries(spec.axes)) {
      const axis = Number(key);
      const a = axis < 0 ? axis + rank : axis;
      const d = a >= 0 && a < rank ? shape[a] : undefined;
      if (d === undefined) {
        throw new ShapeError(`${who} expects inputs with ${axisWords(axis, size)}${which}, ${received}`);
      }
      if (d !== null && d !== size) {
        throw new ShapeError(`${who} expects inputs with ${axisWords(axis, size)}${which}, ${received}`);
      }
    }
  }
}
