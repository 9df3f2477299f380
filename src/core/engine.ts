/**
 * The engine: which backend is active, memory scopes, and the hook the autodiff tape uses.
 *
 * Scopes are how Keras-level code never disposes a tensor: `scope(fn)` frees every tensor made
 * while `fn` ran except those it returns and those marked with `keep`. A training step runs in
 * one scope, so a long run keeps a flat memory profile.
 */
import type { Backend } from '../backends/backend.js';
import { builtinBackends } from '../backends/index.js';
import { BackendError, DTypeError, HebbError, ShapeError, SizeLimitError, ValueError, fmtShape } from './errors.js';
import { Storage, Tensor, setTensorHooks } from './tensor.js';
import { DTYPES, bytesPerElement, isDType, type DType } from './dtype.js';
import type { Shape } from './shape.js';

type BackendFactory = () => Backend;

interface Registered {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
}

const registry = new Map<string, Registered>();
/** Built-in backends that cannot run here, with the reason (native without its addon). */
const unavailable = new Map<string, string>();
let active: Backend | null = null;
/** The name `active` was registered under (a backend's own `name` need not match it). */
let activeName: string | null = null;

/** Seeds the registry with the built-in backends, once, on first use (not on import). */
function ensureBuiltins(): void {
  if (registry.size > 0) return;
  for (const b of builtinBackends) {
    const why = b.unavailable?.() ?? null;
    if (why === null) registry.set(b.name, { factory: b.factory, priority: b.priority });
    else unavailable.set(b.name, why);
  }
}

/**
 * Makes a backend available under a name. The highest-priority backend that initialises is the
 * default; `setBackend` or the HEBB_BACKEND environment variable pick one explicitly.
 */
export function registerBackend(name: string, factory: BackendFactory, priority = 0): void {
  ensureBuiltins();
  registry.set(name, { factory, priority });
}

export function listBackends(): string[] {
  ensureBuiltins();
  return [...registry.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}

function instantiate(name: string): Backend {
  ensureBuiltins();
  const r = registry.get(name);
  if (!r) {
    const why = unavailable.get(name);
    if (why !== undefined) throw new BackendError(`setBackend: backend "${name}" is not available here (${why}); available: ${listBackends().join(', ')}`);
    throw new BackendError(`setBackend: no backend named "${name}"; available: ${listBackends().join(', ')}`);
  }
  r.instance ??= r.factory();
  return r.instance;
}

export function findBackend(name: string): Backend {
  return instantiate(name);
}

/** Activates a backend. Tensors made under another backend stay readable but cannot be mixed. */
export function setBackend(name: string): Backend {
  active = instantiate(name);
  activeName = name;
  return active;
}

/** @internal The registered name of the active backend, for code that must restore it. */
export function getBackendName(): string {
  getBackend();
  return activeName as string;
}

export function getBackend(): Backend {
  if (active) return active;
  const env = typeof process !== 'undefined' ? process.env?.['HEBB_BACKEND'] : undefined;
  if (env) return setBackend(env);
  let lastError: unknown = null;
  for (const name of listBackends()) {
    try {
      return setBackend(name);
    } catch (e) {
      lastError = e;
    }
  }
  throw new BackendError(`no backend could be initialised${lastError ? `: ${String(lastError)}` : ''}`);
}

// ---------------------------------------------------------------- scopes and live tensors

interface Scope {
  tensors: Tensor[];
}

const scopes: Scope[] = [];
let liveTensors = 0;

setTensorHooks({
  onCreate(t) {
    liveTensors++;
    scopes[scopes.length - 1]?.tensors.push(t);
  },
  onDispose() {
    liveTensors--;
  },
  materialize(t) {
    return materialize(t);
  },
});

/** Number of tensors not yet disposed (views count separately from their storage). */
export function numTensors(): number {
  return liveTensors;
}

/** Live buffers of the active backend: what leak tests watch. */
export function numBuffers(): number {
  return getBackend().liveBuffers();
}

/** Marks a tensor so that no scope disposes it; the caller owns it. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

/** Collects the tensors in a scope's result (a tensor, or arrays / plain objects of them). */
function collect(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (value instanceof Tensor) {
    into.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, into, depth + 1);
  } else if (value instanceof Map) {
    for (const v of value.values()) collect(v, into, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, depth + 1);
  }
}

/**
 * Runs `fn` and disposes every tensor it made, except the tensors it returns (which move to the
 * enclosing scope) and kept ones. `fn` must be synchronous: tensors made after an `await` would
 * land in whatever scope is open then.
 */
export function scope<T>(fn: () => T): T {
  scopes.push({ tensors: [] });
  let result: T;
  let ok = false;
  try {
    result = fn();
    ok = true;
  } finally {
    const s = scopes.pop()!;
    const survivors = new Set<Tensor>();
    if (ok) {
      if (result! instanceof Promise) {
        for (const t of s.tensors) if (!t.kept) t.dispose();
        // eslint-disable-next-line no-unsafe-finally
        throw new HebbError('scope: the function returned a Promise; scopes only manage synchronous code');
      }
      collect(result!, survivors);
    }
    const parent = scopes[scopes.length - 1];
    for (const t of s.tensors) {
      if (survivors.has(t) || (t.tapeHolds > 0 && parent && !t.kept)) {
        parent?.tensors.push(t);
      } else if (!t.kept) {
        t.dispose();
      }
    }
  }
  return result!;
}

