/**
 * Recording a step at the backend (docs/CAPTURE.md): while `record` runs the step, the active
 * backend instance's methods are wrapped in place (and restored after), so every alloc, free,
 * write and kernel call the step makes is recorded with its arguments, in order, along with
 * the onHost callbacks (capture/host.ts) and the Storage of each buffer allocated. A read
 * (read/readSync) or a method that returns a value makes the step uncapturable: its result
 * steers the step's JavaScript, which a replay does not run. The step itself runs as usual.
 *
 * Arguments are snapshotted as they are passed: buffers and views by buffer identity, arrays
 * element by element, numbers and strings as values, typed arrays (write's data) copied, and
 * other objects (a fused program, a byRef box) by reference.
 */
import type { Backend, BackendBuffer } from '../backends/backend.js';
import type { TypedArray } from '../core/dtype.js';
import { setStorageHook, type Storage, type Tensor } from '../core/tensor.js';
import { isByRef, setHostListener } from './host.js';

/** A buffer argument (a kernel's `out`). */
export class BufArg {
  constructor(readonly buf: BackendBuffer) {}
}
/** A view argument: its buffer, and its layout copied. */
export class ViewArg {
  constructor(
    readonly buf: BackendBuffer,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset: number,
  ) {}
}
/** An object passed by reference (a byRef box, a fused program). */
export class RefArg {
  constructor(
    readonly obj: object,
    readonly byRef: boolean,
  ) {}
}
/** Host data (write's array), copied when recorded. */
export class DataArg {
  constructor(readonly data: TypedArray) {}
}
export type Arg = BufArg | ViewArg | RefArg | DataArg | Arg[] | number | string | boolean | null | undefined;

export type TraceEvent =
  | { readonly t: 'alloc'; readonly j: number }
  | { readonly t: 'free'; readonly buf: BackendBuffer }
  | { readonly t: 'call'; readonly m: string; readonly args: Arg[] }
  | { readonly t: 'host'; readonly fn: () => void };

export interface AllocInfo {
  readonly size: number;
  readonly dtype: string;
  readonly buf: BackendBuffer;
  freed: boolean;
  storage: Storage | null;
}

export interface Trace {
  readonly events: TraceEvent[];
  readonly allocs: AllocInfo[];
  /** Buffers made before the step that it freed (the old values of rotating state). */
  readonly preFreed: Set<BackendBuffer>;
  readonly refused: string[];
  /** The step's inputs (the batch), and what it returned (predict's outputs), as given. */
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
}

/** The methods a step reaches the backend through; others are wrapped too, as kernels. */
const NOT_RECORDED = new Set(['constructor', 'supportsDType', 'liveBuffers', 'runPlan']);
const READS = new Set(['read', 'readSync']);

function isBuffer(v: object, name: string): v is BackendBuffer {
  return (v as { backend?: unknown }).backend === name && typeof (v as { size?: unknown }).size === 'number' && typeof (v as { dtype?: unknown }).dtype === 'string';
}

function snap(v: unknown, name: string): Arg {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v !== 'object') return new RefArg(v as object, false);
  if (ArrayBuffer.isView(v)) return new DataArg((v as TypedArray).slice() as TypedArray);
  if (isByRef(v)) return new RefArg(v, true);
  if (Array.isArray(v)) return v.map((e) => snap(e, name));
  if (isBuffer(v, name)) return new BufArg(v);
  const view = v as { buf?: object; shape?: number[]; strides?: number[]; offset?: number };
  if (view.buf && isBuffer(view.buf, name) && Array.isArray(view.shape) && Array.isArray(view.strides)) {
    return new ViewArg(view.buf, [...view.shape], [...view.strides], view.offset ?? 0);
  }
  return new RefArg(v, false);
}

/** Every function-valued method of the backend instance (own and inherited) that a step may call. */
export function backendMethods(backend: Backend): string[] {
  const names = new Set<string>();
  for (let o: object | null = backend; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (NOT_RECORDED.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d && typeof d.value === 'function') names.add(k);
    }
  }
  return [...names];
}

/**
 * Runs `fn` (the step) on `backend` and records it. `inputs` are the step's batch tensors;
 * `outputsOf` says which of fn's result are outputs (predict). Throws what fn throws, after
 * restoring the backend.
 */
export function record<R>(backend: Backend, inputs: readonly Tensor[], fn: () => R, outputsOf: (r: R) => readonly Tensor[]): { result: R; trace: Trace } {
  const events: TraceEvent[] = [];
  const allocs: AllocInfo[] = [];
  const byBuf = new Map<BackendBuffer, number>();
  const preFreed = new Set<BackendBuffer>();
  const refused: string[] = [];
  const name = backend.name;
  const target = backend as unknown as Record<string, unknown>;
  const saved: [string, boolean, unknown][] = [];
  // A kernel may call the backend's own methods (a copy before a matmul): only the outermost call is the step's.
  let depth = 0;
  const wrap = (m: string, orig: (...a: unknown[]) => unknown): ((...a: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]): unknown {
      if (depth > 0) return orig.apply(backend, args);
      depth++;
      try {
        if (m === 'alloc') {
          const buf = orig.apply(backend, args) as BackendBuffer;
          byBuf.set(buf, allocs.length);
          events.push({ t: 'alloc', j: allocs.length });
          allocs.push({ size: args[0] as number, dtype: String(args[1]), buf, freed: false, storage: null });
          return buf;
        }
        if (m === 'free') {
          const buf = args[0] as BackendBuffer;
          const j = byBuf.get(buf);
          if (j === undefined) preFreed.add(buf);
          else (allocs[j] as AllocInfo).freed = true;
          events.push({ t: 'free', buf });
          return orig.apply(backend, args);
        }
        if (READS.has(m)) refused.push(`the step reads a value back (backend.${m}: a dataSync, item or data inside the step)`);
        else events.push({ t: 'call', m, args: args.map((a) => snap(a, name)) });
        const r = orig.apply(backend, args);
        if (r !== undefined && !READS.has(m)) refused.push(`backend.${m} returned a value the step's JavaScript may use`);
        return r;
      } finally {
        depth--;
      }
    };
  // A sealed or frozen backend instance cannot be wrapped: its steps run the ordinary way.
  const wrappable = Object.isExtensible(backend) && !Object.isFrozen(backend);
  if (!wrappable) refused.push(`the ${name} backend instance cannot be wrapped (frozen or sealed)`);
  for (const m of wrappable ? backendMethods(backend) : []) {
    const own = Object.prototype.hasOwnProperty.call(target, m);
    const orig = target[m] as (...a: unknown[]) => unknown;
    saved.push([m, own, own ? orig : undefined]);
    target[m] = wrap(m, orig);
  }
  const prevListener = setHostListener({
    host: (fn) => void events.push({ t: 'host', fn }),
    refuse: (reason) => void refused.push(reason),
  });
  setStorageHook((s) => {
    const j = byBuf.get(s.buf);
    if (j !== undefined) (allocs[j] as AllocInfo).storage ??= s;
  });
  try {
    const result = fn();
    return { result, trace: { events, allocs, preFreed, refused, inputs, outputs: outputsOf(result) } };
  } finally {
    setStorageHook(null);
    setHostListener(prevListener);
    for (const [m, own, orig] of saved) {
      if (own) target[m] = orig;
      else delete target[m];
    }
  }
}
