/**
 * A plan, replayed (docs/CAPTURE.md): a flat list of kernel calls on prebuilt arguments, built
 * once from a PlanSpec (capture/plan.ts). Temps are allocated once (a buffer freed in the step is
 * reused by a later allocation of the same size and dtype); each rotating state has a spare
 * buffer that receives its new value, and after the calls the new value is swapped into the
 * Storage the JS world holds (the Variable's, the optimizer slot's), so every holder sees it
 * without its JavaScript running. Where the backend allows it (Backend.fusedInPlace), a state
 * whose new value is one fused kernel's output over its last read of the old value (an
 * optimizer's update of a weight and its slots) is written in place instead: no spare, one
 * buffer less per state in the cache (inPlaceRoles below). Arguments that change per replay
 * (the batch, the current value of each state, predict's fresh outputs) are patched into the
 * prebuilt views first.
 */
import type { Backend, BackendBuffer } from '../backends/backend.js';
import type { DType } from '../core/dtype.js';
import { Storage, Tensor, getStateVersion, watchBuffer } from '../core/tensor.js';
import { SBuf, SRef, SView, type PlanSpec, type SArg, type Src } from './plan.js';

/** Which Storage each rotating buffer belongs to, across plans: another plan reads it through the Storage. */
const rotating = new Map<BackendBuffer, Storage>();

type Op = { readonly f: (...a: unknown[]) => unknown; readonly args: unknown[] } | { readonly fn: () => void };

/** Where a per-replay buffer goes: obj[key] (a view's buf, an array slot), and for an input view its offset. */
interface Site {
  readonly obj: Record<string | number, unknown>;
  readonly key: string | number;
  readonly delta?: number;
}

export class Plan {
  private readonly ops: Op[] = [];
  /** Plan-owned buffers: temps and spares (freed by dispose). */
  private readonly owned: BackendBuffer[] = [];
  /** Per role, the buffer that receives its new value; null for a role updated in place. */
  private readonly spares: (BackendBuffer | null)[];
  /** How many roles are updated in place. */
  readonly inPlace: number;
  private readonly roleStorages: Storage[];
  /**
   * Each role Storage's holder count when the plan was built. The swap at replay changes the
   * values every holder sees; a holder the ordinary step would not have touched (a view of a
   * weight made since, e.g. hb.reshape(variable) in a callback) must keep the old values, as
   * Variable.assign's storage swap leaves them. So a changed count stops the plan: the ordinary
   * step runs, and a later trace builds a new one.
   */
  private readonly roleRefs: number[];
  private readonly watchedBufs: BackendBuffer[] = [];
  /** Per-replay bindings: roles' previous values, spares, inputs, outputs, other plans' states. */
  private readonly prevSites = new Map<number, Site[]>();
  private readonly spareSites = new Map<number, Site[]>();
  private readonly inputSites = new Map<number, Site[]>();
  private readonly outSites = new Map<number, Site[]>();
  private readonly extSites = new Map<Storage, Site[]>();
  private version: number;
  private disposed = false;

