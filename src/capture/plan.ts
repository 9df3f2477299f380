/**
 * From two traces of consecutive steps to a plan (docs/CAPTURE.md). The traces must have the
 * same structure: the same kernel sequence with the same shapes, strides, dtypes, numbers and
 * programs, except what comes through byRef boxes. Their buffers are matched by role:
 *
 * - `temp`: allocated and freed in the step (the plan owns one, reused by liveness);
 * - `role`: allocated in the step and alive at its end: the new value of a rotating state (a
 *   weight after assign, an optimizer slot, a tracker total). The buffers the first trace let
 *   escape are exactly the pre-existing buffers the second reads in their role (`prev`): so
 *   "input slot r next holds the buffer allocated at call j";
 * - `out`: a declared output (predict's result), fresh at every replay;
 * - `in`: one of the step's batch tensors (re-pointed at each replay, offset included);
 * - `ext`: made before both steps and read as it is (constants, weights the step leaves alone).
 */
import type { BackendBuffer } from '../backends/backend.js';
import type { Storage, Tensor } from '../core/tensor.js';
import { BufArg, DataArg, RefArg, ViewArg, type Arg, type Trace } from './recorder.js';

export type Src =
  | { readonly k: 'temp' | 'role' | 'out' | 'prev'; readonly j: number }
  | { readonly k: 'in'; readonly i: number }
  | { readonly k: 'ext'; readonly buf: BackendBuffer };

/** A buffer argument of the plan. */
export class SBuf {
  constructor(readonly src: Src) {}
}
/** A view argument of the plan; for an input, `offset` is relative to the input tensor's own. */
export class SView {
  constructor(
    readonly src: Src,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset: number,
  ) {}
}
/** An object passed as it is, by reference (a byRef box is an array: it must not be copied). */
export class SRef {
  constructor(readonly obj: object) {}
}
export type SArg = SBuf | SView | SRef | SArg[] | number | string | boolean | null | undefined;

export type SpecEvent = { readonly t: 'call'; readonly m: string; readonly args: SArg[] } | { readonly t: 'host'; readonly fn: () => void } | { readonly t: 'alloc' | 'free'; readonly j: number };

export interface OutputSpec {
  readonly j: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: Tensor['dtype'];
}

export interface PlanSpec {
  readonly events: SpecEvent[];
  /** Per allocation of the second trace: size, dtype and kind. */
  readonly allocs: { readonly size: number; readonly dtype: string; readonly kind: 'temp' | 'role' | 'out' }[];
  /** Per role: the allocation index and the Storage the JS world holds it in. */
  readonly roles: { readonly j: number; readonly storage: Storage }[];
  readonly outputs: OutputSpec[];
  readonly inputCount: number;
}

class Mismatch extends Error {}

function inputMap(t: Trace): Map<BackendBuffer, number> {
  const m = new Map<BackendBuffer, number>();
  t.inputs.forEach((x, i) => {
    if (m.has(x.storage.buf)) throw new Mismatch(`inputs ${m.get(x.storage.buf)} and ${i} share one buffer`);
    m.set(x.storage.buf, i);
  });
  return m;
}

const fmt = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? JSON.stringify(v) : String(v));
const sameLayout = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Compares two traces of consecutive steps; the plan's spec, or the reason there is none. */
export function compareTraces(t1: Trace, t2: Trace): { spec: PlanSpec } | { reason: string } {
  try {
    return { spec: build(t1, t2) };
  } catch (e) {
    if (e instanceof Mismatch) return { reason: e.message };
    throw e;
  }
}

