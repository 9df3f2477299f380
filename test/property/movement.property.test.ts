/**
 * Property: movement ops (reshape, transpose, slice, broadcastTo, expandDims, squeeze, pad,
 * copy, concat, stack, split), gather and cast on generated views of every dtype move each
 * value bit for bit (−0 and NaN included) where a host reference built by index arithmetic
 * puts it, on every backend; concat/stack of mixed dtypes is a DTypeError.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as hb from '../../src/index.js';
import { castRef } from '../../testing/conformance/conformance_ref.js';
import {
  EXACT, at, build, check, describe as show, expectTypedError, expectValues, hostFrom, hostOf, onEveryBackend, operandArb, planArb,
  shapeArb, sizeOf, valueArb, type DType, type Host, type Operand,
} from './support.js';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
const dtypeArb = fc.constantFrom(...DTYPES);

/** One movement op applied to x: its hebb call and its host reference. */
interface Case {
  name: string;
  run: (x: hb.Tensor) => hb.Tensor;
  ref: (h: Host) => Host;
}

/** A shape of the same size: dims merged in runs, 1s inserted, maybe one dim given as -1. */
function reshapeArb(shape: number[]): fc.Arbitrary<Case> {
  return fc.tuple(fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }), fc.integer({ min: 0, max: 2 }), fc.boolean()).map(([cuts, ones, infer]) => {
    const out: number[] = [];
    shape.forEach((d, i) => (i > 0 && cuts[i] ? (out[out.length - 1] = (out[out.length - 1] as number) * d) : out.push(d)));
    for (let k = 0; k < ones; k++) out.splice(k % (out.length + 1), 0, 1);
    const arg = [...out];
    if (infer && arg.length > 0 && sizeOf(arg.slice(1)) > 0) arg[0] = -1;
    return { name: `reshape(${JSON.stringify(arg)})`, run: (x) => hb.reshape(x, arg), ref: (h) => ({ shape: out, data: h.data }) };
  });
}

function transposeArb(shape: number[]): fc.Arbitrary<Case> {
  const axes = shape.map((_, i) => i);
  return fc.option(fc.shuffledSubarray(axes, { minLength: axes.length, maxLength: axes.length })).map((perm) => {
    const p = perm ?? [...axes].reverse();
    return {
      name: `transpose(${JSON.stringify(perm)})`,
      run: (x) => (perm ? hb.transpose(x, perm) : hb.transpose(x)),
      ref: (h) => hostFrom(p.map((i) => h.shape[i] as number), (idx) => {
        const src = new Array<number>(idx.length);
        p.forEach((q, i) => (src[q] = idx[i] as number));
        return at(h, src);
      }),
    };
  });
}

function sliceArb(shape: number[]): fc.Arbitrary<Case> {
  return fc
    .tuple(...shape.map((d) => fc.integer({ min: 0, max: d }).chain((b) => fc.integer({ min: -1, max: d - b }).map((s) => [b, s] as const))))
    .map((pairs) => {
      const begin = pairs.map((p) => p[0]);
      const size = pairs.map((p) => p[1]);
      const full = size.map((s, i) => (s === -1 ? (shape[i] as number) - (begin[i] as number) : s));
      return { name: `slice(${JSON.stringify(begin)}, ${JSON.stringify(size)})`, run: (x) => hb.slice(x, begin, size), ref: (h) => hostFrom(full, (idx) => at(h, idx.map((v, i) => v + (begin[i] as number)))) };
    });
}

function broadcastArb(shape: number[]): fc.Arbitrary<Case> {
  return fc.tuple(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: shape.length, maxLength: shape.length })).map(([lead, stretch]) => {
    const target = [...lead, ...shape.map((d, i) => (d === 1 ? (stretch[i] as number) : d))];
    return {
      name: `broadcastTo(${JSON.stringify(target)})`,
      run: (x) => hb.broadcastTo(x, target),
      ref: (h) => hostFrom(target, (idx) => at(h, h.shape.map((d, j) => (d === 1 ? 0 : (idx[j + lead.length] as number))))),
    };
  });
}

