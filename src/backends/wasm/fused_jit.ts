/**
 * Code generation for the fused kernel: a float32 program whose instructions all have a
 * one-instruction f32x4 form (add, sub, mul, div, maximum, minimum, neg, abs, sqrt, floor,
 * comparisons, logical ops, where) becomes a small wasm function — one loop over f32x4 lanes,
 * every value in a v128 local — compiled once per program and input layout and run over the
 * memory the kernels share. It computes what asm/fused.ts's interpreter computes lane for lane
 * (the same f32x4 instructions the separate kernels use). An input is contiguous, a scalar
 * (splat once) or a row vector repeated over rows whose length is a multiple of 4 (a bias:
 * read at the byte offset j within the row, which wraps to 0 at the row's end). The last
 * n mod 4 elements, other row broadcasts, float64 and the other ops stay with the interpreter. This is the specialized
 * code the interpreter is slower than: the MLP's Adam step took ~0.3 ms this way against
 * ~1.4 ms interpreted (medians, one thread, a busy machine).
 *
 * What keeps the loop as short as a hand-written one (docs/BENCHMARKS.md, "The optimizer step
 * and the guard"): values that do not change along the loop (params, constants, scalar inputs
 * and what is computed from them alone) are computed before it, equal constants share a
 * local, a select against +0 is one and, and the optimizers' scalar guard (where(ok, new,
 * old) on every output) is decided once per call: the loop is emitted twice, for ok and for
 * not ok, each with only the values its outputs need, so the step that is taken has no
 * selects at all.
 */
import type { FusedProgram } from '../backend.js';

const SIMD_BINARY: Partial<Record<string, number>> = {
  add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7, minimum: 0xe8, maximum: 0xe9,
  equal: 0x41, notEqual: 0x42, less: 0x43, greater: 0x44, lessEqual: 0x45, greaterEqual: 0x46,
  logicalAnd: 0x4e, logicalOr: 0x50,
};
const SIMD_UNARY: Partial<Record<string, number>> = { abs: 0xe0, neg: 0xe1, sqrt: 0xe3, floor: 0x68, logicalNot: 0x4d };

/** Whether every instruction of `p` has an f32x4 form. */
export function jittable(p: FusedProgram): boolean {
  return p.instrs.every((i) => (i.kind === 'unary' ? SIMD_UNARY[i.op] !== undefined : i.kind === 'binary' ? SIMD_BINARY[i.op] !== undefined : true));
}

function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function section(id: number, body: number[], out: number[]): void {
  out.push(id);
  uleb(body.length, out);
  out.push(...body);
}

function str(s: string, out: number[]): void {
  uleb(s.length, out);
  for (const c of s) out.push(c.charCodeAt(0));
}

/** How the generated code reads an input: contiguous, one element splat, or a repeated row. */
export type JitLayout = 'dense' | 'scalar' | 'row';

/**
 * The module for `p` with inputs laid out as `layout` says. Its export
 * f(in0, ..., out0, ..., table, n4, rowBytes) runs the first n4 elements (a multiple of 4);
 * `table` holds the params and then `consts` as f64; `rowBytes` is the length in bytes of the
 * row inputs' rows (a multiple of 16; unused without row inputs). Its second export, g, runs f
 * from an offset (shifted below).
 */
