/**
 * Making tensors: from nested arrays or typed arrays, constants, ranges, one-hot, identity.
 */
import { type DType, type TypedArray, dtypeOfArray, makeTypedArray } from '../core/dtype.js';
import { checkTensorSize } from '../core/engine.js';
import { ValueError, ShapeError, DTypeError, fmtShape, fmtReceived } from '../core/errors.js';
import { checkInt32Values } from '../core/int32.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { dtypeArg, intArg, numberArg, shapeArg, tensorArg } from './args.js';
import { sizeOf, type Shape } from '../core/shape.js';
import { Tensor, Variable, type NestedArray, type VariableOptions } from '../core/tensor.js';
import { cast, fill, fromValues } from './primitives.js';
import { equal } from './elementwise.js';
import { reshape } from './primitives_movement.js';

/** Shape and flat values of a nested array, checking that it is rectangular. */
function flatten(values: NestedArray): { shape: number[]; flat: number[] } {
  const shape: number[] = [];
  let probe: NestedArray = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedArray;
  }
  const flat: number[] = [];
  const walk = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new ShapeError(`tensor: ragged nested array at ${path}: expected a number`);
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new DTypeError(`tensor: values must be numbers or booleans, received ${fmtReceived(v)} at ${path}`);
      }
      flat.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(`tensor: ragged nested array at ${path}: expected ${shape[dim]} entries, received ${Array.isArray(v) ? v.length : 'a number'}`);
    }
    v.forEach((e, i) => walk(e, dim + 1, `${path}[${i}]`));
  };
  walk(values, 0, 'values');
  return { shape, flat };
}

/**
 * A tensor from a number, a nested array, or a flat (typed) array with a shape. The dtype
 * defaults to float32 for numbers, bool for booleans, and the typed array's own type.
 */
export function tensor(values: NestedArray | TypedArray | readonly number[], shapeIn?: Shape, dtypeIn?: DType): Tensor {
  const shape = shapeIn === undefined ? undefined : shapeArg('tensor', 'shape', shapeIn);
  const dtype = dtypeIn === undefined ? undefined : dtypeArg('tensor', 'dtype', dtypeIn);
  if (ArrayBuffer.isView(values)) {
    if (!(values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array || values instanceof Float64Array)) {
      throw new DTypeError(`tensor: values must be a Float32Array, Int32Array, Uint8Array or Float64Array (or nested arrays), received ${fmtReceived(values)}`);
    }
    const sh = shape ?? [values.length];
    // Only float sources can hold what int32 cannot (int32 and bool arrays always fit).
    const src = dtypeOfArray(values);
    if (dtype === 'int32' && (src === 'float32' || src === 'float64')) checkInt32Values('tensor', 'values', values, sh);
    return fromValues(values, sh, dtype);
  }
  const { shape: inferred, flat } = flatten(values as NestedArray);
  let first: NestedArray | undefined = values as NestedArray;
  while (Array.isArray(first)) first = first[0];
  const isBool = typeof first === 'boolean';
  const dt = dtype ?? (isBool ? 'bool' : 'float32');
  if (shape && sizeOf(shape) !== flat.length) {
    throw new ShapeError(`tensor: shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, received ${flat.length}`);
  }
  // Positions are named in the nested array's own shape (values[1][2]), not the target shape.
  if (dt === 'int32') checkInt32Values('tensor', 'values', flat, inferred);
  return fromValues(flat, shape ?? inferred, dt);
}

/** fill under a creation op's name: arguments and size checked first, an int32 value checked too. */
function filled(op: string, shape: unknown, value: unknown, dtype: unknown): Tensor {
  const dt = dtypeArg(op, 'dtype', dtype);
  const v = numberArg(op, 'value', value);
  const sh = shapeArg(op, 'shape', shape);
  checkTensorSize(op, sh, dt);
  if (dt === 'int32') checkInt32Values(op, 'value', [v], []);
  return fill(sh, v, dt);
}

export const scalar = (value: number, dtype: DType = 'float32'): Tensor => filled('scalar', [], value, dtype);
export const zeros = (shape: Shape, dtype: DType = 'float32'): Tensor => filled('zeros', shape, 0, dtype);
export const ones = (shape: Shape, dtype: DType = 'float32'): Tensor => filled('ones', shape, 1, dtype);
export const full = (shape: Shape, value: number, dtype: DType = 'float32'): Tensor => filled('full', shape, value, dtype);
export const zerosLike = (x: Tensor): Tensor => filled('zerosLike', tensorArg('zerosLike', 'x', x).shape, 0, x.dtype);
export const onesLike = (x: Tensor): Tensor => filled('onesLike', tensorArg('onesLike', 'x', x).shape, 1, x.dtype);

