/**
 * The host side of the wasm backend's fused kernel: plans a program once (which values need a
 * scratch slot, which are computed straight into an output, which slots can be reused once a
 * value is dead), then per call encodes the plan with this call's addresses and runs asm/fused.ts's
 * block interpreter in one kernel call. The encoding is described in asm/fused.ts.
 *
 * Inputs are used in place when contiguous; a scalar (every stride 0) fills a slot once; a row
 * vector broadcast over rows (strides 0 except a last 1: a bias) refills a slot per block; any
 * other view is copied to a contiguous scratch block first.
 */
import type { FusedProgram, View } from '../backend.js';
import { BackendError } from '../../core/errors.js';
import { BINARY_CODE, DTYPE_CODE, UNARY_CODE } from './codes.js';
import type { Heap } from './heap.js';
import { isDense } from './layout.js';
import type { Kernels } from './module.js';
import type { Operand, Operands } from './operands.js';
import type { WasmBuffer } from './wasm_backend.js';
import { compileJit, jittable, type JitLayout } from './fused_jit.js';
import type { FusedPartFn } from './gemm_jobs.js';
import type { GemmWorkers } from './gemm_thread.js';

type WView = View<WasmBuffer>;

/**
 * Elements per block: a multiple of 4 (asm/fused.ts). Large enough that the per-instruction
 * dispatch is amortized over 128 f32x4 lanes, small enough that an Adam step's slots (a dozen
 * of 4 KiB) stay in L1/L2.
 */
export const FUSED_BLOCK = 512;
const SLOT_BYTES = FUSED_BLOCK * 8;
/** Room for 512 params and constants. */
const TABLE_BYTES = 4096;
/** Room for the operand addresses of a fused job run on the GEMM workers (gemm_jobs.ts). */
const ARGS_WORDS = 64;
/**
 * Elements from which a fused call is split over the threads by row parts: the MLP's
 * 784x300 and 300x100 weight updates are, a batch-32 bias + relu (9,600) is not.
 */
const THREAD_MIN_ELEMENTS = 16384;

interface Plan {
  /** Per value: its slot (inputs, params, constants and pooled computed values), or -1. */
  readonly slot: Int32Array;
  /** Per value: the output it is computed into, or -1. */
  readonly direct: Int32Array;
  readonly slots: number;
  /** [value, output] for outputs copied from a value block by block. */
  readonly copies: readonly (readonly [number, number])[];
  /** Per const value: its index in the f64 table (after the params), or -1. */
  readonly constIndex: Int32Array;
  readonly consts: readonly number[];
  /** Whether every instruction has an f32x4 form (fused_jit.ts), and how many are computed. */
  readonly jittable: boolean;
  readonly computed: number;
}

function makePlan(p: FusedProgram): Plan {
  const n = p.instrs.length;
  const slot = new Int32Array(n).fill(-1);
  const direct = new Int32Array(n).fill(-1);
  const constIndex = new Int32Array(n).fill(-1);
  const consts: number[] = [];
  const lastUse = new Int32Array(n).fill(-1);
  p.instrs.forEach((ins, k) => {
    const use = (v: number): void => void (lastUse[v] = k);
    if (ins.kind === 'unary') use(ins.a);
    else if (ins.kind === 'binary') (use(ins.a), use(ins.b));
    else if (ins.kind === 'where') (use(ins.cond), use(ins.a), use(ins.b));
  });
  const copies: [number, number][] = [];
  p.outputs.forEach((v, m) => {
    lastUse[v] = n;
    const ins = p.instrs[v];
    const computed = ins !== undefined && (ins.kind === 'unary' || ins.kind === 'binary' || ins.kind === 'where');
    if (computed && direct[v] === -1 && !p.isBool[v]) direct[v] = m;
    else copies.push([v, m]);
  });
  let slots = 0;
  const free: { float: number[]; bool: number[] } = { float: [], bool: [] };
  p.instrs.forEach((ins, k) => {
    if (ins.kind === 'input' || ins.kind === 'param' || ins.kind === 'const') {
      slot[k] = slots++;
      if (ins.kind === 'const') {
        constIndex[k] = p.params + consts.length;
        consts.push(ins.value);
      }
      return;
    }
    // Operands dead after this instruction give their slots back first: the kernels work in
    // place (each element read before it is written). Bool and float slots are kept apart.
    const operands = ins.kind === 'unary' ? [ins.a] : ins.kind === 'binary' ? [ins.a, ins.b] : [ins.cond, ins.a, ins.b];
    for (const v of new Set(operands)) {
      const src = p.instrs[v];
      if (lastUse[v] === k && src && src.kind !== 'input' && src.kind !== 'param' && src.kind !== 'const' && direct[v] === -1) {
        free[p.isBool[v] ? 'bool' : 'float'].push(slot[v] as number);
      }
    }
    if (direct[k] !== -1) return;
    const pool = free[p.isBool[k] ? 'bool' : 'float'];
    slot[k] = pool.pop() ?? slots++;
    if (lastUse[k] === -1) pool.push(slot[k] as number);
  });
  const computed = p.instrs.filter((i) => i.kind === 'unary' || i.kind === 'binary' || i.kind === 'where').length;
  return { slot, direct, slots, copies, constIndex, consts, jittable: jittable(p), computed };
}

