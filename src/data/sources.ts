/**
 * Datasets from data in memory and from generators:
 *  - `fromTensorSlices(struct)`: one element per sample (row) of the arrays in `struct` (a
 *    Tensor, `{data, shape}`, a typed array, a nested number array, or arrays / objects of
 *    them); rows are views of the host values, not copies;
 *  - `fromArrays(x, y?)`: `[xRow, yRow]` elements (or x's rows alone), the usual start of a
 *    pipeline that ends in `.batch(n)` and goes to fit;
 *  - `fromGenerator(fn)`: each pass calls `fn` (a generator function, sync or async), so the
 *    data is produced on the fly and never stored.
 * A Tensor is read back to the host once, when the dataset is made.
 */
import { ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import { Tensor, type NestedArray } from '../core/tensor.js';
import type { ArrayWithShape } from '../training/data.js';
import { Dataset, type IterSource } from './dataset.js';
import { isShaped, sampleCount, sliceElement } from './structure.js';

/** One sample of an array: a number (1-D arrays) or `{data, shape}`. */
export type Sample = number | ArrayWithShape;

function isNumericNested(v: unknown): v is NestedArray {
  if (typeof v === 'number') return true;
  return Array.isArray(v) && v.length > 0 && v.every(isNumericNested);
}

/** A nested number array as `{data, shape}`; ragged rows are an error naming the path. */
function fromNested(op: string, v: NestedArray, path: string): ArrayWithShape {
  const shape: number[] = [];
  for (let cur: unknown = v; Array.isArray(cur); cur = cur[0]) shape.push(cur.length);
  const data: number[] = [];
  const walk = (a: unknown, depth: number, at: string): void => {
    if (depth === shape.length) {
      if (typeof a !== 'number') throw new ShapeError(`${op}: ${at} is ${fmtReceived(a)}; expected a number (the array is ragged)`);
      data.push(a);
      return;
    }
    if (!Array.isArray(a) || a.length !== shape[depth]) throw new ShapeError(`${op}: ${at} has ${Array.isArray(a) ? a.length : 'no'} entries, expected ${shape[depth]} (the array is ragged)`);
    a.forEach((e, i) => walk(e, depth + 1, `${at}[${i}]`));
  };
  walk(v, 0, path || 'the array');
  return { data: Float32Array.from(data), shape };
}

/** `struct` with every Tensor and nested array as host `{data, shape}` (the leaves slices take). */
function hostArrays(op: string, v: unknown, path: string): unknown {
  if (v instanceof Tensor) {
    v.assertAlive(`${op}: ${path || 'the tensor'}`);
    const data = v.dataSync();
    return { data: data instanceof Int32Array ? data : Float32Array.from(data), shape: v.shape };
  }
  if (isShaped(v) || ArrayBuffer.isView(v)) return v;
  if (isNumericNested(v)) return fromNested(op, v, path);
  if (Array.isArray(v)) {
    if (v.length === 0) throw new ValueError(`${op}: ${path || 'the argument'} is an empty array; expected arrays of samples`);
    return v.map((e, i) => hostArrays(op, e, `${path}[${i}]`));
  }
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, hostArrays(op, e, `${path}.${k}`)]));
  throw new ValueError(`${op}: expected a Tensor, {data, shape}, a typed array or a nested number array${path ? ` at ${path}` : ''}, received ${fmtReceived(v)}`);
}

function slices<T>(op: string, struct: unknown): Dataset<T> {
  const host = hostArrays(op, struct, '');
  const n = sampleCount(op, host);
  return Dataset.fromFactory(op, function* () {
    for (let i = 0; i < n; i++) yield sliceElement(host, i) as T;
  });
}

/** One element per sample of the arrays in `struct` (see the file comment). */
export function fromTensorSlices<T = unknown>(struct: unknown): Dataset<T> {
  return slices<T>('fromTensorSlices', struct);
}

/** `[xRow, yRow]` per sample; x and y must have the same number of samples. */
export function fromArrays(x: unknown, y: unknown): Dataset<[Sample, Sample]>;
export function fromArrays(x: unknown): Dataset<Sample>;
export function fromArrays(x: unknown, y?: unknown): Dataset<unknown> {
  if (y === undefined) return slices('fromArrays', x);
  const hx = hostArrays('fromArrays', x, 'x');
  const hy = hostArrays('fromArrays', y, 'y');
  const nx = sampleCount('fromArrays', hx);
  const ny = sampleCount('fromArrays', hy);
  if (nx !== ny) throw new ShapeError(`fromArrays: x has ${nx} samples but y has ${ny}; expected the same number`);
  return slices('fromArrays', [hx, hy]);
}

/** A dataset whose every pass is `fn()`: a (sync or async) generator function, or any function returning an iterator. */
export function fromGenerator<T>(fn: () => IterSource<T>): Dataset<T> {
  return Dataset.fromFactory('fromGenerator', fn);
}
