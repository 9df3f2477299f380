/**
 * Tensor: an immutable value living in one backend's memory. Variable: the one mutable kind,
 * changed only through `assign`.
 *
 * A tensor is a view (shape, strides, offset) on a reference-counted `Storage`: reshape,
 * transpose, broadcast and slice make new tensors that share storage, so they cost no copy.
 * Kernels never write into a storage that a tensor already reads, which is what makes sharing
 * safe.
 */
import type { Backend, BackendBuffer, View } from '../backends/backend.js';
import { type DType, type TypedArray } from './dtype.js';
import { DisposedError, ShapeError, DTypeError, fmtShape, fmtReceived } from './errors.js';
import { formatValues } from './format.js';
import { contiguousStrides, isContiguous, shapesEqual, sizeOf, type Shape } from './shape.js';

/**
 * A backend buffer shared by the tensors that view it; freed when the last one is disposed.
 * `buf` changes in one place only: a captured step's replay (capture/replay.ts) swaps the new
 * value of a rotating state (a weight, an optimizer slot) into the Storage the JS world holds.
 */
export class Storage {
  refs = 0;
  constructor(
    readonly backend: Backend,
    public buf: BackendBuffer,
  ) {
    storageHook?.(this);
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    this.refs--;
    if (this.refs === 0) {
      if (watched.size > 0 && watched.has(this.buf)) stateVersion++;
      this.backend.free(this.buf);
    }
  }
}

// ---- what captured steps (src/capture/) need to know about state changes

/** Called with every Storage made while set (a step trace learns which Storage holds each buffer). */
let storageHook: ((s: Storage) => void) | null = null;
/** Buffers a captured plan reads: freeing one outside a replay invalidates the plans. */
const watched = new Map<BackendBuffer, number>();
/** Bumped by every Variable.assign and every free of a watched buffer: plans replay only while it is unchanged. */
let stateVersion = 0;

/** @internal Installs (null: removes) the hook called for each new Storage. */
export function setStorageHook(fn: ((s: Storage) => void) | null): void {
  storageHook = fn;
}

/** @internal The state version (see `stateVersion` above). */
export function getStateVersion(): number {
  return stateVersion;
}

/** @internal Watches (or, with false, stops watching) a buffer for frees; counted, as several plans may watch one buffer. */
export function watchBuffer(buf: BackendBuffer, on: boolean): void {
  const n = (watched.get(buf) ?? 0) + (on ? 1 : -1);
  if (n > 0) watched.set(buf, n);
  else watched.delete(buf);
}

let nextTensorId = 1;

/** @internal The id the next tensor will get: tensors with a larger or equal id were made after this call. */
export function peekNextTensorId(): number {
  return nextTensorId;
}

/** Hooks the engine installs so that tensor.ts does not import the engine (no cycle). */
export interface TensorHooks {
  onCreate(t: Tensor): void;
  onDispose(t: Tensor): void;
  /** Returns a contiguous copy (or the tensor itself when already contiguous and whole). */
  materialize(t: Tensor): Tensor;
}

let hooks: TensorHooks | null = null;
export function setTensorHooks(h: TensorHooks): void {
  hooks = h;
}

export type NestedArray = number | boolean | NestedArray[];