/** A view whose only non-zero stride is a last one of 1: a row vector repeated over rows. */
function isRow(v: WView): boolean {
  const r = v.strides.length;
  if (r === 0 || v.strides[r - 1] !== 1) return false;
  for (let i = 0; i < r - 1; i++) if (v.strides[i] !== 0) return false;
  return true;
}

export class FusedHost {
  private readonly plans = new WeakMap<FusedProgram, Plan>();
  /** Generated functions (fused_jit.ts) per program and input layout ('dsr' letters); null: not jittable. */
  private readonly jits = new WeakMap<FusedProgram, Map<string, Jit | null>>();

  /** TABLE_BYTES kept for the params and constants of generated code's calls (the fast path). */
  private readonly table: number;
  /** ARGS_WORDS int32 for a threaded call's operand addresses. */
  private readonly args: number;

  constructor(
    private readonly k: Kernels,
    private readonly heap: Heap,
    private readonly ops: Operands,
    private readonly thread: GemmWorkers | null = null,
  ) {
    this.table = heap.alloc(TABLE_BYTES).ptr;
    this.args = heap.alloc(ARGS_WORDS * 4).ptr;
  }

  /**
   * The hot path (every optimizer step, bias + relu on batch-sized tensors): generated code
   * over a length that is a multiple of 4 with contiguous, scalar or row inputs (rows of a
   * multiple of 4 elements): no scratch, no encoding.
   */
  private tryJit(p: FusedProgram, plan: Plan, inputs: readonly WView[], params: readonly number[], outs: readonly WasmBuffer[], n: number): boolean {
    if (!plan.jittable || n % 4 !== 0 || 8 * (p.params + plan.consts.length) > TABLE_BYTES) return false;
    const addrs: number[] = [];
    const layout: JitLayout[] = [];
    let rowBytes = 0;
    for (let i = 0; i < inputs.length; i++) {
      const v = inputs[i] as WView;
      if (isDense(v.shape, v.strides)) layout.push('dense');
      else if (v.strides.every((x) => x === 0)) layout.push('scalar');
      else if (isRow(v)) {
        const bytes = 4 * (v.shape[v.shape.length - 1] as number);
        if (bytes % 16 !== 0 || (rowBytes !== 0 && rowBytes !== bytes)) return false;
        rowBytes = bytes;
        layout.push('row');
      } else return false;
      addrs.push(this.ops.addr(v));
    }
    const jit = this.jitFor(p, plan, layout);
    if (!jit) return false;
    const t = this.heap.view('float64', this.table, p.params + plan.consts.length);
    for (let i = 0; i < params.length; i++) t[i] = params[i] as number;
    for (let i = 0; i < plan.consts.length; i++) t[p.params + i] = plan.consts[i] as number;
    for (const o of outs) addrs.push(o.ptr);
    // Big enough to split: each thread runs the rows it owns in the weight gradient's product
    // (gemm_jobs.ts's parts), so a weight's update reads the gradient rows that core computed.
    const rows = rowBytes === 0 && n >= THREAD_MIN_ELEMENTS && addrs.length <= ARGS_WORDS ? leadingRows(inputs) : 0;
    if (rows > 0 && this.thread?.fusedReady()) {
      this.heap.int32().set(addrs, this.args >>> 2);
      this.thread.runFused(jit.module, jit.g, this.args, this.table, rows, n / rows, this.k);
      return true;
    }
    addrs.push(this.table, n, rowBytes);
    jit.f(...addrs);
    return true;
  }

