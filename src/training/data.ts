/**
 * Turning what users pass to fit/evaluate/predict into tensors, and cutting them into batches.
 *
 * One array of samples (`InputData`) is any of:
 *  - a hebb Tensor (used as is, never copied or disposed);
 *  - `{data, shape}`: a typed array (or number[]) in row-major order with its shape, e.g.
 *    `{data: Float32Array, shape: [n, 28, 28]}`; Int32Array gives int32 (class labels);
 *  - a nested JS array (float32), e.g. `[[0, 1], [1, 0]]`.
 * A model with several inputs (or outputs) takes an array of these in the model's order, or an
 * object keyed by input (output) name. With one input, an array is read as a nested array.
 *
 * The whole dataset goes to the backend once per call; a batch is then a slice (a view, no
 * copy) or, when shuffling, a gather with that batch's indices.
 */
import type { TypedArray } from '../core/dtype.js';
import { ShapeError, ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { Tensor, type NestedArray } from '../core/tensor.js';
import type { Generator } from '../core/random.js';
import { tensor } from '../ops/creation.js';
import { keep, scope } from '../core/engine.js';
import { positiveInt } from '../core/option_values.js';
import { add, mul } from '../ops/elementwise.js';
import { slice } from '../ops/movement.js';
import { sum } from '../ops/reduce.js';
import { gatherInRange } from '../ops/primitives.js';

/** Host values: any typed array or plain numbers. */
export type HostValues =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | readonly number[];

/**
 * Values in row-major order with their shape. Int32Array stays int32 (labels); every other
 * kind becomes float32, as Keras casts inputs to the model's float type (uint8 pixels and
 * labels included: hebb's own Uint8Array dtype is bool, which no model wants).
 */
export interface ArrayWithShape {
  data: HostValues;
  shape: readonly number[];
}

export type InputData = Tensor | ArrayWithShape | NestedArray;
export type ModelData = InputData | readonly InputData[] | Readonly<Record<string, InputData>>;

function isArrayWithShape(d: unknown): d is ArrayWithShape {
  return typeof d === 'object' && d !== null && !Array.isArray(d) && !(d instanceof Tensor) && 'data' in d && 'shape' in d;
}

/** One tensor from one InputData; `owned` when we made it (the caller disposes it). */
export function toTensor(what: string, d: InputData): { tensor: Tensor; owned: boolean } {
  if (d instanceof Tensor) {
    d.assertAlive(what);
    return { tensor: d, owned: false };
  }
  if (isArrayWithShape(d)) {
    const n = d.shape.reduce((a, b) => a * b, 1);
    if (d.data.length !== n) {
      throw new ShapeError(`${what}: shape ${fmtShape(d.shape)} needs ${n} values, received ${d.data.length}`);
    }
    const values = d.data instanceof Int32Array || d.data instanceof Float32Array ? d.data : Float32Array.from(d.data);
    return { tensor: tensor(values, d.shape), owned: true };
  }
  if (typeof d === 'number' || typeof d === 'boolean' || Array.isArray(d)) {
    return { tensor: tensor(d), owned: true };
  }
  throw new ValueError(`${what}: expected a Tensor, {data, shape} or a nested array, received ${fmtReceived(d)}`);
}

/** The tensors of a call's x (or y), one per model input (output), in `names` order. */
export class DataSet {
  private constructor(
    readonly tensors: readonly Tensor[],
    private readonly owned: readonly Tensor[],
  ) {}

  /** `arg` names the argument in errors ('x', 'y', 'validationData[0]', ...). */
  static from(op: string, arg: string, data: ModelData, names: readonly string[]): DataSet {
    const items: [string, InputData][] = [];
    if (names.length > 1) {
      if (Array.isArray(data)) {
        if (data.length !== names.length) {
          throw new ValueError(`${op}: ${arg} must hold ${names.length} arrays (${names.join(', ')}), received an array of ${data.length}`);
        }
        data.forEach((d: InputData, i) => items.push([`${arg}[${i}]`, d]));
      } else if (typeof data === 'object' && data !== null && !(data instanceof Tensor) && !isArrayWithShape(data)) {
        const rec = data as Readonly<Record<string, InputData>>;
        const extra = Object.keys(rec).filter((k) => !names.includes(k));
        if (extra.length > 0) throw new ValueError(`${op}: ${arg} has unknown keys [${extra.join(', ')}]; expected ${names.join(', ')}`);
        for (const n of names) {
          const d = rec[n];
          if (d === undefined) throw new ValueError(`${op}: ${arg} lacks "${n}"; expected keys ${names.join(', ')}`);
          items.push([`${arg}.${n}`, d]);
        }
      } else {
        throw new ValueError(`${op}: the model has ${names.length} ${arg === 'y' || arg.endsWith('[1]') ? 'outputs' : 'inputs'} (${names.join(', ')}); ${arg} must be an array or an object keyed by name, received ${fmtReceived(data)}`);
      }
    } else {
      let d: ModelData = data;
      const only = names[0] ?? '';
      if (typeof d === 'object' && d !== null && !Array.isArray(d) && !(d instanceof Tensor) && !isArrayWithShape(d)) {
        const rec = d as Readonly<Record<string, InputData>>;
        const v = rec[only];
        if (v === undefined) throw new ValueError(`${op}: ${arg} lacks "${only}"; received keys [${Object.keys(rec).join(', ')}]`);
        d = v;
      } else if (Array.isArray(d) && d.some((e: unknown) => e instanceof Tensor || isArrayWithShape(e))) {
        if (d.length !== 1) throw new ValueError(`${op}: the model has one ${arg === 'y' || arg.endsWith('[1]') ? 'output' : 'input'} (${only}); ${arg} holds ${d.length} arrays`);
        d = d[0] as InputData; // [x] for a one-input model, as Keras allows
      }
      items.push([arg, d as InputData]);
    }
    const tensors: Tensor[] = [];
    const owned: Tensor[] = [];
    try {
      for (const [what, d] of items) {
        const { tensor: t, owned: o } = toTensor(`${op}: ${what}`, d);
        if (t.rank === 0) throw new ShapeError(`${op}: ${what} must have a batch dimension, received a scalar`);
        tensors.push(t);
        if (o) owned.push(t);
      }
    } catch (e) {
      for (const t of owned) t.dispose();
      throw e;
    }
    return new DataSet(tensors, owned);
  }

  get length(): number {
    return this.tensors[0]?.shape[0] ?? 0;
  }

  /** All arrays must have the same number of samples. */
  checkLengths(op: string, arg: string): void {
    this.tensors.forEach((t, i) => {
      if (t.shape[0] !== this.length) {
        throw new ValueError(`${op}: all arrays in ${arg} must have the same number of samples: ${arg}[0] has ${this.length}, ${arg}[${i}] has ${t.shape[0]}`);
      }
    });
  }

  /**
   * Each array against its input's declared shape (null: any size), so that a wrong shape is
   * reported with the whole array's shape before anything runs.
   */
  checkShapes(op: string, arg: string, expected: readonly (readonly (number | null)[] | null)[], names: readonly string[]): void {
    this.tensors.forEach((t, i) => {
      const e = expected[i];
      if (!e) return;
      if (t.rank !== e.length || e.some((d, k) => d !== null && d !== t.shape[k])) {
        const where = this.tensors.length > 1 ? `${arg}[${i}]` : arg;
        const want = `[${e.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
        throw new ShapeError(`${op}: input "${names[i]}" expects ${where} of shape ${want}, received shape ${fmtShape(t.shape)}`);
      }
    });
  }

  /**
   * Rejects NaN / ±Infinity (found before training starts). Without `keepHost`, the check runs on
   * the backend (see allFinite) and nothing is read back unless a bad value is there, so a large
   * x never has a host copy; `keepHost` reads whole arrays back and returns them (classWeight needs
   * y's labels).
   */
  async checkFinite(op: string, arg: string, keepHost = true): Promise<TypedArray[]> {
    const host: TypedArray[] = [];
    for (let k = 0; k < this.tensors.length; k++) {
      const t = this.tensors[k] as Tensor;
      const rows = t.shape[0] as number;
      const per = t.size / Math.max(1, rows);
      const isFloat = t.dtype === 'float32' || t.dtype === 'float64';
      if (!keepHost && !isFloat) continue; // int32 and bool values are always finite: nothing to read
      if (keepHost || rows === 0) {
        const v = await t.data();
        if (keepHost) host.push(v);
        if (isFloat) this.rejectNonFinite(op, arg, k, v, 0, per);
        continue;
      }
      const chunk = Math.max(1, Math.floor((1 << 20) / Math.max(1, per)));
      if (await this.allFinite(t, chunk)) continue;
      // Some value is not finite: read the slices back until the first one that holds it.
      for (let start = 0; start < rows; start += chunk) {
        const part = this.rows(t, start, Math.min(chunk, rows - start));
        try {
          this.rejectNonFinite(op, arg, k, await part.data(), start * per, per);
        } finally {
          part.dispose();
        }
      }
    }
    return host;
  }

  /**
   * On the backend, one scalar read: x·0 is 0 for every finite x and NaN for NaN and ±Infinity,
   * so the sum of x·0 is NaN exactly when some value is not finite. Slices of `chunk` rows keep
   * the temporary x·0 small (the pool reuses it slice after slice).
   */
  private async allFinite(t: Tensor, chunk: number): Promise<boolean> {
    const rows = t.shape[0] as number;
    let flag: Tensor | null = null;
    try {
      for (let start = 0; start < rows; start += chunk) {
        const prev: Tensor | null = flag;
        flag = keep(scope(() => {
          const s = sum(mul(this.rows(t, start, Math.min(chunk, rows - start)), 0));
          return prev ? add(prev, s) : s;
        }));
        prev?.dispose();
      }
      return flag === null || Number.isFinite((await flag.data())[0] as number);
    } finally {
      flag?.dispose();
    }
  }

  /** Rows [start, start + size) of t, a view. */
  private rows(t: Tensor, start: number, size: number): Tensor {
    return slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
  }

  private rejectNonFinite(op: string, arg: string, k: number, v: TypedArray, base: number, per: number): void {
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i] as number)) {
        const flat = base + i;
        const where = this.tensors.length > 1 ? `${arg}[${k}]` : arg;
        throw new ValueError(`${op}: ${where} contains ${v[i]} at sample ${Math.floor(flat / per)} (flat index ${flat}); expected finite numbers`);
      }
    }
  }

  /** Samples [start, start + size) as views. */
  range(start: number, size: number): Tensor[] {
    return this.tensors.map((t) => this.rows(t, start, size));
  }

  /**
   * Keras's validationSplit: the LAST `fraction` of the samples (before any shuffling). Both
   * parts must be non-empty (checked before any view is made, so a refusal leaks nothing).
   */
  splitLast(op: string, fraction: number): { train: DataSet; val: DataSet } {
    const n = this.length;
    const at = Math.floor(n * (1 - fraction));
    if (at === 0 || at === n) {
      throw new ValueError(`${op}: validationSplit ${fraction} of ${n} samples leaves ${at} for training and ${n - at} for validation`);
    }
    // The slices are new view tensors (sharing the parent's storage): ours to dispose.
    const train = this.range(0, at);
    const val = this.range(at, n - at);
    return { train: new DataSet(train, train), val: new DataSet(val, val) };
  }

  /**
   * The samples at `indices` (int32, shape [b], in range: fit's own permutation). The indices
   * are not read back to the host (that would be a sync per batch); the backend rejects any
   * out of range.
   */
  take(indices: Tensor): Tensor[] {
    return this.tensors.map((t) => gatherInRange(t, indices, 0));
  }

  /** Frees the tensors this DataSet made (never a user's tensor). */
  dispose(): void {
    for (const t of this.owned) t.dispose();
  }
}

/** One epoch's sample order: a permutation when shuffling, null for the stored order. */
export function epochOrder(n: number, shuffle: boolean, rng: Generator | null): Int32Array | null {
  if (!shuffle) return null;
  if (!rng) throw new ValueError('fit: shuffling needs a random generator');
  // The generator's own Fisher–Yates draws integers without modulo bias (a float in [0, 1)
  // has only 24 random bits, which is visibly non-uniform at n = 55,000).
  return rng.permutation(n);
}

/** Number of batches for n samples (the last one may be short, as in Keras). */
export function numBatches(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

/** Validates batchSize (or validationBatchSize: `name`). */
export function checkBatchSize(op: string, batchSize: number, name = 'batchSize'): void {
  positiveInt(op, name, batchSize);
}
