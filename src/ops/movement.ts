/**
 * Shape manipulation composed from the movement primitives.
 */
import { Tensor } from '../core/tensor.js';
import { ShapeError, fmtReceived, fmtShape } from '../core/errors.js';
import { axesArg, axisArg, intArg, intListArg, tensorArg, tensorListArg } from './args.js';
import { concat, reshape, slice as slicePart } from './primitives_movement.js';

export { broadcastTo, concat, copy, pad, reshape, slice, stopGradient, transpose } from './primitives_movement.js';
export { gather, scatterAdd, cast } from './primitives.js';

/** Inserts a size-1 dimension at `axis` (which may be -1 for the end). */
export function expandDims(xIn: Tensor, axis = 0): Tensor {
  const x = tensorArg('expandDims', 'x', xIn);
  const ax = axisArg('expandDims', 'axis', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 dimensions (all of them, or those listed). */
export function squeeze(xIn: Tensor, axis?: number | readonly number[]): Tensor {
  const x = tensorArg('squeeze', 'x', xIn);
  const axes = axis === undefined ? null : axesArg('squeeze', 'axis', axis, x.rank);
  for (const a of axes ?? []) {
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${fmtShape(x.shape)} has size ${x.shape[a]}, expected 1`);
  }
  return reshape(x, x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
}

/** Joins tensors of equal shape along a new axis. */
export function stack(xsIn: readonly Tensor[], axis = 0): Tensor {
  const xs = tensorListArg('stack', 'xs', xsIn);
  const first = xs[0] as Tensor;
  xs.forEach((x, k) => {
    if (x.rank !== first.rank || x.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(`stack: all tensors must have shape ${fmtShape(first.shape)}, xs[${k}] has ${fmtShape(x.shape)}`);
    }
  });
  const ax = axisArg('stack', 'axis', axis, first.rank + 1);
  return concat(xs.map((x) => expandDims(x, ax)), ax);
}

/** Splits along `axis` into equal parts (a count) or parts of the given sizes. */
export function split(xIn: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const x = tensorArg('split', 'x', xIn);
  const ax = axisArg('split', 'axis', axis, x.rank);
  const dim = x.shape[ax] as number;
  let parts: number[];
  if (typeof sizes === 'number') {
    const count = intArg('split', 'sizes', sizes, 1);
    if (dim % count !== 0) throw new ShapeError(`split: axis ${ax} of size ${dim} does not split into ${count} equal parts`);
    parts = new Array<number>(count).fill(dim / count);
  } else {
    if (!Array.isArray(sizes)) throw new ShapeError(`split: sizes must be a count or an array of part sizes, received ${fmtReceived(sizes)}`);
    parts = intListArg('split', 'sizes', sizes, 0);
    if (parts.reduce((a, b) => a + b, 0) !== dim) throw new ShapeError(`split: sizes ${fmtShape(parts)} must add up to ${dim}, the size of axis ${ax}`);
  }
  let at = 0;
  return parts.map((p) => {
    const begin = x.shape.map((_, i) => (i === ax ? at : 0));
    const size = x.shape.map((d, i) => (i === ax ? p : d));
    at += p;
    return slicePart(x, begin, size);
  });
}
