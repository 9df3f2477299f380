/** A typed array of a dtype over (the start of) an ArrayBuffer: the native buffers' view of their block. */
import type { DType, TypedArray } from '../../core/dtype.js';

export function makeTypedArrayOver(dtype: DType, ab: ArrayBuffer, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(ab, 0, size);
    case 'int32':
      return new Int32Array(ab, 0, size);
    case 'bool':
      return new Uint8Array(ab, 0, size);
    case 'float64':
      return new Float64Array(ab, 0, size);
  }
}
