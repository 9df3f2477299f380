/**
 * Conformance: the generic fused elementwise kernel (backends/fused_program.ts). Its contract
 * is bit-identity with the composed ops, so the reference here is the same program run through
 * this backend's own unary, binary, where and cast kernels, one instruction at a time — and
 * every value must match exactly (NaN for NaN, -0 for -0). Cases cover every op, constants and
 * params, bool and float conditions, outputs that are inputs or repeated, lengths that are not
 * multiples of 4 or of a block, offset and strided inputs, scalar and row-vector broadcasts,
 * float32 and float64.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, BackendBuffer, FusedProgram, View } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { defineFused, type Expr, type FusedFn } from '../../src/ops/fused_builder.js';
import { Rng, layoutsFor, randomValues, type Session } from './conformance_util.js';

type FloatDType = 'float32' | 'float64';

/** The program run as separate kernels of `be` (the composed ops' arithmetic), outputs read back. */
async function composedRun(s: Session, p: FusedProgram, inputs: readonly View[], params: readonly number[], dtype: FloatDType, shape: readonly number[]): Promise<number[][]> {
  const be = s.be;
  const n = shape.reduce((a, b) => a * b, 1);
  const zero = shape.map(() => 0);
  const vals: View[] = [];
  const full = (buf: BackendBuffer): View => s.dense(buf, shape);
  for (const [k, ins] of p.instrs.entries()) {
    switch (ins.kind) {
      case 'input':
        vals.push(inputs[ins.index] as View);
        break;
      case 'param':
      case 'const': {
        const b = s.alloc(dtype, 1);
        be.fill(b, ins.kind === 'param' ? (params[ins.index] as number) : ins.value);
        vals.push({ buf: b, shape, strides: zero, offset: 0 });
        break;
      }
      case 'unary': {
        const o = s.alloc(p.isBool[k] ? 'bool' : dtype, n);
        be.unary(ins.op, vals[ins.a] as View, o);
        vals.push(full(o));
        break;
      }
      case 'binary': {
        const o = s.alloc(p.isBool[k] ? 'bool' : dtype, n);
        be.binary(ins.op, vals[ins.a] as View, vals[ins.b] as View, o);
        vals.push(full(o));
        break;
      }
      case 'where': {
        let c = vals[ins.cond] as View;
        if (!p.isBool[ins.cond]) {
          const cb = s.alloc('bool', n);
          be.cast(c, cb);
          c = full(cb);
        }
        const o = s.alloc(dtype, n);
        be.where(c, vals[ins.a] as View, vals[ins.b] as View, o);
        vals.push(full(o));
        break;
      }
    }
  }
  const out: number[][] = [];
  for (const k of p.outputs) {
    const o = s.alloc(dtype, n);
    be.copy(vals[k] as View, full(o));
    out.push(await s.read(o));
  }
  return out;
}

/** Random values with the special ones mixed in: NaN, ±Infinity, ±0, tiny and huge. */
function data(rng: Rng, dtype: DType, n: number): number[] {
  const special = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e38, 1, -1];
  return randomValues(rng, dtype, n, -3, 3).map((v, i) => (i % 7 === 3 ? (special[(i * 5) % special.length] as number) : v));
}

const ADAM = defineFused('adam', 4, 5, (e, [w, g, m, v], [c1, c2, eps, corr, alpha]) => {
  const gg = g as Expr;
  const m1 = e.add(m as Expr, e.mul(e.sub(gg, m as Expr), c1 as Expr));
  const v1 = e.add(v as Expr, e.mul(e.sub(e.mul(gg, gg), v as Expr), c2 as Expr));
  const u = e.mul(e.div(m1, e.add(e.sqrt(v1), eps as Expr)), corr as Expr);
  return [e.add(w as Expr, e.mul(u, alpha as Expr)), m1, v1];
});

/** Every float unary op, every arithmetic, comparison and logical op, both kinds of where. */
const EVERY_OP = defineFused('every op', 3, 1, (e, [a, b, c], [p]) => {
  const x = a as Expr;
  const y = b as Expr;
  const unary = [e.neg(x), e.abs(x), e.sign(x), e.exp(x), e.log(x), e.log1p(x), e.expm1(x), e.sqrt(x), e.tanh(x), e.erf(x), e.sigmoid(x), e.floor(x)];
  const arith = [e.add(x, y), e.sub(x, y), e.mul(x, p as Expr), e.div(x, y), e.pow(x, y), e.maximum(x, y), e.minimum(x, -0), e.add(y, NaN), e.mul(x, Infinity)];
  const lt = e.less(x, y);
  const masks = [e.equal(x, y), e.notEqual(x, 0), lt, e.lessEqual(x, y), e.greater(x, 0.5), e.greaterEqual(x, y)];
  const logic = [e.logicalAnd(lt, masks[1] as Expr), e.logicalOr(lt, masks[4] as Expr), e.logicalNot(lt)];
  const picks = [...masks, ...logic].map((m, i) => e.where(m, unary[i % unary.length] as Expr, arith[i % arith.length] as Expr));
  // A float condition (nonzero, NaN included, is true) and an input passed straight through.
  return [...unary, ...arith, ...picks, e.where(c as Expr, x, y), x, unary[0] as Expr];
});

