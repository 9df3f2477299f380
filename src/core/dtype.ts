/**
 * Data types. float64 exists for gradient checks on the cpu backend (finite differences
 * need more than float32's 7 digits); other backends may not support it and say so through
 * `Backend.supportsDType`.
 */
export type DType = 'float32' | 'int32' | 'bool' | 'float64';

export type TypedArray = Float32Array | Int32Array | Uint8Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'float64'];

/** Guards against dtype strings from untyped callers (a JSON config, plain JavaScript). */
export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

export type TypedArrayFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'int32'
    ? Int32Array
    : D extends 'bool'
      ? Uint8Array
      : Float64Array;

export function makeTypedArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
    case 'float64':
      return new Float64Array(size);
  }
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
}

/** The typed array a value of this dtype is stored in, converting from any numeric array. */
export function toTypedArray(dtype: DType, values: ArrayLike<number>): TypedArray {
  const out = makeTypedArray(dtype, values.length);
  if (dtype === 'bool') {
    // Nonzero is true, NaN included (as in NumPy and the cast kernel): `v ? 1 : 0` would say false.
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  } else if (dtype === 'int32') {
    for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i] as number);
  } else {
    out.set(values);
  }
  return out;
}

export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return 'float64';
}
