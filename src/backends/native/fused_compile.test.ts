/**
 * Compiled fused programs (fused_compile.ts, fused_codegen.ts) against the addon's interpreter:
 * a program using every unary and binary op, `where`, params, constants (NaN, ±Infinity, −0, a
 * subnormal) and a broadcast scalar input, on data full of special values, must give the
 * interpreter's results exactly, in float32 and float64; also written over its own input (in
 * place), with a strided input (which stays interpreted), with a compiler that does not exist
 * (the interpreter goes on, the failure is reported), and built in the background (async).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { BinaryOp, FusedProgram, UnaryOp, View } from '../backend.js';
import { defineFused, type Expr } from '../../ops/fused.js';
import { BINARY_CODE, UNARY_CODE } from '../wasm/codes.js';
import { nativeUnavailable } from './addon.js';
import { COMPILE_AFTER_ELEMENTS } from './fused_compile.js';
import { NativeBackend, type NativeBuffer } from './native_backend.js';

const missing = nativeUnavailable();
const cxx = process.env['CXX'] || 'c++';
const noCompiler = missing ?? (spawnSync(cxx, ['--version']).status === 0 ? null : `no C++ compiler (${cxx}) to build fused programs with`);

const UNARY: Exclude<UnaryOp, 'logicalNot'>[] = ['neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'erf', 'sigmoid', 'floor'];
const ARITH = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
const COMPARE = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const;

/** Inputs a, b (dense) and s (a scalar), param p: every op on them, as outputs. */
function everyOp(tag: number): FusedProgram {
  return defineFused(`every op ${tag}`, 3, 1, (e, [a, b, s], [p]) => {
    const x = a as Expr;
    const y = b as Expr;
    const outs: Expr[] = [];
    for (const op of UNARY) outs.push(e.unary(op, x));
    for (const op of ARITH) outs.push(e.arith(op, x, y), e.arith(op, x, s as Expr), e.arith(op, p as Expr, y));
    for (const op of COMPARE) outs.push(e.where(e.compare(op, x, y), 1, 0));
    const lt = e.less(x, y);
    const eq = e.equal(x, s as Expr);
    outs.push(e.where(e.logicalAnd(lt, eq), x, y), e.where(e.logicalOr(lt, eq), x, y), e.where(e.logicalNot(lt), x, y));
    // A float condition is "nonzero", NaN included.
    outs.push(e.where(x, y, s as Expr));
    for (const c of [NaN, Infinity, -Infinity, -0, 5e-324, 1.401298464324817e-45, 0.1, tag]) outs.push(e.mul(e.add(x, c), y));
    // An output may be an input itself.
    outs.push(y);
    return outs;
  }).program;
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, 2, 3, -2.5, 1e-40, -1e-40, 5e-324, 1e30, -1e30, 1e300, 88.8, -104, 0.1];

function data(n: number, seed: number): number[] {
  let st = seed >>> 0;
  return Array.from({ length: n }, (_, i) => {
    st = (Math.imul(st, 1664525) + 1013904223) >>> 0;
    return i % 3 === 0 ? (SPECIAL[(st >>> 8) % SPECIAL.length] as number) : (st / 4294967296 - 0.5) * 8;
  });
}

type Dtype = 'float32' | 'float64';

function filled(be: NativeBackend, values: readonly number[], dtype: Dtype): NativeBuffer {
  const b = be.alloc(values.length, dtype);
  b.data.set(values);
  return b;
}

const dense = (buf: NativeBuffer, n: number): View<NativeBuffer> => ({ buf, shape: [n], strides: [1], offset: 0 });
const scalar = (buf: NativeBuffer, n: number): View<NativeBuffer> => ({ buf, shape: [n], strides: [0], offset: 0 });

function run(be: NativeBackend, p: FusedProgram, inputs: readonly View<NativeBuffer>[], param: number, n: number, dtype: Dtype, outsIn?: NativeBuffer[]): number[][] {
  const outs = outsIn ?? p.outputs.map(() => be.alloc(n, dtype));
  be.fused(p, inputs, [param], outs);
  const r = outs.map((o) => Array.from(o.data as Float32Array | Float64Array));
  if (!outsIn) for (const o of outs) be.free(o);
  return r;
}

