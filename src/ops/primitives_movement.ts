/**
 * Movement primitives. reshape, transpose, broadcastTo and slice are views: they make a new
 * tensor over the same storage and move no data. concat and pad write a new buffer with the
 * backend's strided `copy`.
 */
import type { View } from '../backends/backend.js';
import { allocTensor } from '../core/engine.js';
import { ShapeError, DTypeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { checkShape, contiguousStrides, isContiguous, normalizeAxis, shapesEqual, sizeOf, type Shape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { record, withoutRecording } from '../autodiff/tape.js';
import { broadcastView, makeView, onActiveBackend } from './primitives.js';
import { axisArg, checkIntegerFor, intListArg, numberArg, tensorArg, tensorListArg } from './args.js';

function live(x: Tensor, op: string, name = 'x'): Tensor {
  return onActiveBackend(tensorArg(op, name, x));
}

/** A contiguous copy of x (the identity, for gradients). */
export function copy(xIn: Tensor): Tensor {
  const x = live(xIn, 'copy');
  const out = allocTensor(x.shape, x.dtype, 'copy');
  x.storage.backend.copy(x.view(), out.view());
  record('copy', [x], out, {});
  return out;
}

/** New shape, same values in row-major order; one dimension may be -1 (inferred). */
export function reshape(xIn: Tensor, shapeIn: Shape): Tensor {
  const x = live(xIn, 'reshape');
  if (!Array.isArray(shapeIn) || !shapeIn.every((d: unknown) => typeof d === 'number' && Number.isSafeInteger(d) && d >= -1)) {
    throw new ShapeError(`reshape: shape must be an array of non-negative integers (one may be -1), received ${fmtReceived(shapeIn)}`);
  }
  const shape = [...shapeIn];
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((_, i) => i !== unknown));
    if (shape.lastIndexOf(-1) !== unknown || known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shapeIn)}`);
    }
    shape[unknown] = x.size / known;
  }
  checkShape('reshape', shape);
  if (sizeOf(shape) !== x.size) {
    throw new ShapeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shapeIn)} (${sizeOf(shape)} elements)`);
  }
  let out: Tensor;
  if (isContiguous(x.shape, x.strides)) {
    out = makeView(x, shape, contiguousStrides(shape), x.offset);
  } else {
    // A transposed or broadcast view has no row-major layout to reinterpret: copy it first.
    const c = withoutRecording(() => copy(x));
    out = makeView(c, shape, contiguousStrides(shape), 0);
    c.dispose();
  }
  record('reshape', [x], out, {});
  return out;
}

/** Permutes the dimensions (reverses them by default). A view: no data moves. */
export function transpose(xIn: Tensor, perm?: readonly number[]): Tensor {
  const x = live(xIn, 'transpose');
  const p = perm === undefined ? x.shape.map((_, i) => x.rank - 1 - i) : intListArg('transpose', 'perm', perm).map((a) => normalizeAxis('transpose', a, x.rank, 'perm'));
  if (p.length !== x.rank || new Set(p).size !== x.rank) {
    throw new ValueError(`transpose: perm must be a permutation of the ${x.rank} axes of a tensor of shape ${fmtShape(x.shape)}, received ${fmtReceived(perm)}`);
  }
  const out = makeView(
    x,
    p.map((i) => x.shape[i] as number),
    p.map((i) => x.strides[i] as number),
    x.offset,
  );
  record('transpose', [x], out, { perm: p });
  return out;
}