/**
 * Node's util.inspect (and so console.log) calls the method under this registered symbol.
 * Symbol.for needs no import of node:util, so the same code runs in a browser, where it is inert.
 */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class Tensor {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** @internal */ storage: Storage;
  /** @internal */ strides: readonly number[];
  /** @internal */ offset: number;
  /** @internal set by `keep`: scopes never dispose it. */ kept = false;
  /**
   * @internal Number of live tape nodes that read or produced this tensor. A scope that ends
   * while a gradient is being taken hands such tensors to its parent scope instead of
   * disposing them, so the backward pass can still read them (a nested `scope` inside the
   * function given to valueAndGrad is then safe).
   */
  tapeHolds = 0;
  private disposedFlag = false;

  /** @internal Tensors are made by ops, never by `new` in user code. */
  constructor(storage: Storage, shape: Shape, dtype: DType, strides?: readonly number[], offset = 0) {
    this.id = nextTensorId++;
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.strides = strides ?? contiguousStrides(shape);
    this.offset = offset;
    storage.retain();
    hooks?.onCreate(this);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** @internal The strided view kernels read. */
  view(): View {
    this.assertAlive('view');
    return { buf: this.storage.buf, shape: this.shape, strides: this.strides, offset: this.offset };
  }

  /** @internal True when the tensor covers its whole buffer in row-major order. */
  isWholeContiguous(): boolean {
    return this.offset === 0 && this.size === this.storage.buf.size && isContiguous(this.shape, this.strides);
  }

  /** @internal */
  assertAlive(what: string): void {
    if (this.disposedFlag) {
      throw new DisposedError(`${what}: ${this.errorLabel()} was already disposed`);
    }
  }

  /** @internal How error messages name this tensor: `tensor 12 of shape [2, 3]`. */
  errorLabel(): string {
    return `tensor ${this.id} of shape ${fmtShape(this.shape)}`;
  }

  /** Resolves to a copy of the values in row-major order. */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    const c = hooks!.materialize(this);
    try {
      return await c.storage.backend.read(c.storage.buf);
    } finally {
      if (c !== this) c.dispose();
    }
  }

  /** Synchronous read; throws on backends whose memory is not CPU-visible. */
  dataSync(): TypedArray {
    this.assertAlive('dataSync');
    const c = hooks!.materialize(this);
    try {
      const b = c.storage.backend;
      if (!b.readSync) throw new DTypeError(`dataSync: backend "${b.name}" only supports async reads; use data()`);
      return b.readSync(c.storage.buf);
    } finally {
      if (c !== this) c.dispose();
    }
  }

  /** Nested JS arrays (numbers; booleans for bool tensors). */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype === 'bool');
  }

  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: expected a tensor with one element, received shape ${fmtShape(this.shape)}`);
    return this.dataSync()[0] as number;
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    this.storage.release();
    hooks?.onDispose(this);
  }

  /** What prints before the values: `Tensor(float32, shape=[2, 3])`. */
  protected reprHeader(extra = ''): string {
    return `Tensor(${this.dtype}, shape=${fmtShape(this.shape)}${extra})`;
  }

  /**
   * dtype, shape and the values, NumPy-style (abbreviated with `...` past 1000 elements):
   * `Tensor(float32, shape=[2]) [1, 2.5]`, and for rank 2 and up the rows on their own lines.
   * Never throws: a disposed tensor says so, and a backend without synchronous reads (one
   * whose memory the CPU cannot see) shows dtype and shape only.
   */
  toString(): string {
    if (this.disposedFlag) return this.reprHeader(', disposed');
    if (!this.storage.backend.readSync) return this.reprHeader(`, on backend "${this.storage.backend.name}": read the values with await data()`);
    let data: TypedArray;
    try {
      data = this.dataSync();
    } catch (e) {
      // Printing is for looking, so it reports rather than throws (a lost device, say).
      return this.reprHeader(`, values unreadable: ${e instanceof Error ? e.message : String(e)}`);
    }
    return `${this.reprHeader()}${this.rank >= 2 ? '\n' : ' '}${formatValues(data, this.shape, this.dtype)}`;
  }

  /** console.log(t) and util.inspect(t) show toString(), not the backend's internals. */
  [INSPECT](): string {
    return this.toString();
  }
}

function nest(values: TypedArray, shape: readonly number[], asBool: boolean): NestedArray {
  const conv = (v: number): number | boolean => (asBool ? v !== 0 : v);
  if (shape.length === 0) return conv(values[0] as number);
  const build = (dim: number, start: number): NestedArray[] => {
    const n = shape[dim] as number;
    const out: NestedArray[] = [];
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out.push(conv(values[start + i] as number));
      return out;
    }
    const step = sizeOf(shape.slice(dim + 1));
    for (let i = 0; i < n; i++) out.push(build(dim + 1, start + i * step));
    return out;
  };
  return build(0, 0);
}

let nextVariableId = 0;

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
}

/**
 * The one mutable tensor. `assign` swaps in new storage; tensors computed from the old value
 * keep the old storage alive for as long as they need it.
 */
export class Variable extends Tensor {
  name: string;
  trainable: boolean;
  /**
   * @internal Set by Layer.addWeight: the layer (`Dense "dense_1"`) and the weight's own name
   * ("kernel"), so that using a disposed model names what was disposed.
   */
  owner: { layer: string; weight: string } | null = null;

  /** @internal Use `variable(initialValue)` to make one. */
  constructor(initial: Tensor, options: VariableOptions = {}) {
    const c = hooks!.materialize(initial);
    super(c.storage, c.shape, c.dtype, c.strides, c.offset);
    if (c !== initial) c.dispose();
    this.kept = true;
    this.name = options.name ?? `variable_${nextVariableId++}`;
    this.trainable = options.trainable ?? true;
  }

  /** `Variable("dense/kernel", float32, shape=[2, 3])`. */
  protected override reprHeader(extra = ''): string {
    return `Variable(${JSON.stringify(this.name)}, ${this.dtype}, shape=${fmtShape(this.shape)}${extra})`;
  }

  /** @internal `variable "dense_1/kernel" (weight "kernel" of Dense "dense_1", shape [784, 30])`. */
  override errorLabel(): string {
    const of = this.owner ? `weight "${this.owner.weight}" of ${this.owner.layer}, ` : '';
    return `variable "${this.name}" (${of}shape ${fmtShape(this.shape)})`;
  }

  /** Replaces the value; the new value must have the variable's shape and dtype. */
  assign(value: Tensor): void {
    this.assertAlive(`assign to "${this.name}"`);
    if (!(value instanceof Tensor)) {
      throw new DTypeError(`assign: value for variable "${this.name}" must be a Tensor, received ${fmtReceived(value)}`);
    }
    value.assertAlive(`assign to "${this.name}"`);
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError(
        `assign: variable "${this.name}" has shape ${fmtShape(this.shape)}, received a value of shape ${fmtShape(value.shape)}`,
      );
    }
    if (value.dtype !== this.dtype) {
      throw new DTypeError(`assign: variable "${this.name}" has dtype ${this.dtype}, received ${value.dtype}`);
    }
    const c = hooks!.materialize(value);
    stateVersion++;
    c.storage.retain();
    this.storage.release();
    this.storage = c.storage;
    this.strides = c.strides;
    this.offset = c.offset;
    if (c !== value) c.dispose();
  }
}