  constructor(
    private readonly backend: Backend,
    private readonly spec: PlanSpec,
    originals: Readonly<Record<string, (...a: unknown[]) => unknown>>,
  ) {
    const roleIndex = new Map(spec.roles.map((r, n) => [r.j, n]));
    this.roleStorages = spec.roles.map((r) => r.storage);
    this.roleRefs = this.roleStorages.map((st) => st.refs);
    const inPlace = backend.fusedInPlace ? inPlaceRoles(spec) : new Set<number>();
    this.inPlace = inPlace.size;
    this.spares = spec.roles.map((r, n) => {
      rotating.set(r.storage.buf, r.storage);
      if (inPlace.has(n)) return null;
      const b = backend.alloc(spec.allocs[r.j]!.size, spec.allocs[r.j]!.dtype as DType);
      rotating.set(b, r.storage);
      return b;
    });
    const temps = new Map<number, BackendBuffer>();
    const pool = new Map<string, BackendBuffer[]>();
    const key = (j: number): string => `${this.spec.allocs[j]!.dtype}:${this.spec.allocs[j]!.size}`;
    for (const e of spec.events) {
      if (e.t === 'alloc' && spec.allocs[e.j]!.kind === 'temp') {
        const free = pool.get(key(e.j));
        let b = free?.pop();
        if (!b) {
          b = backend.alloc(spec.allocs[e.j]!.size, spec.allocs[e.j]!.dtype as DType);
          this.owned.push(b);
        }
        temps.set(e.j, b);
      } else if (e.t === 'free') {
        const list = pool.get(key(e.j)) ?? [];
        list.push(temps.get(e.j)!);
        pool.set(key(e.j), list);
      } else if (e.t === 'host') {
        this.ops.push({ fn: e.fn });
      } else if (e.t === 'call') {
        const f = originals[e.m];
        if (!f) throw new Error(`capture: backend method ${e.m} is missing`);
        const args: unknown[] = [];
        e.args.forEach((a, k) => {
          args.push(null);
          this.bindArg(a, args as unknown as Record<number, unknown>, k, temps, roleIndex);
        });
        this.ops.push({ f, args });
      }
    }
    this.version = getStateVersion();
  }

  private watch(b: BackendBuffer): void {
    watchBuffer(b, true);
    this.watchedBufs.push(b);
  }

  private site(map: Map<number, Site[]> | Map<Storage, Site[]>, k: number | Storage, s: Site): void {
    const m = map as Map<number | Storage, Site[]>;
    const list = m.get(k) ?? [];
    list.push(s);
    m.set(k, list);
  }

  /** Puts the value for argument `a` at obj[key], now (fixed buffers) or at each replay (sites). */
  private bindArg(a: SArg, obj: Record<string | number, unknown>, key: string | number, temps: Map<number, BackendBuffer>, roleIndex: Map<number, number>): void {
    if (a instanceof SBuf || a instanceof SView) {
      let target = obj;
      let k: string | number = key;
      if (a instanceof SView) {
        const v: Record<string, unknown> = { buf: null, shape: a.shape, strides: a.strides, offset: a.offset };
        obj[key] = v;
        target = v;
        k = 'buf';
      }
      const src: Src = a.src;
      const delta = a instanceof SView ? a.offset : 0;
      switch (src.k) {
        case 'temp':
          target[k] = temps.get(src.j);
          return;
        case 'role':
          return this.site(this.spareSites, roleIndex.get(src.j)!, { obj: target, key: k });
        case 'prev':
          return this.site(this.prevSites, roleIndex.get(src.j)!, { obj: target, key: k });
        case 'out':
          return this.site(this.outSites, src.j, { obj: target, key: k });
        case 'in':
          return this.site(this.inputSites, src.i, { obj: target, key: k, delta });
        case 'ext': {
          const st = rotating.get(src.buf);
          if (st) return this.site(this.extSites, st, { obj: target, key: k });
          this.watch(src.buf);
          target[k] = src.buf;
          return;
        }
      }
    }
    if (a instanceof SRef) {
      obj[key] = a.obj;
      return;
    }
    if (Array.isArray(a)) {
      const arr: unknown[] = a.map(() => null);
      obj[key] = arr;
      a.forEach((e, n) => this.bindArg(e, arr as unknown as Record<number, unknown>, n, temps, roleIndex));
      return;
    }
    obj[key] = a;
  }

  /** Whether the plan may replay: nothing changed the state it reads since its last run. */
  valid(): boolean {
    if (this.disposed || getStateVersion() !== this.version) return false;
    for (let n = 0; n < this.roleStorages.length; n++) if (this.roleStorages[n]!.refs !== this.roleRefs[n]) return false;
    for (const s of this.extSites.keys()) if (s.refs <= 0) return false;
    return true;
  }