const BIAS_RELU = defineFused('bias relu', 2, 0, (e, [z, b]) => {
  const v = e.add(z as Expr, b as Expr);
  return [e.where(e.lessEqual(v, 0), 0, v)];
});

/**
 * An optimizer step as fit runs it: a scalar guard (input 3) choosing between the new and the
 * old values of every output, a flush of tiny values against +0 (both operand orders),
 * arithmetic on params and repeated constants only (loop-invariant), a where on an invariant
 * condition that is not the guard, and one on a bool invariant condition between varying
 * values — before the guard's wheres or after them (code generators may decide the first
 * invariant condition once per call, so both orders are checked).
 */
const guarded = (boolFirst: boolean): FusedFn =>
  defineFused(`guarded step${boolFirst ? ', bool condition first' : ''}`, 4, 2, (e, [w, g, m, ok], [c1, alpha]) => {
    const [ww, gg, mm, okk] = [w, g, m, ok] as [Expr, Expr, Expr, Expr];
    const signed = (): Expr => e.where(e.greater(alpha as Expr, 0), gg, e.neg(gg));
    const first = boolFirst ? signed() : null;
    const raw = e.add(mm, e.mul(e.sub(gg, mm), c1 as Expr));
    const m1 = e.where(e.less(e.abs(raw), 1.1754943508222875e-38), 0, raw);
    const kept = e.where(e.greaterEqual(e.abs(raw), 1.1754943508222875e-38), raw, 0);
    const k = e.add(e.mul(c1 as Expr, 2), 2);
    const pick = e.where(e.greater(alpha as Expr, 0), k, e.neg(k));
    const w1 = e.add(ww, e.mul(e.mul(m1, alpha as Expr), pick));
    const outs = [e.where(okk, w1, ww), e.where(okk, m1, mm), e.where(okk, kept, 0), e.where(okk, 0, gg), pick];
    return [...outs, first ?? signed()];
  });
const GUARDED = [guarded(false), guarded(true)];

