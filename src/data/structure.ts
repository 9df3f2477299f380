/**
 * What a dataset element is made of, and how `batch` stacks elements.
 *
 * An element is a leaf or a structure of leaves: an array (a tuple such as `[x, y]`) or a plain
 * object (`{x, y}`), nested freely. A leaf is one sample of one array:
 *  - a number (a scalar sample: a regression target, a class id);
 *  - a typed array (a sample of shape [length]);
 *  - `{data, shape}` (a sample of that shape, row-major, as fit's ArrayWithShape).
 * Stacking n samples of shape s gives `{data, shape: [n, ...s]}`: Int32Array data stays int32
 * (class ids), every other kind becomes float32, as fit converts host arrays. Samples live on
 * the host until the training loop uploads one batch at a time, so a dataset never holds more
 * than its buffers (batch, shuffle, prefetch) need.
 */
import { ShapeError, ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import type { ArrayWithShape, HostValues } from '../training/data.js';

/** A batch of samples (or one sample) on the host. */
export interface HostArray {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

export type Leaf = number | HostValues | ArrayWithShape;

export function isShaped(v: unknown): v is ArrayWithShape {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor) && 'data' in v && 'shape' in v;
}

export function isLeaf(v: unknown): v is Leaf {
  return typeof v === 'number' || ArrayBuffer.isView(v) || isShaped(v);
}

/** A leaf's values and shape (a number is shape [], a typed array shape [length]). */
export function leafValues(what: string, v: Leaf): { data: HostValues; shape: readonly number[] } {
  if (typeof v === 'number') return { data: [v], shape: [] };
  if (isShaped(v)) {
    const n = v.shape.reduce((a, b) => a * b, 1);
    if (v.data.length !== n) throw new ShapeError(`${what}: shape ${fmtShape(v.shape)} needs ${n} values, received ${v.data.length}`);
    return { data: v.data, shape: v.shape };
  }
  if (Array.isArray(v)) return { data: v, shape: [v.length] };
  return { data: v as HostValues, shape: [(v as HostValues).length] };
}

/**
 * Calls `fn` on every leaf of the same place in each element (all must have the same
 * structure) and rebuilds the structure from the results. `path` names the place in errors.
 */
export function mapLeaves(what: string, elements: readonly unknown[], fn: (leaves: Leaf[], path: string) => unknown, path = ''): unknown {
  const first = elements[0];
  if (isLeaf(first)) {
    elements.forEach((e, i) => {
      if (!isLeaf(e)) throw new ValueError(`${what}: element ${i} has ${fmtReceived(e)} at ${path || 'the top'}, where element 0 has a sample`);
    });
    return fn(elements as Leaf[], path);
  }
  if (Array.isArray(first)) {
    elements.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== first.length) throw new ValueError(`${what}: element ${i} is ${fmtReceived(e)} at ${path || 'the top'}, where element 0 is an array of ${first.length}`);
    });
    return first.map((_, k) => mapLeaves(what, elements.map((e) => (e as unknown[])[k]), fn, `${path}[${k}]`));
  }
  if (typeof first === 'object' && first !== null && !(first instanceof Tensor)) {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      out[k] = mapLeaves(
        what,
        elements.map((e, i) => {
          const rec = e as Record<string, unknown> | null;
          if (typeof rec !== 'object' || rec === null || !(k in rec)) throw new ValueError(`${what}: element ${i} lacks "${k}" at ${path || 'the top'}`);
          return rec[k];
        }),
        fn,
        `${path}.${k}`,
      );
    }
    return out;
  }
  throw new ValueError(`${what}: expected samples (numbers, typed arrays or {data, shape}) in arrays or objects, received ${fmtReceived(first)} at ${path || 'the top'}`);
}

/** Stacks samples of one shape into a batch `{data, shape: [n, ...shape]}`. */
export function stackLeaves(what: string, leaves: readonly Leaf[], path: string): HostArray {
  const vals = leaves.map((l) => leafValues(what, l));
  const first = vals[0];
  if (!first) throw new ValueError(`${what}: nothing to stack`);
  const per = first.data.length;
  const int = first.data instanceof Int32Array;
  const out = int ? new Int32Array(per * vals.length) : new Float32Array(per * vals.length);
  vals.forEach((v, i) => {
    if (v.shape.length !== first.shape.length || v.shape.some((d, k) => d !== first.shape[k])) {
      throw new ShapeError(`${what}: sample ${i} of the batch has shape ${fmtShape(v.shape)} at ${path || 'the top'}, sample 0 has ${fmtShape(first.shape)}; a batch needs samples of one shape`);
    }
    if (typeof v.data === 'object' && !Array.isArray(v.data) && v.data.length === per && (v.data instanceof Int32Array) === int) out.set(v.data as ArrayLike<number>, i * per);
    else for (let j = 0; j < per; j++) out[i * per + j] = (v.data as ArrayLike<number>)[j] as number;
  });
  return { data: out, shape: [vals.length, ...first.shape] };
}

/** The batch of these elements (see the file comment). */
export function stackElements<T>(what: string, elements: readonly T[]): unknown {
  return mapLeaves(what, elements, (leaves, path) => stackLeaves(what, leaves, path));
}

/**
 * Sample `i` of the arrays in `struct` (leaves with a first, batch, dimension): the structure
 * of one element of `fromTensorSlices`. Rows are subarray views (no copy).
 */
export function sliceElement(struct: unknown, i: number): unknown {
  return mapLeaves('fromTensorSlices', [struct], ([leaf]) => {
    const v = leafValues('fromTensorSlices', leaf as Leaf);
    const rest = v.shape.slice(1);
    const per = rest.reduce((a, b) => a * b, 1);
    // A plain number[] column gives numbers; typed arrays give views, so Int32Array labels stay int32.
    if (Array.isArray(v.data)) return v.shape.length === 1 ? (v.data as number[])[i] : { data: Float32Array.from((v.data as number[]).slice(i * per, (i + 1) * per)), shape: rest };
    const data = (v.data as Float32Array).subarray(i * per, (i + 1) * per);
    return { data, shape: rest };
  });
}

/** The number of samples (first dimension) of every leaf of `struct`; they must agree. */
export function sampleCount(op: string, struct: unknown): number {
  let n: number | null = null;
  mapLeaves(op, [struct], ([leaf], path) => {
    const v = leafValues(op, leaf as Leaf);
    if (v.shape.length === 0) throw new ShapeError(`${op}: ${path || 'the array'} is a scalar; expected arrays with a first (sample) dimension`);
    const m = v.shape[0] as number;
    if (n !== null && m !== n) throw new ShapeError(`${op}: ${path || 'the array'} has ${m} samples, the first array has ${n}; expected the same number`);
    n = m;
    return null;
  });
  return n ?? 0;
}
