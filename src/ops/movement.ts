/**
 * Shape manipulation composed from the movement primitives.
 */
import { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { normalizeAxis } from '../core/shape.js';
import { concat, reshape, slice as slicePart } from './primitives_movement.js';

export { broadcastTo, concat, copy, pad, reshape, slice, stopGradient, transpose } from './primitives_movement.js';
export { gather, scatterAdd, cast } from './primitives.js';

/** Inserts a size-1 dimension at `axis` (which may be -1 for the end). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  const ax = normalizeAxis('expandDims', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 dimensions (all of them, or those listed). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes = axis === undefined ? null : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('squeeze', a, x.rank));
  for (const a of axes ?? []) {
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${fmtShape(x.shape)} has size ${x.shape[a]}, expected 1`);
  }
  return reshape(x, x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
}

/** Joins tensors of equal shape along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError('stack: expects at least one tensor, received none');
  const first = xs[0] as Tensor;
  xs.forEach((x, k) => {
    if (x.rank !== first.rank || x.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(`stack: all tensors must have shape ${fmtShape(first.shape)}, tensor ${k} has ${fmtShape(x.shape)}`);
    }
  });
  return concat(xs.map((x) => expandDims(x, axis)), normalizeAxis('stack', axis, first.rank + 1));
}

/** Splits along `axis` into equal parts (a count) or parts of the given sizes. */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const ax = normalizeAxis('split', axis, x.rank);
  const dim = x.shape[ax] as number;
  let parts: number[];
  if (typeof sizes === 'number') {
    if (dim % sizes !== 0) throw new ShapeError(`split: axis ${ax} of size ${dim} does not split into ${sizes} equal parts`);
    parts = new Array<number>(sizes).fill(dim / sizes);
  } else {
    parts = [...sizes];
    if (parts.reduce((a, b) => a + b, 0) !== dim) throw new ShapeError(`split: sizes [${parts.join(', ')}] must add up to ${dim}`);
  }
  let at = 0;
  return parts.map((p) => {
    const begin = x.shape.map((_, i) => (i === ax ? at : 0));
    const size = x.shape.map((d, i) => (i === ax ? p : d));
    at += p;
    return slicePart(x, begin, size);
  });
}