function expandSqueezeArb(shape: number[]): fc.Arbitrary<Case> {
  const r = shape.length;
  const ones = shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
  const expand = fc.integer({ min: -(r + 1), max: r }).map((axis): Case => {
    const a = axis < 0 ? axis + r + 1 : axis;
    const out = [...shape.slice(0, a), 1, ...shape.slice(a)];
    return { name: `expandDims(${axis})`, run: (x) => hb.expandDims(x, axis), ref: (h) => ({ shape: out, data: h.data }) };
  });
  const squeeze = fc.option(fc.subarray(ones, { minLength: ones.length > 0 ? 1 : 0 })).map((axes): Case => {
    const drop = axes ?? ones;
    const out = shape.filter((_, i) => !drop.includes(i));
    return { name: `squeeze(${JSON.stringify(axes)})`, run: (x) => (axes ? hb.squeeze(x, axes) : hb.squeeze(x)), ref: (h) => ({ shape: out, data: h.data }) };
  });
  return fc.oneof(expand, squeeze);
}

function padArb(shape: number[], dtype: DType): fc.Arbitrary<Case> {
  return fc.tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: shape.length, maxLength: shape.length }), valueArb(dtype, { specials: 1 })).map(([pads, value]) => {
    const out = shape.map((d, i) => d + (pads[i] as [number, number])[0] + (pads[i] as [number, number])[1]);
    return {
      name: `pad(${JSON.stringify(pads)}, ${value})`,
      run: (x) => hb.pad(x, pads, value),
      ref: (h) => hostFrom(out, (idx) => {
        const src = idx.map((v, i) => v - (pads[i] as [number, number])[0]);
        return src.every((v, i) => v >= 0 && v < (shape[i] as number)) ? at(h, src) : value;
      }),
    };
  });
}

function gatherArb(shape: number[]): fc.Arbitrary<Case> {
  if (shape.length === 0) return fc.constant({ name: 'copy', run: (x: hb.Tensor) => hb.copy(x), ref: (h: Host) => h });
  return fc.integer({ min: -shape.length, max: shape.length - 1 }).chain((axis) => {
    const ax = axis < 0 ? axis + shape.length : axis;
    const n = shape[ax] as number;
    const indexShape = n === 0 ? fc.constant([0]) : shapeArb(0, 2, 3);
    return indexShape.chain((is) => planArb(is, 'int32', { lo: 0, hi: Math.max(0, n - 1), specials: 0 })).map((plan): Case => {
      const ind = hostOf(plan);
      const out = [...shape.slice(0, ax), ...ind.shape, ...shape.slice(ax + 1)];
      return {
        name: `gather(indices ${JSON.stringify(ind.data)} of shape ${JSON.stringify(ind.shape)}, axis ${axis})`,
        run: (x) => hb.gather(x, build(plan, 'int32'), axis),
        ref: (h) => hostFrom(out, (idx) => {
          const j = idx.slice(ax, ax + ind.shape.length);
          return at(h, [...idx.slice(0, ax), at(ind, j), ...idx.slice(ax + ind.shape.length)]);
        }),
      };
    });
  });
}

function castArb(): fc.Arbitrary<Case> {
  return dtypeArb.map((to): Case => ({
    name: `cast(${to})`,
    run: (x) => hb.cast(x, to),
    // `| 0`: an int32 has no −0 (castRef's Math.trunc(-0) is −0).
    ref: (h) => ({ shape: h.shape, data: h.data.map((v) => (to === 'int32' ? castRef(v, to) | 0 : castRef(v, to))) }),
  }));
}

const unaryCase = fc
  .record({ dtype: dtypeArb, shape: shapeArb(0, 4, 3) })
  .chain(({ dtype, shape }) => {
    // float -> int32 casts of NaN, infinities or out-of-range values are not this test's topic.
    const opArb = fc.oneof(
      reshapeArb(shape), transposeArb(shape), sliceArb(shape), broadcastArb(shape), expandSqueezeArb(shape), padArb(shape, dtype), gatherArb(shape),
      fc.constant<Case>({ name: 'copy', run: (x) => hb.copy(x), ref: (h) => h }),
      fc.constant<Case>({ name: 'stopGradient', run: (x) => hb.stopGradient(x), ref: (h) => h }),
      castArb(),
    );
    return opArb.chain((c) => operandArb(shape, dtype, { lo: -1000, hi: 1000, specials: c.name === 'cast(int32)' ? 0 : 2 }).map((x) => ({ x, c })));
  });