/** start, start + step, ... up to (not including) stop, like Python's range. */
export function range(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  // range(n) is range(0, n): the one argument is then reported as stop, as Python's range does.
  numberArg('range', stop === undefined ? 'stop' : 'start', start, true);
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  numberArg('range', 'stop', stop, true);
  numberArg('range', 'step', step, true);
  dtypeArg('range', 'dtype', dtype);
  if (step === 0) throw new ValueError('range: step must not be 0');
  if (dtype === 'int32' && ![start, stop, step].every(Number.isInteger)) {
    throw new ValueError(`range: with dtype int32, start, stop and step must be integers, received ${start}, ${stop}, ${step}`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  // Before any host array exists: range(0, 3e9) must be refused, not filled and then refused.
  checkTensorSize('range', [n], dtype);
  const vals = makeTypedArray(dtype === 'int32' ? 'float64' : dtype, n);
  for (let i = 0; i < n; i++) vals[i] = start + i * step;
  if (dtype === 'int32') checkInt32Values('range', 'values', vals, [n]);
  return fromValues(vals, [n], dtype);
}

/** n evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, n: number): Tensor {
  numberArg('linspace', 'start', start, true);
  numberArg('linspace', 'stop', stop, true);
  intArg('linspace', 'n', n, 1);
  checkTensorSize('linspace', [n], 'float32');
  const step = n === 1 ? 0 : (stop - start) / (n - 1);
  // The last value is stop itself, not start + (n - 1) * step, which can miss it by an ulp.
  return fromValues(Array.from({ length: n }, (_, i) => (i === n - 1 && n > 1 ? stop : start + i * step)), [n], 'float32');
}

/** The n x n identity matrix. */
export function eye(n: number, dtype: DType = 'float32'): Tensor {
  intArg('eye', 'n', n, 0);
  dtypeArg('eye', 'dtype', dtype);
  checkTensorSize('eye', [n, n], dtype);
  const v = makeTypedArray(dtype, n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  return fromValues(v, [n, n], dtype);
}

/**
 * One-hot encoding of int32 class ids: shape [...indices.shape, depth]. An id outside
 * [0, depth) is an error rather than a silent row of zeros.
 */
export function oneHot(indicesIn: Tensor, depth: number, dtype: DType = 'float32'): Tensor {
  const indices = tensorArg('oneHot', 'indices', indicesIn);
  if (indices.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be int32, received ${indices.dtype}`);
  intArg('oneHot', 'depth', depth, 1);
  dtypeArg('oneHot', 'dtype', dtype);
  // The output, and the class ids [depth] it is compared with, before reading the indices.
  checkTensorSize('oneHot', [...indices.shape, depth], dtype);
  checkTensorSize('oneHot', [depth], 'int32');
  const vals = indices.dataSync();
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i] as number;
    if (v < 0 || v >= depth) throw new ValueError(`oneHot: indices must be in [0, ${depth}), received ${v} at position ${i}`);
  }
  const classes = range(0, depth, 1, 'int32');
  const col = reshape(indices, [...indices.shape, 1]);
  return cast(equal(col, classes), dtype);
}

export interface VariableCreationOptions extends VariableOptions {
  /** [initial's dtype] the variable's dtype; initial is cast to it. */
  dtype?: DType;
}

const VARIABLE_OPTIONS: OptionKeys<VariableCreationOptions> = { name: true, trainable: true, dtype: true };

/** A Variable holding a copy of `initial`. */
export function variable(initial: Tensor, options: VariableCreationOptions = {}): Variable {
  checkOptions('variable', options, VARIABLE_OPTIONS);
  if (!(initial instanceof Tensor)) {
    throw new DTypeError(`variable: initial must be a Tensor, received ${fmtReceived(initial)}; wrap numbers with tensor()`);
  }
  initial.assertAlive('variable: argument initial');
  if (options.name !== undefined && typeof options.name !== 'string') throw new ValueError(`variable: options.name must be a string, received ${fmtReceived(options.name)}`);
  if (options.trainable !== undefined && typeof options.trainable !== 'boolean') {
    throw new ValueError(`variable: options.trainable must be true or false, received ${fmtReceived(options.trainable)}`);
  }
  const dtype = options.dtype === undefined ? initial.dtype : dtypeArg('variable', 'options.dtype', options.dtype);
  const init = dtype !== initial.dtype ? cast(initial, dtype) : initial;
  return new Variable(init, options);
}