/** Stretches size-1 dimensions (and adds leading ones) to `shape`. A view with stride 0. */
export function broadcastTo(xIn: Tensor, shape: Shape): Tensor {
  const x = live(xIn, 'broadcastTo');
  checkShape('broadcastTo', shape);
  const ok =
    shape.length >= x.rank &&
    x.shape.every((d, i) => d === 1 || d === shape[shape.length - x.rank + i]);
  if (!ok) throw new ShapeError(`broadcastTo: cannot broadcast shape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  // Same shape: still a new view (never x itself), so disposing the result leaves x alive.
  const v = shapesEqual(x.shape, shape) ? x : broadcastView(x, shape);
  const out = makeView(x, shape, v.strides, v.offset);
  record('broadcastTo', [x], out, {});
  return out;
}

/** The window [begin, begin + size) of every dimension; size -1 means "to the end". A view. */
export function slice(xIn: Tensor, beginIn: readonly number[], sizeIn?: readonly number[]): Tensor {
  const x = live(xIn, 'slice');
  const begin = intListArg('slice', 'begin', beginIn, 0);
  const size = sizeIn === undefined ? undefined : intListArg('slice', 'size', sizeIn, -1);
  if (begin.length > x.rank || (size && size.length !== begin.length)) {
    throw new ShapeError(`slice: begin and size must have at most rank ${x.rank} entries and match, received begin ${fmtShape(begin)} and size ${size ? fmtShape(size) : 'undefined'}`);
  }
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => {
    const want = size?.[i] ?? -1;
    return want === -1 ? d - (b[i] as number) : want;
  });
  let offset = x.offset;
  for (let i = 0; i < x.rank; i++) {
    const bi = b[i] as number;
    const si = s[i] as number;
    if (!Number.isInteger(bi) || !Number.isInteger(si) || bi < 0 || si < 0 || bi + si > (x.shape[i] as number)) {
      throw new ShapeError(
        `slice: dimension ${i} of shape ${fmtShape(x.shape)} cannot take begin ${bi} and size ${si}`,
      );
    }
    offset += bi * (x.strides[i] as number);
  }
  const out = makeView(x, s, x.strides, offset);
  record('slice', [x], out, { begin: b });
  return out;
}

/** Joins tensors along an existing axis. */
export function concat(xsIn: readonly Tensor[], axis = 0): Tensor {
  const xs = tensorListArg('concat', 'xs', xsIn).map(onActiveBackend);
  const first = xs[0] as Tensor;
  if (first.rank === 0) throw new ShapeError('concat: xs must have rank >= 1 (scalars have no axis to join along); use stack');
  const ax = axisArg('concat', 'axis', axis, first.rank);
  let total = 0;
  xs.forEach((x, k) => {
    const same = x.rank === first.rank && x.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!same) {
      throw new ShapeError(`concat: tensor ${k} has shape ${fmtShape(x.shape)}, expected ${fmtShape(first.shape.map((d, i) => (i === ax ? -1 : d)))} with any size at axis ${ax}`);
    }
    total += x.shape[ax] as number;
  });
  const outShape = first.shape.map((d, i) => (i === ax ? total : d));
  const out = allocTensor(outShape, first.dtype, 'concat');
  const strides = contiguousStrides(outShape);
  let at = 0;
  for (const x of xs) {
    const dst: View = { buf: out.storage.buf, shape: x.shape, strides, offset: at * (strides[ax] as number) };
    if (x.size > 0) x.storage.backend.copy(x.view(), dst);
    at += x.shape[ax] as number;
  }
  record('concat', xs, out, { axis: ax });
  return out;
}

/** Pads with `value` (0 by default): paddings[i] = [before, after] for dimension i. */
export function pad(xIn: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  const x = live(xIn, 'pad');
  const pairs = Array.isArray(paddings) && paddings.length === x.rank && paddings.every((p: unknown) => Array.isArray(p) && p.length === 2 && p.every((d: unknown) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0));
  if (!pairs) {
    throw new ShapeError(`pad: paddings must be ${x.rank} pairs [before, after] of non-negative integers (one per dimension of shape ${fmtShape(x.shape)}), received ${fmtReceived(paddings)}`);
  }
  numberArg('pad', 'value', value);
  checkIntegerFor('pad', 'value', value, x, 'x');
  const outShape = x.shape.map((d, i) => d + (paddings[i]![0] + paddings[i]![1]));
  const out = allocTensor(outShape, x.dtype, 'pad');
  const backend = x.storage.backend;
  backend.fill(out.storage.buf, value);
  const strides = contiguousStrides(outShape);
  const offset = paddings.reduce((acc, [before], i) => acc + before * (strides[i] as number), 0);
  if (x.size > 0) backend.copy(x.view(), { buf: out.storage.buf, shape: x.shape, strides, offset });
  record('pad', [x], out, { paddings: paddings.map(([a, b]) => [a, b] as [number, number]) });
  return out;
}

/** The same values with no gradient flowing back through them. */
export function stopGradient(xIn: Tensor): Tensor {
  const x = live(xIn, 'stopGradient');
  return makeView(x, x.shape, x.strides, x.offset);
}