function assertSame(got: number[][], want: number[][], what: string): void {
  assert.equal(got.length, want.length);
  want.forEach((w, m) => {
    w.forEach((x, j) => {
      if (!Object.is(got[m]?.[j], x)) assert.fail(`${what}: output ${m}, element ${j}: compiled ${got[m]?.[j]}, interpreted ${x}`);
    });
  });
}

describe('compiled fused programs', { skip: noCompiler ?? false }, () => {
  const be = new NativeBackend();
  const n = 1003;

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: every op gives the interpreter's results exactly (NaN, infinities, signed zeros, subnormals)`, () => {
      const p = everyOp(dtype === 'float32' ? 1 : 2);
      const a = filled(be, data(n, 1), dtype);
      const b = filled(be, data(n, 2), dtype);
      const s = filled(be, [0.75], dtype);
      const inputs = [dense(a, n), dense(b, n), scalar(s, n)];
      be.setFusedCompileMode('off');
      const want = run(be, p, inputs, -1.25, n, dtype);
      const before = be.fusedCompileStatus().compiled;
      be.setFusedCompileMode('sync');
      run(be, p, inputs, -1.25, n, dtype); // this call asks for the variant, which is built and attached
      const st = be.fusedCompileStatus();
      assert.deepEqual(st.failures, []);
      assert.equal(st.compiled, before + 1, 'one variant compiled');
      assertSame(run(be, p, inputs, -1.25, n, dtype), want, dtype);
      // The param is read per call: another value gives the interpreter's results for it too.
      be.setFusedCompileMode('off');
      const want2 = run(be, p, inputs, 3.5, n, dtype);
      be.setFusedCompileMode('sync');
      assertSame(run(be, p, inputs, 3.5, n, dtype), want2, `${dtype}, param 3.5`);
      // In place: output 0 written over input b (fusedInPlace), as a captured optimizer step does.
      const inPlace = defineFused(`in place ${dtype}`, 2, 1, (e, [x, y], [q]) => [e.add(e.mul(y as Expr, q as Expr), x as Expr), e.sqrt(y as Expr)]).program;
      const b2 = filled(be, data(n, 2), dtype);
      be.setFusedCompileMode('off');
      const ref = run(be, inPlace, [dense(a, n), dense(b2, n)], 0.3, n, dtype);
      be.setFusedCompileMode('sync');
      run(be, inPlace, [dense(a, n), dense(filled(be, data(n, 2), dtype), n)], 0.3, n, dtype);
      const o1 = be.alloc(n, dtype);
      assertSame(run(be, inPlace, [dense(a, n), dense(b2, n)], 0.3, n, dtype, [b2, o1]), ref, `${dtype} in place`);
      for (const x of [a, b, s, b2, o1]) be.free(x);
    });
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: row inputs (a [cols] vector broadcast over the rows, as a bias) compile with the interpreter's results`, () => {
      // relu(x·g + b) with g, b rows and a scalar s, and the batch-norm style (x − m)/√(v + s).
      const p = defineFused(`rows ${dtype}`, 5, 1, (e, [x, g, b, s, m], [q]) => {
        const z = e.add(e.mul(x as Expr, g as Expr), b as Expr);
        return [e.where(e.lessEqual(z, 0), 0, z), e.div(e.sub(x as Expr, m as Expr), e.sqrt(e.add(e.abs(g as Expr), s as Expr))), e.mul(b as Expr, q as Expr)];
      }).program;
      for (const [rows, cols] of [[37, 7], [3, 300], [1, 16]] as const) {
        const total = rows * cols;
        const x = filled(be, data(total, 5), dtype);
        const [g, b, m] = [6, 7, 8].map((sd) => filled(be, data(cols, sd), dtype)) as [NativeBuffer, NativeBuffer, NativeBuffer];
        const s = filled(be, [1e-3], dtype);
        const row = (buf: NativeBuffer): View<NativeBuffer> => ({ buf, shape: [rows, cols], strides: [0, 1], offset: 0 });
        const inputs = [{ buf: x, shape: [rows, cols], strides: [cols, 1], offset: 0 }, row(g), row(b), { buf: s, shape: [rows, cols], strides: [0, 0], offset: 0 }, row(m)];
        be.setFusedCompileMode('off');
        const want = run(be, p, inputs, 0.5, total, dtype);
        const before = be.fusedCompileStatus().compiled;
        be.setFusedCompileMode('sync');
        run(be, p, inputs, 0.5, total, dtype);
        const st = be.fusedCompileStatus();
        assert.deepEqual(st.failures, []);
        // One variant serves every row length (cols is an argument): built for the first shape
        // only. A single row is dense (its view collapses to [cols]): a variant of its own.
        assert.equal(st.compiled, before + (rows === 3 ? 0 : 1), `[${rows}, ${cols}]: the row variant compiled once`);
        assertSame(run(be, p, inputs, 0.5, total, dtype), want, `${dtype} [${rows}, ${cols}]`);
        for (const t of [x, g, b, m, s]) be.free(t);
      }
      // Rows of two lengths in one call ([2, 3, 4]: a [3, 4] plane and a [4] row) stay interpreted.
      const q = defineFused(`two rows ${dtype}`, 3, 0, (e, [x, a, c]) => [e.sub(e.mul(x as Expr, a as Expr), c as Expr)]).program;
      const x = filled(be, data(24, 9), dtype);
      const a = filled(be, data(12, 10), dtype);
      const c = filled(be, data(4, 11), dtype);
      const ins: View<NativeBuffer>[] = [{ buf: x, shape: [2, 3, 4], strides: [12, 4, 1], offset: 0 }, { buf: a, shape: [2, 3, 4], strides: [0, 4, 1], offset: 0 }, { buf: c, shape: [2, 3, 4], strides: [0, 0, 1], offset: 0 }];
      const runQ = (): number[] => {
        const o = be.alloc(24, dtype);
        be.fused(q, ins, [], [o]);
        const r = Array.from(o.data as Float32Array | Float64Array);
        be.free(o);
        return r;
      };
      be.setFusedCompileMode('off');
      const wantQ = runQ();
      be.setFusedCompileMode('sync');
      const before = be.fusedCompileStatus().compiled;
      assertSame([runQ()], [wantQ], `${dtype} two row lengths`);
      assert.equal(be.fusedCompileStatus().compiled, before, 'rows of two lengths: interpreted');
      // And those are x·a − c, each operation rounded to the dtype.
      const rnd = dtype === 'float32' ? Math.fround : (v: number): number => v;
      const [xd, ad, cd] = [x, a, c].map((t) => Array.from(t.data as Float32Array | Float64Array)) as [number[], number[], number[]];
      wantQ.forEach((w, i) => assert.ok(Object.is(w, rnd(rnd((xd[i] as number) * (ad[i % 12] as number)) - (cd[i % 4] as number))), `two row lengths, element ${i}: ${w}`));
      for (const t of [x, a, c]) be.free(t);
    });
  }

  it('a strided input keeps the interpreter (no variant is asked for), with the same results', () => {
    const p = defineFused('strided', 2, 1, (e, [x, y], [q]) => [e.sub(e.mul(x as Expr, q as Expr), y as Expr)]).program;
    const a = filled(be, data(2 * n, 3), 'float32');
    const b = filled(be, data(n, 4), 'float32');
    const view: View<NativeBuffer> = { buf: a, shape: [n], strides: [2], offset: 1 };
    be.setFusedCompileMode('off');
    const want = run(be, p, [view, dense(b, n)], 0.5, n, 'float32');
    be.setFusedCompileMode('sync');
    const before = be.fusedCompileStatus().compiled;
    assertSame(run(be, p, [view, dense(b, n)], 0.5, n, 'float32'), want, 'strided');
    assert.equal(be.fusedCompileStatus().compiled, before);
    be.free(a);
    be.free(b);
  });

  it('a compiler that is not there: the failure is reported and the interpreter goes on', () => {
    const saved = process.env['CXX'];
    process.env['CXX'] = '/nonexistent/hebb-test-c++';
    try {
      const p = defineFused('no compiler', 2, 1, (e, [x, y], [q]) => [e.div(x as Expr, e.add(y as Expr, q as Expr))]).program;
      const a = filled(be, data(n, 5), 'float64');
      const b = filled(be, data(n, 6), 'float64');
      be.setFusedCompileMode('off');
      const want = run(be, p, [dense(a, n), dense(b, n)], 2, n, 'float64');
      be.setFusedCompileMode('sync');
      const before = be.fusedCompileStatus();
      assertSame(run(be, p, [dense(a, n), dense(b, n)], 2, n, 'float64'), want, 'no compiler, first call');
      assertSame(run(be, p, [dense(a, n), dense(b, n)], 2, n, 'float64'), want, 'no compiler, second call');
      const after = be.fusedCompileStatus();
      assert.equal(after.compiled, before.compiled);
      const f = after.failures.slice(before.failures.length);
      assert.equal(f.length, 1, 'one failure, asked for once');
      assert.match(f[0]?.reason ?? '', /nonexistent\/hebb-test-c\+\+/);
      be.free(a);
      be.free(b);
    } finally {
      if (saved === undefined) delete process.env['CXX'];
      else process.env['CXX'] = saved;
    }
  });

  it(`async: a variant that has run ${COMPILE_AFTER_ELEMENTS} elements is built in the background, then runs with the same results`, () => {
    const p = defineFused('async', 2, 1, (e, [x, y], [q]) => [e.maximum(e.mul(x as Expr, q as Expr), e.tanh(y as Expr))]).program;
    const big = COMPILE_AFTER_ELEMENTS / 4 + 5;
    const a = filled(be, data(big, 7), 'float32');
    const b = filled(be, data(big, 8), 'float32');
    be.setFusedCompileMode('off');
    const want = run(be, p, [dense(a, big), dense(b, big)], 1.5, big, 'float32');
    be.setFusedCompileMode('async');
    const before = be.fusedCompileStatus().compiled;
    const failed = be.fusedCompileStatus().failures.length;
    for (let i = 0; i < 3; i++) assertSame(run(be, p, [dense(a, big), dense(b, big)], 1.5, big, 'float32'), want, `async, interpreted call ${i}`);
    assert.equal(be.fusedCompileStatus().compiled, before, 'not asked for before the threshold');
    run(be, p, [dense(a, big), dense(b, big)], 1.5, big, 'float32');
    // Without yielding to the event loop (as a training loop may not): the backend's fused calls
    // find the finished library themselves.
    const deadline = Date.now() + 120_000;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (be.fusedCompileStatus().compiled === before && be.fusedCompileStatus().failures.length === failed && Date.now() < deadline) {
      Atomics.wait(pause, 0, 0, 25);
      run(be, p, [dense(a, 8), dense(b, 8)], 1.5, 8, 'float32');
    }
    assert.deepEqual(be.fusedCompileStatus().failures.slice(failed), []);
    assert.equal(be.fusedCompileStatus().compiled, before + 1);
    assertSame(run(be, p, [dense(a, big), dense(b, big)], 1.5, big, 'float32'), want, 'async, compiled');
    be.free(a);
    be.free(b);
  });
});

describe('the every-op program', () => {
  it('uses every unary and binary op of the backend', () => {
    const used = new Set(everyOp(0).instrs.flatMap((ins) => (ins.kind === 'unary' || ins.kind === 'binary' ? [ins.op] : [])));
    for (const op of [...Object.keys(UNARY_CODE), ...Object.keys(BINARY_CODE)]) assert.ok(used.has(op as UnaryOp | BinaryOp), `${op} is not in the program`);
  });
});
