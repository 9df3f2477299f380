import { ShapeError, ValueError, fmtShape, fmtReceived } from './errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides, in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** True when a view with these strides reads its elements in row-major order without gaps. */
export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    if (d !== 1 && strides[i] !== s) return false;
    s *= d;
  }
  return true;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting: align from the right; each pair of dims must be equal or one of them 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together ` +
          `(dimension ${i - n} is ${da} and ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a possibly negative axis against a rank, with an error that names the op. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(`${op}: axis must be an integer in [${-rank}, ${rank}), received ${fmtReceived(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Resolves an axis argument (undefined = all axes) to sorted, unique, non-negative axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list)) throw new ValueError(`${op}: axis must be a number or an array of numbers, received ${fmtReceived(axis)}`);
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))].sort((x, y) => x - y);
  if (out.length !== list.length) {
    throw new ValueError(`${op}: axes must not repeat, received [${list.join(', ')}]`);
  }
  return out;
}

export function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) {
    throw new ShapeError(`${op}: shape must be an array of non-negative integers, received ${fmtReceived(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: shape must hold non-negative integers, received ${fmtShape(shape)}`);
    }
  }
}