export function compileJit(p: FusedProgram, layout: readonly JitLayout[], constIndex: Int32Array, shared: boolean): WebAssembly.Module {
  const nIn = p.inputs;
  const nOut = p.outputs.length;
  const P = nIn + nOut + 3;
  const TABLE = nIn + nOut;
  const N4 = TABLE + 1;
  const ROW = TABLE + 2;
  const END = P;
  const I = P + 1;
  const J = P + 2;
  const nv = p.instrs.length;
  const V = (k: number): number => P + 3 + k;
  // A float condition as a lane mask (f32x4.ne(cond, 0)), one local per condition value.
  const M = (k: number): number => P + 3 + nv + k;
  const hasRow = layout.includes('row');
  const instr = (k: number): FusedProgram['instrs'][number] => p.instrs[k] as FusedProgram['instrs'][number];
  // Equal constants share one local (the builder makes one per literal): fewer live registers.
  const canon = new Int32Array(nv).map((_, k) => k);
  const firstConst = new Map<string, number>();
  p.instrs.forEach((ins, k) => {
    if (ins.kind !== 'const') return;
    const key = Object.is(ins.value, -0) ? '-0' : String(ins.value);
    const at = firstConst.get(key);
    if (at === undefined) firstConst.set(key, k);
    else canon[k] = at;
  });
  const al = (v: number): number => canon[v] as number;
  // Loop-invariant values (params, constants, scalar inputs and whatever is computed from
  // them only) are computed once before the loop.
  const inv = new Uint8Array(nv);
  p.instrs.forEach((ins, k) => {
    if (ins.kind === 'input') inv[k] = layout[ins.index] === 'scalar' ? 1 : 0;
    else if (ins.kind === 'param' || ins.kind === 'const') inv[k] = 1;
    else if (ins.kind === 'unary') inv[k] = inv[ins.a] as number;
    else if (ins.kind === 'binary') inv[k] = (inv[ins.a] as number) & (inv[ins.b] as number);
    else inv[k] = (inv[ins.cond] as number) & (inv[ins.a] as number) & (inv[ins.b] as number);
  });
  // An invariant condition is the same in every lane. The first one that selects between
  // varying values (the optimizers' guard: where(ok, new, old) per output) is decided once,
  // and the loop is emitted twice, each with that condition's selects resolved and what the
  // other side needed left out: the taken step has no selects, the skipped one only copies.
  let split = -1;
  p.instrs.forEach((ins, k) => {
    if (split === -1 && ins.kind === 'where' && inv[ins.cond] && !inv[k]) split = ins.cond;
  });
  const isZero = (v: number): boolean => {
    const ins = instr(v);
    return ins.kind === 'const' && Object.is(ins.value, 0);
  };
  const c: number[] = [];
  const simd = (op: number): void => {
    c.push(0xfd);
    uleb(op, c);
  };
  const get = (l: number): void => (c.push(0x20), uleb(l, c));
  const set = (l: number): void => (c.push(0x21), uleb(l, c));
  const zeros = (): void => {
    simd(0x0c);
    for (let j = 0; j < 16; j++) c.push(0);
  };
  /** The lane mask of condition value v: a bool value is one; a float one is nonzero lanes (NaN included). */
  const mask = (v: number): void => {
    if (p.isBool[v]) return get(V(v));
    if (inv[v]) return get(M(v));
    if (inv[v]) return get(M(v));
    get(V(v));
    zeros();
    simd(0x42); // f32x4.ne
  };
  /** Emits instruction k's value onto the stack, `res` resolving the split condition's selects. */
  const emit = (k: number, res: (v: number) => number): void => {
    const ins = instr(k);
    const val = (v: number): void => get(V(res(v)));
    switch (ins.kind) {
      case 'input':
        get(ins.index);
        get(layout[ins.index] === 'row' ? J : I);
        c.push(0x6a); // i32.add
        simd(0x00);
        c.push(2, 0); // v128.load
        break;
      case 'param':
      case 'const':
        break;
      case 'unary':
        val(ins.a);
        simd(SIMD_UNARY[ins.op] as number);
        break;
      case 'binary':
        val(ins.a);
        val(ins.b);
        simd(SIMD_BINARY[ins.op] as number);
        break;
      case 'where': {
        const a = res(ins.a);
        const b = res(ins.b);
        // bitselect(a, b, m) = (a & m) | (b & ~m): against +0 one half is 0, so one and.
        if (isZero(a) && !isZero(b)) {
          get(V(b));
          mask(res(ins.cond));
          simd(0x4f); // v128.andnot
        } else if (isZero(b)) {
          get(V(a));
          mask(res(ins.cond));
          simd(0x4e); // v128.and
        } else {
          get(V(a));
          get(V(b));
          mask(res(ins.cond));
          simd(0x52); // v128.bitselect
        }
        break;
      }
    }
  };
  /** Value v with the split condition taken as `taken` (its selects replaced by a side). */
  const resolver = (taken: boolean | null): ((v: number) => number) => {
    const r = (v: number): number => {
      const ins = instr(v);
      if (taken !== null && ins.kind === 'where' && ins.cond === split && !inv[v]) return r(taken ? ins.a : ins.b);
      return al(v);
    };
    return r;
  };
  const emitLoop = (res: (v: number) => number): void => {
    // The values the outputs need under this resolution, and nothing else.
    const live = new Uint8Array(nv);
    const need = (v: number): void => {
      const k = res(v);
      if (live[k]) return;
      live[k] = 1;
      const ins = instr(k);
      if (ins.kind === 'unary') need(ins.a);
      else if (ins.kind === 'binary') (need(ins.a), need(ins.b));
      else if (ins.kind === 'where') (need(ins.cond), need(ins.a), need(ins.b));
    };
    p.outputs.forEach(need);
    c.push(0x41, 0); // i = j = 0
    set(I);
    c.push(0x41, 0);
    set(J);
    c.push(0x02, 0x40, 0x03, 0x40); // block, loop
    get(I);
    get(END);
    c.push(0x4f, 0x0d, 1); // i32.ge_u, br_if 1
    p.instrs.forEach((ins, k) => {
      if (!live[k] || inv[k] || ins.kind === 'param' || ins.kind === 'const') return;
      emit(k, res);
      set(V(k));
    });
    p.outputs.forEach((v, m) => {
      get(nIn + m);
      get(I);
      c.push(0x6a);
      get(V(res(v)));
      simd(0x0b);
      c.push(2, 0); // v128.store
    });
    get(I);
    c.push(0x41, 16, 0x6a); // i32.const 16, i32.add
    set(I);
    if (hasRow) {
      // j = j + 16; j = j >= rowBytes ? 0 : j
      get(J);
      c.push(0x41, 16, 0x6a);
      set(J);
      c.push(0x41, 0);
      get(J);
      get(J);
      get(ROW);
      c.push(0x4f, 0x1b); // i32.ge_u, select
      set(J);
    }
    c.push(0x0c, 0, 0x0b, 0x0b); // br 0, end loop, end block
  };
  // end = n4 * 4 (bytes)
  get(N4);
  c.push(0x41, 2, 0x74); // i32.const 2, i32.shl
  set(END);
  // Prologue: params, constants and scalar inputs splat once, then the invariant values.
  const plain = resolver(null);
  p.instrs.forEach((ins, k) => {
    if (canon[k] !== k) return;
    if (ins.kind === 'param' || ins.kind === 'const') {
      const idx = ins.kind === 'param' ? ins.index : (constIndex[k] as number);
      get(TABLE);
      c.push(0x2b, 3);
      uleb(idx * 8, c); // f64.load align 8, offset
      c.push(0xb6); // f32.demote_f64
      simd(0x13); // f32x4.splat
      set(V(k));
    } else if (ins.kind === 'input' && layout[ins.index] === 'scalar') {
      get(ins.index);
      simd(0x09);
      c.push(2, 0); // v128.load32_splat
      set(V(k));
    } else if (inv[k] && ins.kind !== 'input') {
      emit(k, plain);
      set(V(k));
    }
    if (inv[k] && !p.isBool[k]) {
      // Its mask, should it be a where's condition (cheap: once per call).
      get(V(k));
      zeros();
      simd(0x42);
      set(M(k));
    }
  });
  if (split === -1) emitLoop(plain);
  else {
    get(p.isBool[split] ? V(split) : M(split));
    simd(0x53); // v128.any_true (the lanes of an invariant are equal)
    c.push(0x04, 0x40); // if
    emitLoop(resolver(true));
    c.push(0x05); // else
    emitLoop(resolver(false));
    c.push(0x0b); // end if
  }
  c.push(0x0b); // end function
  const body: number[] = [];
  uleb(2, body);
  body.push(3, 0x7f);
  uleb(2 * nv, body);
  body.push(0x7b);
  body.push(...c);
  const gBody = shifted(layout, nOut);
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const G = 4;
  const type = [2, 0x60];
  uleb(P, type);
  for (let j = 0; j < P; j++) type.push(0x7f);
  type.push(0, 0x60);
  uleb(G, type);
  for (let j = 0; j < G; j++) type.push(0x7f);
  type.push(0);
  section(1, type, out);
  const imp = [1];
  str('env', imp);
  str('memory', imp);
  imp.push(0x02);
  if (shared) {
    imp.push(0x03, 0);
    uleb(65536, imp);
  } else imp.push(0x00, 0);
  section(2, imp, out);
  section(3, [2, 0, 1], out);
  const exp = [2];
  str('f', exp);
  exp.push(0x00, 0);
  str('g', exp);
  exp.push(0x00, 1);
  section(7, exp, out);
  const code = [2];
  uleb(body.length, code);
  code.push(...body);
  uleb(gBody.length, code);
  code.push(...gBody);
  section(10, code, out);
  return new WebAssembly.Module(new Uint8Array(out));
}