describe('property: movement ops, gather and cast', () => {
  it('put every value where the host reference does, bit for bit, on every backend', () => {
    check(unaryCase, ({ x, c }) => {
      onEveryBackend((be) => {
        const want = c.ref(hostOf(x.plan));
        const out = c.run(build(x.plan, x.dtype));
        expectValues(out, want.shape, want.data, EXACT, `${be} ${c.name} of ${show(x)}`, true);
      });
    }, 800);
  });
});

/** Several operands of one shape except along `axis` (concat) or of one shape (stack, split). */
const joinCase = fc
  .record({ dtype: dtypeArb, shape: shapeArb(1, 3, 3), k: fc.integer({ min: 1, max: 3 }), mixed: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: dtypeArb }) })
  .chain(({ dtype, shape, k, mixed }) =>
    fc.integer({ min: -shape.length, max: shape.length - 1 }).chain((axis) => {
      const ax = axis < 0 ? axis + shape.length : axis;
      const parts = fc.tuple(...Array.from({ length: k }, () => fc.integer({ min: 0, max: 3 })));
      return parts.chain((sizes) =>
        fc
          .tuple(...sizes.map((s, i) => operandArb(shape.map((d, j) => (j === ax ? s : d)), i === k - 1 && mixed ? mixed : dtype, { specials: 2 })))
          .chain((xs) => fc.tuple(...Array.from({ length: k }, () => operandArb(shape, dtype, { specials: 2 }))).map((same) => ({ axis, ax, xs, same, shape, mixed: k > 1 && mixed !== null && mixed !== dtype }))),
      );
    }),
  );

describe('property: concat, stack and split', () => {
  it('join and split views of every dtype; mixed dtypes are a DTypeError', () => {
    check(joinCase, ({ axis, ax, xs, same, shape, mixed }) => {
      onEveryBackend((be) => {
        const ts = xs.map((o: Operand) => build(o.plan, o.dtype));
        const what = `${be} concat([${xs.map(show).join(', ')}], ${axis})`;
        if (mixed) {
          expectTypedError(() => hb.concat(ts, axis), hb.DTypeError, 'concat', what);
          // The odd one out is cast (int32 host data must hold int32 values; these may not).
          const parts = same.map((o, i) => (i === same.length - 1 ? hb.cast(build(o.plan, o.dtype), o.dtype === 'int32' ? 'float32' : 'int32') : build(o.plan, o.dtype)));
          expectTypedError(() => hb.stack(parts, axis), hb.DTypeError, 'stack', what);
          return;
        }
        // concat: along ax, the parts one after another.
        const hs = xs.map((o) => hostOf(o.plan));
        const outShape = shape.map((d, j) => (j === ax ? hs.reduce((s, h) => s + (h.shape[ax] as number), 0) : d));
        const concatRef = hostFrom(outShape, (idx) => {
          let i = idx[ax] as number;
          for (const h of hs) {
            if (i < (h.shape[ax] as number)) return at(h, idx.map((v, j) => (j === ax ? i : v)));
            i -= h.shape[ax] as number;
          }
          throw new Error('unreachable');
        });
        const joined = hb.concat(ts, axis);
        expectValues(joined, concatRef.shape, concatRef.data, EXACT, what, true);
        // split undoes it, part by part.
        const parts = hb.split(joined, hs.map((h) => h.shape[ax] as number), axis);
        parts.forEach((p, i) => expectValues(p, (hs[i] as Host).shape, (hs[i] as Host).data, EXACT, `${what} split part ${i}`, true));
        // stack: a new axis (at ax, or at the end for axis -1's counterpart).
        const sh = same.map((o) => hostOf(o.plan));
        for (const sAxis of [ax, ax + 1]) {
          const stackShape = [...shape.slice(0, sAxis), sh.length, ...shape.slice(sAxis)];
          const ref = hostFrom(stackShape, (idx) => at(sh[idx[sAxis] as number] as Host, idx.filter((_, j) => j !== sAxis)));
          expectValues(hb.stack(same.map((o) => build(o.plan, o.dtype)), sAxis), stackShape, ref.data, EXACT, `${be} stack(axis ${sAxis})`, true);
        }
      });
    }, 300);
  });
});