function build(t1: Trace, t2: Trace): PlanSpec {
  if (t1.events.length !== t2.events.length) throw new Mismatch(`the steps differ in length (${t1.events.length} and ${t2.events.length} events)`);
  if (t1.allocs.length !== t2.allocs.length) throw new Mismatch('the steps allocate differently');
  const in1 = inputMap(t1);
  const in2 = inputMap(t2);
  const live1 = new Map<BackendBuffer, number>();
  const live2 = new Map<BackendBuffer, number>();
  const escaped1 = new Map<BackendBuffer, number>();
  t1.allocs.forEach((a, j) => {
    if (!a.freed) escaped1.set(a.buf, j);
  });
  const kind = t2.allocs.map((a) => (a.freed ? 'temp' : 'role') as 'temp' | 'role' | 'out');
  const outputs: OutputSpec[] = t2.outputs.map((o, n) => {
    const j = live2Index(t2, o.storage.buf);
    const o1 = t1.outputs[n];
    if (j !== undefined && kind[j] === 'out') throw new Mismatch(`output ${n} shares its buffer with another output`);
    if (j === undefined || kind[j] !== 'role') throw new Mismatch(`output ${n} is not computed by the step`);
    if (!o1 || live2Index(t1, o1.storage.buf) !== j || o1.offset !== o.offset || !sameLayout(o1.shape, o.shape) || !sameLayout(o1.strides, o.strides)) throw new Mismatch(`output ${n} differs between steps`);
    kind[j] = 'out';
    return { j, shape: o.shape, strides: o.strides, offset: o.offset, dtype: o.dtype };
  });
  if (t1.outputs.length !== t2.outputs.length) throw new Mismatch('the steps return different numbers of outputs');
  // role j's previous value: the buffer of t1 that t2 reads as it (a bijection).
  const prevOf = new Map<number, BackendBuffer>();
  const prevBy = new Map<BackendBuffer, number>();

  const classify = (t: Trace, live: Map<BackendBuffer, number>, ins: Map<BackendBuffer, number>, buf: BackendBuffer, second: boolean): Src => {
    const j = live.get(buf);
    if (j !== undefined) return { k: kind[j] === 'temp' ? 'temp' : kind[j] === 'out' ? 'out' : 'role', j };
    const i = ins.get(buf);
    if (i !== undefined) return { k: 'in', i };
    if (second) {
      const e = escaped1.get(buf);
      if (e !== undefined) return { k: 'prev', j: e };
    }
    return { k: 'ext', buf };
  };
  const sameSrc = (a: Src, b: Src, where: string): void => {
    if (b.k === 'prev' && a.k === 'ext') {
      const known = prevOf.get(b.j);
      const knownJ = prevBy.get(a.buf);
      if ((known && known !== a.buf) || (knownJ !== undefined && knownJ !== b.j)) throw new Mismatch(`${where}: a state buffer is read in two roles`);
      prevOf.set(b.j, a.buf);
      prevBy.set(a.buf, b.j);
      return;
    }
    const ok = a.k === b.k && ('j' in a ? a.j === (b as { j: number }).j : 'i' in a ? a.i === (b as { i: number }).i : a.buf === (b as { buf: BackendBuffer }).buf);
    if (!ok) throw new Mismatch(`${where}: reads a different buffer (${a.k} / ${b.k})`);
  };
  const arg = (a1: Arg, a2: Arg, where: string): SArg => {
    if (a2 instanceof BufArg) {
      if (!(a1 instanceof BufArg)) throw new Mismatch(`${where}: differs`);
      const s2 = classify(t2, live2, in2, a2.buf, true);
      sameSrc(classify(t1, live1, in1, a1.buf, false), s2, where);
      if (s2.k === 'in') throw new Mismatch(`${where}: an input tensor's buffer is passed whole`);
      return new SBuf(s2);
    }
    if (a2 instanceof ViewArg) {
      if (!(a1 instanceof ViewArg) || !sameLayout(a1.shape, a2.shape) || !sameLayout(a1.strides, a2.strides)) throw new Mismatch(`${where}: the view's shape or strides differ`);
      const s1 = classify(t1, live1, in1, a1.buf, false);
      const s2 = classify(t2, live2, in2, a2.buf, true);
      sameSrc(s1, s2, where);
      const off1 = s1.k === 'in' ? a1.offset - (t1.inputs[s1.i] as Tensor).offset : a1.offset;
      const off2 = s2.k === 'in' ? a2.offset - (t2.inputs[s2.i] as Tensor).offset : a2.offset;
      if (off1 !== off2) throw new Mismatch(`${where}: the view's offset differs`);
      return new SView(s2, a2.shape, a2.strides, off2);
    }
    if (a2 instanceof RefArg) {
      if (!(a1 instanceof RefArg)) throw new Mismatch(`${where}: differs`);
      if (a1.obj === a2.obj) return new SRef(a2.obj);
      if (a2.byRef) throw new Mismatch(`${where}: a different byRef object`);
      let same = false;
      try {
        same = JSON.stringify(a1.obj) === JSON.stringify(a2.obj);
      } catch {
        same = false;
      }
      if (!same) throw new Mismatch(`${where}: an object argument differs between steps (${a2.obj.constructor?.name ?? 'object'}: a per-step value not passed by reference)`);
      return new SRef(a2.obj);
    }
    if (a2 instanceof DataArg) {
      const d1 = a1 instanceof DataArg ? a1.data : null;
      if (!d1 || d1.length !== a2.data.length || d1.constructor !== a2.data.constructor || d1.some((v, i) => !Object.is(v, a2.data[i]))) throw new Mismatch(`${where}: host data written in the step differs between steps`);
      return new SRef(a2.data);
    }
    if (Array.isArray(a2)) {
      if (!Array.isArray(a1) || a1.length !== a2.length) throw new Mismatch(`${where}: differs`);
      return a2.map((e, n) => arg(a1[n] as Arg, e, `${where}[${n}]`));
    }
    if (!Object.is(a1, a2)) throw new Mismatch(`${where}: ${fmt(a1)} in one step, ${fmt(a2)} in the next`);
    return a2;
  };

  const events: SpecEvent[] = t2.events.map((e2, n) => {
    const e1 = t1.events[n]!;
    if (e1.t !== e2.t) throw new Mismatch(`event ${n}: ${e1.t} in one step, ${e2.t} in the next`);
    if (e2.t === 'alloc') {
      const j = e2.j;
      const a1 = t1.allocs[j]!;
      const a2 = t2.allocs[j]!;
      if (a1.size !== a2.size || a1.dtype !== a2.dtype || a1.freed !== a2.freed) throw new Mismatch(`allocation ${j} differs between steps`);
      live1.set(a1.buf, j);
      live2.set(a2.buf, j);
      return e2;
    }
    if (e2.t === 'free') {
      const s2 = classify(t2, live2, in2, e2.buf, true);
      sameSrc(classify(t1, live1, in1, (e1 as { buf: BackendBuffer }).buf, false), s2, `free ${n}`);
      if (s2.k === 'temp') return { t: 'free', j: s2.j };
      if (s2.k !== 'prev') throw new Mismatch(`the step frees a buffer it did not make (${s2.k}): state made outside the step and dropped in it`);
      return { t: 'host', fn: noop };
    }
    if (e2.t === 'host') return e2;
    const c1 = e1 as { m: string; args: Arg[] };
    if (c1.m !== e2.m) throw new Mismatch(`event ${n}: kernel ${c1.m} in one step, ${e2.m} in the next`);
    if (c1.args.length !== e2.args.length) throw new Mismatch(`event ${n} (${e2.m}): argument count differs`);
    return { t: 'call', m: e2.m, args: e2.args.map((a, k) => arg(c1.args[k] as Arg, a, `call ${n} (${e2.m}) argument ${k}`)) };
  });

  // Lifetimes: what step 1 let escape, step 2 replaced (freed); nothing else made before is freed.
  for (const [buf, j] of escaped1) {
    if (kind[j] === 'out') continue;
    if (!t2.preFreed.has(buf)) throw new Mismatch(`a buffer the step keeps (allocation ${j}, ${t2.allocs[j]?.dtype}[${t2.allocs[j]?.size}]) is not replaced by the next step: a new object each step`);
  }
  for (const buf of t2.preFreed) if (!escaped1.has(buf)) throw new Mismatch('the step frees a buffer made before the previous step');
  const roles = kind.flatMap((k, j) => {
    if (k !== 'role') return [];
    const storage = t2.allocs[j]!.storage;
    if (!storage) throw new Mismatch(`allocation ${j} stays alive without a Storage (a buffer outside any tensor)`);
    return [{ j, storage }];
  });
  return { events: events.filter((e) => e.t !== 'host' || e.fn !== noop), allocs: t2.allocs.map((a, j) => ({ size: a.size, dtype: a.dtype, kind: kind[j]! })), roles, outputs, inputCount: t2.inputs.length };
}

const noop = (): void => {};

function live2Index(t: Trace, buf: BackendBuffer): number | undefined {
  const j = t.allocs.findIndex((a) => a.buf === buf);
  return j < 0 ? undefined : j;
}