  /** One step: the kernels on `inputs` (same signature as the traced batch); predict's outputs as new tensors. */
  replay(inputs: readonly Tensor[]): Tensor[] {
    const set = (sites: Site[] | undefined, b: BackendBuffer): void => {
      if (sites) for (const s of sites) s.obj[s.key] = b;
    };
    this.roleStorages.forEach((st, n) => {
      set(this.prevSites.get(n), st.buf);
      set(this.spareSites.get(n), this.spares[n] ?? st.buf);
    });
    for (const [i, sites] of this.inputSites) {
      const t = inputs[i]!;
      for (const s of sites) {
        s.obj[s.key] = t.storage.buf;
        s.obj['offset'] = t.offset + (s.delta ?? 0);
      }
    }
    for (const [st, sites] of this.extSites) set(sites, st.buf);
    const outBufs = new Map<number, BackendBuffer>();
    for (const [j, sites] of this.outSites) {
      const b = this.backend.alloc(this.spec.allocs[j]!.size, this.spec.allocs[j]!.dtype as DType);
      outBufs.set(j, b);
      set(sites, b);
    }
    const backend = this.backend;
    for (const op of this.ops) {
      if ('fn' in op) op.fn();
      else op.f.apply(backend, op.args);
    }
    this.roleStorages.forEach((st, n) => {
      const spare = this.spares[n];
      if (!spare) return;
      this.spares[n] = st.buf;
      st.buf = spare;
    });
    return this.spec.outputs.map((o) => new Tensor(new Storage(backend, outBufs.get(o.j)!), o.shape, o.dtype, o.strides, o.offset));
  }

  /** Frees what the plan owns (temps, spares); the states' current buffers stay with their Storages. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.watchedBufs) watchBuffer(b, false);
    for (const b of this.spares) {
      if (!b) continue;
      rotating.delete(b);
      this.backend.free(b);
    }
    for (const st of this.roleStorages) rotating.delete(st.buf);
    for (const b of this.owned) this.backend.free(b);
  }
}

/** Whether a view reads a whole buffer of `size` elements in order (offset 0, row-major strides). */
function wholeDense(v: SView, size: number): boolean {
  if (v.offset !== 0) return false;
  let expect = 1;
  for (let k = v.shape.length - 1; k >= 0; k--) {
    const n = v.shape[k] as number;
    if (n !== 1 && v.strides[k] !== expect) return false;
    expect *= n;
  }
  return expect === size;
}

function visit(a: SArg, f: (x: SBuf | SView) => void): void {
  if (a instanceof SBuf || a instanceof SView) f(a);
  else if (Array.isArray(a)) for (const e of a) visit(e, f);
}

/**
 * The roles (indices into spec.roles) a replay may update in place: the role's new value is
 * first written as an output of a `fused` call, that call is the last to read the role's
 * previous value, and it reads it only as whole dense inputs (element i of the input feeds
 * element i of the output, which Backend.fusedInPlace makes safe to overwrite). Any other use
 * of the old value after the update, or a kernel other than fused writing the new one, keeps
 * the spare buffer.
 */
export function inPlaceRoles(spec: PlanSpec): Set<number> {
  const firstUse = new Map<number, number>();
  const writer = new Map<number, number>();
  const lastRead = new Map<number, number>();
  spec.events.forEach((e, n) => {
    if (e.t !== 'call') return;
    visit(e.args, (x) => {
      if (x.src.k === 'prev') lastRead.set(x.src.j, n);
      if (x.src.k === 'role' && !firstUse.has(x.src.j)) firstUse.set(x.src.j, n);
    });
    const outs = e.args[3];
    if (e.m === 'fused' && Array.isArray(outs)) {
      for (const o of outs) if (o instanceof SBuf && o.src.k === 'role' && !writer.has(o.src.j)) writer.set(o.src.j, n);
    }
  });
  const out = new Set<number>();
  spec.roles.forEach((r, n) => {
    const w = writer.get(r.j);
    if (w === undefined || firstUse.get(r.j) !== w || (lastRead.get(r.j) ?? -1) > w) return;
    const call = spec.events[w] as { readonly args: SArg[] };
    const size = spec.allocs[r.j]!.size;
    let ok = true;
    call.args.forEach((a, k) =>
      visit(a, (x) => {
        if (x.src.k === 'prev' && x.src.j === r.j && !(k === 1 && x instanceof SView && wholeDense(x, size))) ok = false;
      }),
    );
    if (ok) out.add(n);
  });
  return out;
}