/** `scope` for code that awaits: tensors made during the whole async call are tracked. */
export async function scopeAsync<T>(fn: () => Promise<T>): Promise<T> {
  const s: Scope = { tensors: [] };
  scopes.push(s);
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    removeScope(s);
    for (const t of s.tensors) if (!t.kept) t.dispose();
    throw e;
  }
  removeScope(s);
  const survivors = new Set<Tensor>();
  collect(result, survivors);
  const parent = scopes[scopes.length - 1];
  for (const t of s.tensors) {
    if (survivors.has(t) || (t.tapeHolds > 0 && parent && !t.kept)) parent?.tensors.push(t);
    else if (!t.kept) t.dispose();
  }
  return result;
}

function removeScope(s: Scope): void {
  const i = scopes.lastIndexOf(s);
  if (i >= 0) scopes.splice(i, 1);
}

/** Disposes every tensor in a (possibly nested) value. */
export function dispose(value: unknown): void {
  const set = new Set<Tensor>();
  collect(value, set);
  for (const t of set) t.dispose();
}

// ---------------------------------------------------------------- size limits

/** The user's limit on one tensor's bytes: undefined until first read (then the env or none). */
let userMaxBytes: number | undefined;

function readEnvLimit(): number {
  const env = typeof process !== 'undefined' ? process.env?.['HEBB_MAX_TENSOR_BYTES'] : undefined;
  if (env === undefined || env === '') return Infinity;
  const v = Number(env);
  if (!(v >= 0)) throw new ValueError(`HEBB_MAX_TENSOR_BYTES must be a non-negative number of bytes, received ${JSON.stringify(env)}`);
  return v;
}

/**
 * Limits every tensor a backend allocates to `bytes` bytes (null: back to HEBB_MAX_TENSOR_BYTES,
 * or no limit of its own). A request above it throws SizeLimitError before anything is
 * allocated. It can only lower a backend's own limit (maxTensorBytes() says what applies).
 */
export function setMaxTensorBytes(bytes: number | null): void {
  if (bytes !== null && !(typeof bytes === 'number' && bytes >= 0)) {
    throw new ValueError(`setMaxTensorBytes: bytes must be a non-negative number or null, received ${String(bytes)}`);
  }
  userMaxBytes = bytes ?? readEnvLimit();
}

/** The most bytes one tensor may have on a backend (the active one by default). */
export function maxTensorBytes(backend: Backend = getBackend()): number {
  userMaxBytes ??= readEnvLimit();
  return Math.min(userMaxBytes, backend.maxBufferBytes ?? Infinity);
}

/**
 * @internal The one size check every allocation passes (allocTensor calls it; creation ops
 * call it before building host arrays): dims must be non-negative safe integers, and the
 * tensor must fit the backend's and the user's limits. Returns the element count.
 */
export function checkTensorSize(op: string, shape: Shape, dtype: DType, backend: Backend = getBackend()): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${op}: shape must hold non-negative integers, received ${fmtShape(shape)}`);
    n *= d;
  }
  const bytes = n * bytesPerElement(dtype);
  const maxElements = backend.maxElements ?? Infinity;
  const maxBytes = maxTensorBytes(backend);
  // Past 2^53 a product of dimensions is no longer exact: refused whatever the limits say.
  if (Number.isSafeInteger(n) && n <= maxElements && bytes <= maxBytes) return n;
  const size = Number.isSafeInteger(n) ? `${n} elements, ${bytes} bytes` : 'more than 2^53 elements';
  const what = `${op}: a ${dtype} tensor of shape ${fmtShape(shape)} (${size})`;
  if (!Number.isSafeInteger(n)) throw new SizeLimitError(`${what} is too large for any backend`);
  const own = backend.maxBufferBytes ?? Infinity;
  if (n <= maxElements && maxBytes < own) {
    throw new SizeLimitError(`${what} is above the limit of ${maxBytes} bytes per tensor set by setMaxTensorBytes / HEBB_MAX_TENSOR_BYTES`);
  }
  throw new SizeLimitError(`${what} is above the ${backend.name} backend's limit of ${own} bytes and ${maxElements} elements per tensor (docs/NUMERICS.md)`);
}

// ---------------------------------------------------------------- tensor construction

/**
 * @internal Allocates an output tensor on the active backend (or `backend`), after the size
 * check; `op` names the op in a refusal.
 */
export function allocTensor(shape: Shape, dtype: DType, op = 'allocTensor', backend: Backend = getBackend()): Tensor {
  if (!isDType(dtype)) {
    throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
  }
  if (!backend.supportsDType(dtype)) {
    throw new BackendError(`${op}: backend "${backend.name}" does not support dtype ${dtype}`);
  }
  const buf = backend.alloc(checkTensorSize(op, shape, dtype, backend), dtype);
  return new Tensor(new Storage(backend, buf), shape, dtype);
}

/** @internal A contiguous, whole-buffer tensor with the same values (the tensor itself if it is one). */
export function materialize(t: Tensor): Tensor {
  t.assertAlive('materialize');
  if (t.isWholeContiguous()) return t;
  const backend = t.storage.backend;
  const out = allocTensor(t.shape, t.dtype, 'materialize', backend);
  backend.copy(t.view(), out.view());
  return out;
}