export function fusedCases(be: Backend, dtypes: readonly DType[], run: (fn: (s: Session) => Promise<void>) => Promise<void>): void {
  const floats = dtypes.filter((d): d is FloatDType => d === 'float32' || d === 'float64');
  const kernel = be.fused?.bind(be);
  // The kernel is optional: a backend without it runs every program as the composed ops.
  // (No describe option for that: the browser's node:test shim takes none.)
  if (!kernel) return;
  const fused = kernel;
  const check = async (s: Session, p: FusedProgram, dtype: FloatDType, shape: readonly number[], inputs: readonly View[], params: readonly number[], what: string): Promise<void> => {
    const n = shape.reduce((a, b) => a * b, 1);
    const outs = p.outputs.map(() => s.out(dtype, n));
    fused(p, inputs, params, outs);
    const want = await composedRun(s, p, inputs, params, dtype, shape);
    for (const [m, o] of outs.entries()) assert.deepEqual(await s.read(o), want[m], `${what}: output ${m}`);
  };

  describe('fused elementwise programs', () => {
    for (const dtype of floats) {
      it(`${dtype}: an Adam step equals its composed ops bit for bit (lengths 1 to 2 blocks and odd)`, async () => {
        const rng = new Rng(301);
        await run(async (s) => {
          for (const n of [1, 3, 4, 7, 511, 513, 1029, 2048]) {
            const vs = [data(rng, dtype, n), data(rng, dtype, n), data(rng, dtype, n), randomValues(rng, dtype, n, 0, 2)].map((v) => s.dense(s.upload(dtype, v), [n]));
            await check(s, ADAM.program, dtype, [n], vs, [0.1, 0.001, 1e-7, 3.1622776601683795, -0.001], `${dtype} adam n=${n}`);
          }
        });
      });

      it(`${dtype}: every op, constants, params, float and bool conditions, outputs repeated or passed through`, async () => {
        const rng = new Rng(302);
        await run(async (s) => {
          for (const n of [5, 1031]) {
            const vs = [data(rng, dtype, n), data(rng, dtype, n), data(rng, dtype, n)].map((v) => s.dense(s.upload(dtype, v), [n]));
            await check(s, EVERY_OP.program, dtype, [n], vs, [0.3], `${dtype} every op n=${n}`);
          }
        });
      });

      it(`${dtype}: a guarded step: a scalar guard of 1, 0, -0, NaN or Inf, flushes, invariant arithmetic`, async () => {
        const rng = new Rng(304);
        await run(async (s) => {
          for (const n of [4, 1028, 1031]) {
            const vs = [data(rng, dtype, n), data(rng, dtype, n), data(rng, dtype, n).map((v, i) => (i % 5 === 1 ? v * 1e-38 : v))].map((v) => s.dense(s.upload(dtype, v), [n]));
            for (const ok of [1, 0, -0, NaN, Infinity]) {
              const guard: View = { buf: s.upload(dtype, [ok]), shape: [n], strides: [0], offset: 0 };
              for (const params of [[0.1, -0.01], [0.5, 0.25]]) {
                for (const fn of GUARDED) await check(s, fn.program, dtype, [n], [...vs, guard], params, `${dtype} ${fn.name} n=${n} guard=${ok} params=${params}`);
              }
            }
          }
        });
      });

      if (be.fusedInPlace) {
        it(`${dtype}: outputs written over their dense inputs (fusedInPlace) equal the composed ops`, async () => {
          const rng = new Rng(305);
          await run(async (s) => {
            for (const n of [1, 4, 7, 1029, 2048]) {
              const bufs = [data(rng, dtype, n), data(rng, dtype, n), data(rng, dtype, n), randomValues(rng, dtype, n, 0, 2)].map((v) => s.upload(dtype, v));
              const vs = bufs.map((b) => s.dense(b, [n]));
              const params = [0.1, 0.001, 1e-7, 3.1622776601683795, -0.001];
              const want = await composedRun(s, ADAM.program, vs, params, dtype, [n]);
              // w', m', v' over w, m, v (inputs 0, 2, 3), as a captured step writes them.
              const outs = [bufs[0], bufs[2], bufs[3]] as typeof bufs;
              fused(ADAM.program, vs, params, outs);
              for (const [m, o] of outs.entries()) assert.deepEqual(await s.read(o), want[m], `${dtype} adam in place n=${n}: output ${m}`);
              const g = s.upload(dtype, data(rng, dtype, n));
              const w = s.upload(dtype, data(rng, dtype, n));
              const mm = s.upload(dtype, data(rng, dtype, n));
              const guard: View = { buf: s.upload(dtype, [1]), shape: [n], strides: [0], offset: 0 };
              const gvs = [s.dense(w, [n]), s.dense(g, [n]), s.dense(mm, [n]), guard];
              const gwant = await composedRun(s, GUARDED[0]!.program, gvs, [0.1, -0.01], dtype, [n]);
              const gouts = GUARDED[0]!.program.outputs.map((_, k) => (k === 0 ? w : k === 1 ? mm : s.out(dtype, n)));
              fused(GUARDED[0]!.program, gvs, [0.1, -0.01], gouts);
              for (const [m, o] of gouts.entries()) assert.deepEqual(await s.read(o), gwant[m], `${dtype} guarded in place n=${n}: output ${m}`);
            }
          });
        });
      }

      it(`${dtype}: inputs in every layout (offset, transposed, stride 0) and scalar and row broadcasts`, async () => {
        const rng = new Rng(303);
        await run(async (s) => {
          for (const shape of [[37, 29], [3, 700]] as const) {
            const n = shape[0] * shape[1];
            for (const l of layoutsFor(shape)) {
              const a = s.view(s.upload(dtype, data(rng, dtype, l.storage)), l);
              const b = s.dense(s.upload(dtype, data(rng, dtype, n)), shape);
              const c = s.dense(s.upload(dtype, data(rng, dtype, n)), shape);
              await check(s, ADAM.program, dtype, shape, [a, b, c, b], [0.1, 0.2, 1e-3, 1.5, -0.5], `${dtype} ${shape} ${l.kind}`);
            }
            const scalar = s.upload(dtype, [-0.75]);
            const row = s.upload(dtype, data(rng, dtype, shape[1] + 3));
            const z = s.dense(s.upload(dtype, data(rng, dtype, n)), shape);
            // The bias: a row vector at an offset, broadcast over rows (row stride 0).
            await check(s, BIAS_RELU.program, dtype, shape, [z, { buf: row, shape, strides: [0, 1], offset: 2 }], [], `${dtype} ${shape} row broadcast`);
            await check(s, BIAS_RELU.program, dtype, shape, [z, { buf: scalar, shape, strides: [0, 0], offset: 0 }], [], `${dtype} ${shape} scalar broadcast`);
            await check(s, ADAM.program, dtype, shape, [{ buf: scalar, shape, strides: [0, 0], offset: 0 }, z, { buf: row, shape, strides: [0, 1], offset: 1 }, z], [0.1, 0.2, 1e-3, 1.5, -0.5], `${dtype} ${shape} mixed broadcasts`);
          }
        });
      });
    }
  });
}