  run(p: FusedProgram, inputs: readonly WView[], params: readonly number[], outs: readonly WasmBuffer[]): void {
    const first = outs[0];
    if (!first || first.size === 0) return;
    const dtype = first.dtype;
    if (dtype !== 'float32' && dtype !== 'float64') throw new BackendError(`fused: wasm backend takes float32 or float64, received ${dtype}`);
    let plan = this.plans.get(p);
    if (!plan) this.plans.set(p, (plan = makePlan(p)));
    const n = first.size;
    if (dtype === 'float32' && this.tryJit(p, plan, inputs, params, outs, n)) return;
    const nv = p.instrs.length;
    const computed = plan.computed;
    const words = 3 + 4 * nv + 6 * computed + 2 * plan.copies.length;
    const progBytes = Math.ceil((words * 4) / 8) * 8;
    const tableBytes = 8 * (p.params + plan.consts.length);
    // One block per call (a free-list pop once the heap has one of this size class).
    const area = this.heap.alloc(progBytes + tableBytes + plan.slots * SLOT_BYTES);
    const base = area.ptr;
    const prog = base;
    const table = base + progBytes;
    const slotBase = table + tableBytes;
    const temps: Operand[] = [];
    // The generated loop takes float32 programs of f32x4 ops over contiguous or scalar inputs
    // and runs the first n - n mod 4 elements; the interpreter runs the rest (shifted there).
    let jit = dtype === 'float32' && n >= 4 && plan.jittable && inputs.every((v) => isDense(v.shape, v.strides) || v.strides.every((x) => x === 0));
    const n4 = jit ? n - (n % 4) : 0;
    const shift = n4 * 4;
    const inAddr: number[] = [];
    try {
      // Values first: copies of odd views allocate, and the heap's arrays are valid until then.
      const modes: [number, number, number, number][] = p.instrs.map((ins, v) => {
        const at = slotBase + (plan.slot[v] as number) * SLOT_BYTES;
        switch (ins.kind) {
          case 'input': {
            const view = inputs[ins.index] as WView;
            if (view.buf.dtype !== dtype) throw new BackendError(`fused: input ${ins.index} is ${view.buf.dtype}, the outputs ${dtype}`);
            inAddr[ins.index] = this.ops.addr(view);
            if (isDense(view.shape, view.strides)) return [0, this.ops.addr(view) + shift, 0, 0];
            if (view.strides.every((s) => s === 0)) return [1, at, 1, this.ops.addr(view)];
            if (isRow(view)) return [2, at, this.ops.addr(view), view.shape[view.shape.length - 1] as number];
            const d = this.ops.dense(view);
            temps.push(d);
            jit = false;
            return [0, d.ptr, 0, 0];
          }
          case 'param':
            return [1, at, 0, ins.index];
          case 'const':
            return [1, at, 0, plan.constIndex[v] as number];
          default: {
            const m = plan.direct[v] as number;
            return m >= 0 ? [4, (outs[m] as WasmBuffer).ptr + shift, 0, 0] : [3, at, 0, 0];
          }
        }
      });
      // The interpreter's encoding only when it has elements to run.
      if (n - n4 > 0) {
        const w = this.heap.int32();
        let o = prog >>> 2;
        w[o++] = nv;
        w[o++] = computed;
        w[o++] = plan.copies.length;
        for (const m of modes) for (const x of m) w[o++] = x;
        p.instrs.forEach((ins, v) => {
          if (ins.kind === 'unary') {
            const bool = ins.op === 'logicalNot';
            o = put(w, o, bool ? 1 : 0, UNARY_CODE[ins.op], v, ins.a, 0, 0);
          } else if (ins.kind === 'binary') {
            const logical = ins.op === 'logicalAnd' || ins.op === 'logicalOr';
            o = put(w, o, logical ? 3 : 2, BINARY_CODE[ins.op], v, ins.a, ins.b, 0);
          } else if (ins.kind === 'where') {
            o = put(w, o, p.isBool[ins.cond] ? 4 : 5, 0, v, ins.cond, ins.a, ins.b);
          }
        });
        for (const [v, m] of plan.copies) {
          w[o++] = v;
          w[o++] = (outs[m] as WasmBuffer).ptr + shift;
        }
      }
      const t = this.heap.view('float64', table, p.params + plan.consts.length);
      params.forEach((x, i) => (t[i] = x));
      plan.consts.forEach((x, i) => (t[p.params + i] = x));
      if (jit) {
        const f = this.jitFor(p, plan, inputs.map((v) => (isDense(v.shape, v.strides) ? 'dense' : 'scalar')))?.f;
        if (f) f(...inAddr, ...outs.map((b) => b.ptr), table, n4, 0);
        else throw new BackendError('fused: no generated code for a jittable program (internal error)');
      }
      if (n - n4 > 0) this.k.fused_run(DTYPE_CODE[dtype], prog, table, n - n4, FUSED_BLOCK);
    } finally {
      for (const t of temps) this.ops.release(t);
      this.heap.release(area.ptr, area.cls);
    }
  }

  private jitFor(p: FusedProgram, plan: Plan, layout: readonly JitLayout[]): Jit | null {
    let byLayout = this.jits.get(p);
    if (!byLayout) this.jits.set(p, (byLayout = new Map()));
    const key = layout.map((l) => l[0]).join('');
    let jit = byLayout.get(key);
    if (jit === undefined) {
      const memory = this.heap.memory;
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const module = compileJit(p, layout, plan.constIndex, shared);
      const { f, g } = new WebAssembly.Instance(module, { env: { memory } }).exports;
      jit = typeof f === 'function' && typeof g === 'function' ? { f: f as PartFn, g: g as FusedPartFn, module } : null;
      byLayout.set(key, jit);
    }
    return jit;
  }
}

type PartFn = (...args: number[]) => void;
/** A program's generated code (fused_jit.ts): f over a run of elements, g the same from an offset. */
interface Jit {
  readonly f: PartFn;
  readonly g: FusedPartFn;
  readonly module: WebAssembly.Module;
}

/** The leading dimension of the inputs' common shape (the rows of a weight matrix); 0 when every input is a scalar. */
function leadingRows(inputs: readonly WView[]): number {
  for (const v of inputs) if (!v.strides.every((x) => x === 0)) return v.shape[0] ?? 0;
  return 0;
}

function put(w: Int32Array, o: number, ...xs: number[]): number {
  for (const x of xs) w[o++] = x;
  return o;
}
