import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { f64, vals, lcg, assertClose, assertTensor, assertNoLeak, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

/** Reference reduction in plain loops: groups elements by their index on the kept axes. */
function refReduce(values: number[], shape: number[], axes: number[], combine: (xs: number[]) => number): { shape: number[]; values: number[] } {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const groups = new Map<string, number[]>();
  for (let k = 0; k < values.length; k++) {
    const idx = shape.map((d, i) => Math.floor(k / strides[i]!) % d);
    const key = kept.map((i) => idx[i]).join(',');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(values[k]!);
  }
  return { shape: kept.map((i) => shape[i]!), values: [...groups.values()].map(combine) };
}

const SUM = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const PROD = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
const MEAN = (xs: number[]): number => SUM(xs) / xs.length;
const VAR = (xs: number[]): number => MEAN(xs.map((x) => (x - MEAN(xs)) ** 2));
const LSE = (xs: number[]): number => Math.log(SUM(xs.map(Math.exp)));
const ARGMAX = (xs: number[]): number => xs.indexOf(Math.max(...xs));
const ARGMIN = (xs: number[]): number => xs.indexOf(Math.min(...xs));

type Red = (x: hb.Tensor, axis?: number | number[], keepDims?: boolean) => hb.Tensor;
const REDUCTIONS: [string, Red, (xs: number[]) => number][] = [
  ['sum', hb.sum, SUM],
  ['prod', hb.prod, PROD],
  ['max', hb.max, (xs) => Math.max(...xs)],
  ['min', hb.min, (xs) => Math.min(...xs)],
  ['mean', hb.mean, MEAN],
  ['variance', hb.variance, VAR],
  ['logSumExp', hb.logSumExp, LSE],
];

const SHAPE = [2, 3, 4];
const AXES: (number[] | undefined)[] = [undefined, [0], [1], [2], [-1], [0, 2], [1, 2], [0, 1, 2], [2, 0]];

describe('reductions', () => {
  for (const [name, op, ref] of REDUCTIONS) {
    it(`${name}: every axis combination, with and without keepDims, against plain loops`, () => {
      assertNoLeak(() => {
        const values = lcg(24, 7, 0.5, 1.5);
        const x = f64(values, SHAPE);
        for (const axes of AXES) {
          const norm = (axes ?? [0, 1, 2]).map((a) => (a < 0 ? a + 3 : a));
          const r = refReduce(values, SHAPE, norm, ref);
          assertTensor(op(x, axes), r.shape, r.values, 1e-13, 1e-15);
          assertTensor(op(x, axes, true), SHAPE.map((d, i) => (norm.includes(i) ? 1 : d)), r.values, 1e-13, 1e-15);
        }
        // on a transposed view (strided input)
        const xt = hb.transpose(x, [2, 0, 1]);
        const tv = vals(hb.copy(xt));
        const r = refReduce(tv, [4, 2, 3], [1], ref);
        assertTensor(op(xt, 1), r.shape, r.values, 1e-13, 1e-15);
      });
    });

    it(`${name}: gradient matches finite differences (over one axis, two axes, all, keepDims)`, () => {
      assertNoLeak(() => {
        // distinct values, so max/min have no ties
        const x = f64(lcg(24, 3, 0.5, 1.5), SHAPE);
        hb.checkGradients((t) => op(t, 1), [x], { name });
        hb.checkGradients((t) => op(t, [0, 2], true), [x], { name });
        hb.checkGradients((t) => op(t), [x], { name });
      });
    });
  }

  it('max/min ties share the gradient equally', () => {
    assertNoLeak(() => {
      assertClose(vals(hb.grad((t) => hb.max(t))(f64([1, 3, 3, 2]))), [0, 0.5, 0.5, 0]);
      assertClose(vals(hb.grad((t) => hb.min(t, 1))(f64([[1, 1], [2, 0]]))), [0.5, 0.5, 0, 1]);
    });
  });

  it('prod: the gradient at zeros is the product of the others', () => {
    assertNoLeak(() => {
      assertClose(vals(hb.grad((t) => hb.prod(t))(f64([2, 0, 3]))), [0, 6, 0]);
      assertClose(vals(hb.grad((t) => hb.prod(t))(f64([0, 0, 3]))), [0, 0, 0]);
      assertClose(vals(hb.grad((t) => hb.prod(t, 1))(f64([[2, 0, 3], [1, 4, 5]]))), [0, 6, 0, 20, 5, 4]);
      hb.checkGradients((t) => hb.prod(t, 1), [f64([[2, 0, 3], [0.5, 4, -5]])]);
    });
  });

  it('argmax/argmin: int32, first index at ties, any axis', () => {
    assertNoLeak(() => {
      const values = [3, 1, 3, 0, 2, 2, 5, 5, 1, 1, -1, -1];
      const x = f64(values, [3, 4]);
      const a = hb.argmax(x);
      assert.equal(a.dtype, 'int32');
      assertTensor(a, [3], [0, 2, 0]);
      assertTensor(hb.argmin(x), [3], [3, 0, 2]);
      const r0 = refReduce(values, [3, 4], [0], ARGMAX);
      assertTensor(hb.argmax(x, 0), r0.shape, r0.values);
      const r1 = refReduce(values, [3, 4], [0], ARGMIN);
      assertTensor(hb.argmin(x, 0), r1.shape, r1.values);
      assertTensor(hb.argmax(hb.tensor([4, 9, 9], [3], 'int32')), [], [1]);
    });
  });

  it('argmax/argmin pass no gradient (an int32 result; cast back to float it is piecewise constant)', () => {
    assertNoLeak(() => {
      const x = f64([0.3, 2, -1]);
      const { value, grads } = hb.valueAndGrad(() => hb.add(hb.cast(hb.argmax(x), 'float64'), hb.cast(hb.argmin(x), 'float64')), [x]);
      assertClose(vals(value), [3]);
      assertClose(vals(grads[0]!), [0, 0, 0]);
      hb.checkGradients((t) => hb.mul(hb.cast(hb.argmax(t), 'float64'), t), [x]);
    });
  });

  it('propagates NaN (and argmax points at it)', () => {
    assertNoLeak(() => {
      const x = f64([1, NaN, 3]);
      for (const op of [hb.sum, hb.prod, hb.max, hb.min, hb.mean, hb.logSumExp]) assert.ok(Number.isNaN(op(x).item()));
      assert.equal(hb.argmax(x).item(), 1);
      assert.equal(hb.argmin(x).item(), 1);
    });
  });

  it('logSumExp is finite and exact at +-1000 and handles infinite rows', () => {
    assertNoLeak(() => {
      const x = f64([[1000, 1000], [-1000, -1000], [1000, -1000], [-Infinity, -Infinity], [Infinity, 0]]);
      assertTensor(hb.logSumExp(x, 1), [5], [1000 + Math.LN2, -1000 + Math.LN2, 1000, -Infinity, Infinity], 1e-15, 0);
      const g = hb.grad((t) => hb.logSumExp(t, 1))(f64([[1000, 1000], [-1000, 0]]));
      assertClose(vals(g), [0.5, 0.5, 0, 1], 0, 1e-300);
    });
  });

  it('sums int32 to int32; mean and variance of int32 are float32 (NumPy gives floats)', () => {
    assertNoLeak(() => {
      const i = hb.tensor([1, 2, 4], [3], 'int32');
      const s = hb.sum(i);
      assert.equal(s.dtype, 'int32');
      assert.equal(s.item(), 7);
      const m = hb.mean(hb.tensor([1, 2], [2], 'int32'));
      assert.equal(m.dtype, 'float32');
      assert.equal(m.item(), 1.5);
      const v = hb.variance(hb.tensor([1, 2], [2], 'int32'));
      assert.equal(v.dtype, 'float32');
      assert.equal(v.item(), 0.25);
      // mean of [1, 2, 4] = 7/3; variance = ((1-7/3)^2 + (2-7/3)^2 + (4-7/3)^2) / 3 = 14/9.
      assertTensor(hb.mean(i), [], [7 / 3], 1e-7);
      assertTensor(hb.variance(hb.tensor([[1, 2, 4], [3, 3, 3]], [2, 3], 'int32'), 1), [2], [14 / 9, 0], 1e-6);
      assertThrowsWith(() => hb.mean(hb.tensor([true])), hb.DTypeError, 'mean: x must be', 'received bool');
    });
  });

  it('sum and prod of an empty axis are 0 and 1; max of one is an error', () => {
    assertNoLeak(() => {
      const e = hb.zeros([2, 0]);
      assertTensor(hb.sum(e, 1), [2], [0, 0]);
      assertTensor(hb.prod(e, 1), [2], [1, 1]);
      assertThrowsExact(() => hb.max(e, 1), hb.ShapeError, 'max: cannot reduce over axis 1 of size 0 (shape [2, 0])');
    });
  });

  it('rejects bad axes and bool input', () => {
    assertNoLeak(() => {
      const x = hb.zeros([2, 3]);
      assertThrowsExact(() => hb.sum(x, 2), hb.ValueError, 'sum: axis must be an integer in [-2, 2), received 2');
      assertThrowsExact(() => hb.sum(x, [1, -1]), hb.ValueError, 'sum: axis must list each axis once, received [1, -1]');
      assertThrowsWith(() => hb.sum(hb.tensor([true])), hb.DTypeError, 'sum', 'bool');
    });
  });
});