/**
 * The body of the module's second export, g(args, table, offsetBytes, n4): f over the n4
 * elements from byte offsetBytes on, its operand addresses read from memory at `args` (int32:
 * the inputs, then the outputs), so a caller passes four numbers instead of spreading an array.
 * Dense inputs and the outputs move by the offset, scalar inputs stay. A GEMM worker runs it
 * over the rows it owns (gemm_jobs.ts's row parts), so a weight's update reads the gradient
 * rows the same core computed. Row inputs are not supported (their offset would not follow):
 * callers pass none.
 */
function shifted(layout: readonly JitLayout[], nOut: number): number[] {
  const nIn = layout.length;
  const ARGS = 0;
  const TABLE = 1;
  const OFFSET = 2;
  const N4 = 3;
  const c: number[] = [];
  const get = (l: number): void => (c.push(0x20), uleb(l, c));
  const load = (slot: number): void => {
    get(ARGS);
    c.push(0x28, 2); // i32.load align 4, offset
    uleb(4 * slot, c);
  };
  for (let i = 0; i < nIn; i++) {
    load(i);
    if (layout[i] !== 'scalar') (get(OFFSET), c.push(0x6a)); // i32.add
  }
  for (let m = 0; m < nOut; m++) (load(nIn + m), get(OFFSET), c.push(0x6a));
  get(TABLE);
  get(N4);
  c.push(0x41, 0); // rowBytes: no row inputs
  c.push(0x10, 0); // call f
  c.push(0x0b); // end function
  return [0, ...c];
}
