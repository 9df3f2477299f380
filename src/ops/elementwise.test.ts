import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { f64, vals, assertClose, assertTensor, assertNoLeak, assertThrowsWith, assertThrowsExact } from '../../test/helpers.js';

type Unary = (x: hb.Tensor) => hb.Tensor;

/** Each unary op, its independent reference, and points away from kinks / inside its domain. */
const UNARY: [string, Unary, (x: number) => number, number[]][] = [
  ['neg', hb.neg, (x) => -x, [-1.5, 0.3, 2]],
  ['abs', hb.abs, Math.abs, [-1.5, 0.3, 2]],
  ['sign', hb.sign, Math.sign, [-1.5, 0.3, 2]],
  ['exp', hb.exp, Math.exp, [-3, 0.3, 2.5]],
  ['log', hb.log, Math.log, [0.2, 1.5, 30]],
  ['log1p', hb.log1p, Math.log1p, [-0.5, 1e-3, 4]],
  ['expm1', hb.expm1, Math.expm1, [-2, 1e-3, 1.5]],
  ['sqrt', hb.sqrt, Math.sqrt, [0.25, 2, 9]],
  ['tanh', hb.tanh, Math.tanh, [-2, 0.1, 1.3]],
  ['sigmoid', hb.sigmoid, (x) => 1 / (1 + Math.exp(-x)), [-4, 0.2, 3]],
  ['floor', hb.floor, Math.floor, [-1.5, 0.3, 2.7]],
  ['square', hb.square, (x) => x * x, [-1.5, 0.3, 2]],
  ['reciprocal', hb.reciprocal, (x) => 1 / x, [-1.5, 0.3, 2]],
  ['softplus', hb.softplus, (x) => Math.log(1 + Math.exp(x)), [-3, 0, 0.4, 5]],
  ['relu', hb.relu, (x) => Math.max(x, 0), [-1.5, 0.3, 2]],
];

describe('unary ops', () => {
  for (const [name, op, ref, xs] of UNARY) {
    it(`${name}: forward matches Math, gradient matches finite differences`, () => {
      assertNoLeak(() => {
        assertClose(vals(op(f64(xs))), xs.map(ref), 1e-14, 1e-15, name);
        hb.checkGradients(op, [f64(xs)], { name });
      });
    });
  }

  it('erf matches published values and its gradient 2/sqrt(pi) exp(-x^2)', () => {
    assertNoLeak(() => {
      // Abramowitz & Stegun / NIST DLMF values, to double precision.
      const xs = [0, 0.1, 0.5, 1, 2, -3, 6];
      const expected = [0, 0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014, 1];
      assertClose(vals(hb.erf(f64(xs))), expected, 2e-16, 2e-16);
      hb.checkGradients(hb.erf, [f64([-1.2, 0.05, 0.7, 2.2])]);
    });
  });

  it('erf matches its Maclaurin series on a sweep of [-2, 2]', () => {
    assertNoLeak(() => {
      // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)); for |x| <= 2 the terms peak
      // below 10, so the sum in doubles is good to ~1e-15.
      const series = (x: number): number => {
        let term = x;
        let sum = x;
        for (let n = 1; n < 60; n++) {
          term *= (-x * x) / n;
          sum += term / (2 * n + 1);
        }
        return (2 / Math.sqrt(Math.PI)) * sum;
      };
      const xs = Array.from({ length: 161 }, (_, i) => -2 + i / 40);
      assertClose(vals(hb.erf(f64(xs))), xs.map(series), 1e-14, 1e-15, 'erf');
    });
  });

  it('float32 results are the float64 result rounded once', () => {
    assertNoLeak(() => {
      const xs = [0.1, 0.7, 3.3];
      const f32 = xs.map(Math.fround);
      assertClose(vals(hb.exp(hb.tensor(xs))), f32.map((x) => Math.fround(Math.exp(x))), 0, 0);
      assertClose(vals(hb.add(hb.tensor([0.1]), hb.tensor([0.2]))), [Math.fround(Math.fround(0.1) + Math.fround(0.2))], 0, 0);
    });
  });

  it('sigmoid and softplus are finite and exact at +-1000 and tiny arguments', () => {
    assertNoLeak(() => {
      assertClose(vals(hb.sigmoid(f64([-1000, 1000, -40]))), [0, 1, Math.exp(-40) / (1 + Math.exp(-40))], 1e-15, 0);
      assertClose(vals(hb.softplus(f64([-1000, 1000, -30, 30]))), [0, 1000, Math.log1p(Math.exp(-30)), 30 + Math.log1p(Math.exp(-30))], 1e-15, 0);
      // softplus'(x) = sigmoid(x), also at 0 (the split max(x,0) + log1p(exp(-|x|)) has a kink there)
      const g = hb.grad((x) => hb.softplus(x))(f64([0, -1000, 1000]));
      assertClose(vals(g), [0.5, 0, 1], 0, 0);
    });
  });

  it('softplus is right at the ends of every float range: 0 at -Infinity, x at the largest finite x', () => {
    assertNoLeak(() => {
      const big32 = 3.4028234663852886e38; // float32's largest: x + |x| overflowed to Infinity here
      for (const [dtype, big] of [['float32', big32], ['float64', Number.MAX_VALUE]] as const) {
        const x = hb.tensor([-Infinity, big, -big, Infinity, -0], [5], dtype);
        assertClose(vals(hb.softplus(x)), [0, big, 0, Infinity, Math.LN2], dtype === 'float32' ? 1e-7 : 1e-15, 0, dtype);
        // softplus'(x) = sigmoid(x): 0, 1, 0, 1, 1/2, and no NaN from where's untaken branch.
        const g = hb.grad((t) => hb.softplus(t))(x);
        assertClose(vals(g), [0, 1, 0, 1, 0.5], 0, 0, `${dtype} gradient`);
      }
    });
  });

  it('propagates NaN', () => {
    assertNoLeak(() => {
      const n = f64([NaN]);
      for (const op of [hb.neg, hb.abs, hb.sign, hb.exp, hb.log, hb.sqrt, hb.tanh, hb.erf, hb.sigmoid, hb.softplus, hb.relu, hb.floor]) {
        assert.ok(Number.isNaN(op(n).item()), `${op.name || 'op'}(NaN)`);
      }
      assert.ok(Number.isNaN(hb.clip(n, -1, 1).item()));
    });
  });

  it('int32 accepts neg, abs and sign only; bool only logicalNot', () => {
    assertNoLeak(() => {
      const i = hb.tensor([-3, 0, 5], [3], 'int32');
      assertTensor(hb.neg(i), [3], [3, 0, -5]);
      assertTensor(hb.abs(i), [3], [3, 0, 5]);
      assertTensor(hb.sign(i), [3], [-1, 0, 1]);
      assert.equal(hb.neg(i).dtype, 'int32');
      assertThrowsExact(() => hb.exp(i), hb.DTypeError, 'exp: x must be float32 or float64, received int32');
      const b = hb.tensor([true, false]);
      assert.deepEqual(hb.logicalNot(b).arraySync(), [false, true]);
      assertThrowsExact(() => hb.neg(b), hb.DTypeError, 'neg: x must be numeric, received a bool tensor');
      assertThrowsExact(() => hb.logicalNot(i), hb.DTypeError, 'logicalNot: x must be bool, received int32');
    });
  });
});

type Binary = (a: hb.Tensor, b: hb.Tensor) => hb.Tensor;
const BINARY: [string, Binary, (a: number, b: number) => number, number[], number[]][] = [
  ['add', hb.add, (a, b) => a + b, [-1.5, 0.3, 2], [0.7, -2, 4]],
  ['sub', hb.sub, (a, b) => a - b, [-1.5, 0.3, 2], [0.7, -2, 4]],
  ['mul', hb.mul, (a, b) => a * b, [-1.5, 0.3, 2], [0.7, -2, 4]],
  ['div', hb.div, (a, b) => a / b, [-1.5, 0.3, 2], [0.7, -2, 4]],
  ['pow', hb.pow, Math.pow, [0.5, 1.3, 2], [0.7, -2, 3.5]],
  ['maximum', hb.maximum, Math.max, [-1.5, 0.3, 2], [0.7, -2, 4]],
  ['minimum', hb.minimum, Math.min, [-1.5, 0.3, 2], [0.7, -2, 4]],
];

describe('binary ops', () => {
  for (const [name, op, ref, a, b] of BINARY) {
    it(`${name}: forward matches JS, gradient (both inputs, broadcast both ways) matches finite differences`, () => {
      assertNoLeak(() => {
        assertClose(vals(op(f64(a), f64(b))), a.map((x, i) => ref(x, b[i]!)), 1e-15, 0, name);
        hb.checkGradients(op, [f64(a), f64(b)], { name });
        // [2, 3] with [3] and [2, 1] with [1, 3]: the gradient is summed back to each shape
        hb.checkGradients(op, [f64([a, a.map((x) => x * 1.1)]), f64(b)], { name: `${name} broadcast` });
        hb.checkGradients(op, [f64([[a[0]!], [a[2]!]]), f64([b])], { name: `${name} outer broadcast` });
      });
    });
  }

  it('pow: d/da where a < 0 with an integer exponent (d/db is taken as 0 there)', () => {
    assertNoLeak(() => {
      assertClose(vals(hb.pow(f64([-2, -3]), f64([2, 3]))), [4, -27]);
      hb.checkGradients(hb.pow, [f64([-2, -1.5]), f64([2, 3])], { wrt: [0] });
      const [, gb] = hb.grads(hb.pow)([f64([-2]), f64([2])]);
      assertClose(vals(gb!), [0]);
    });
  });

  it('maximum/minimum send the gradient to a at ties and propagate NaN from either side', () => {
    assertNoLeak(() => {
      const a = f64([1, 2]);
      const b = f64([1, 2]);
      const [ga, gb] = hb.grads(hb.maximum)([a, b]);
      assertClose(vals(ga!), [1, 1]);
      assertClose(vals(gb!), [0, 0]);
      assertClose(vals(hb.maximum(f64([NaN, 1]), f64([1, NaN]))), [NaN, NaN]);
      assertClose(vals(hb.minimum(f64([NaN, 1]), f64([1, NaN]))), [NaN, NaN]);
      assertClose(vals(hb.add(f64([NaN, 1]), f64([1, Infinity]))), [NaN, Infinity]);
    });
  });

  it('broadcasts like NumPy', () => {
    assertNoLeak(() => {
      const cases: [number[], number[], number[]][] = [
        [[2, 3], [3], [2, 3]],
        [[2, 1], [1, 3], [2, 3]],
        [[4, 1, 3], [2, 1], [4, 2, 3]],
        [[], [2, 2], [2, 2]],
        [[1], [0], [0]],
        [[5, 1, 1], [1, 1], [5, 1, 1]],
      ];
      for (const [sa, sb, so] of cases) {
        const n = (s: number[]): number => s.reduce((p, d) => p * d, 1);
        const av = Array.from({ length: n(sa) }, (_, i) => i + 1);
        const bv = Array.from({ length: n(sb) }, (_, i) => 100 * (i + 1));
        const out = hb.add(f64(av, sa), f64(bv, sb));
        assert.deepEqual([...out.shape], so);
        // reference: index each output element back into a and b by the broadcasting rule
        const expect: number[] = [];
        const strides = (s: number[]): number[] => s.map((_, i) => s.slice(i + 1).reduce((p, d) => p * d, 1));
        const so_ = strides(so);
        for (let k = 0; k < n(so); k++) {
          const idx = so.map((_, i) => Math.floor(k / so_[i]!) % so[i]!);
          const at = (s: number[], v: number[]): number => {
            const st = strides(s);
            let off = 0;
            s.forEach((d, i) => (off += (d === 1 ? 0 : idx[idx.length - s.length + i]!) * st[i]!));
            return v[off]!;
          };
          expect.push(at(sa, av) + at(sb, bv));
        }
        assertClose(vals(out), expect, 0, 0, `${sa} + ${sb}`);
      }
    });
  });

  it('fails to broadcast incompatible shapes with a ShapeError naming both shapes', () => {
    assertNoLeak(() => {
      assertThrowsExact(() => hb.add(f64([[1, 2, 3], [4, 5, 6]]), f64([1, 2])), hb.ShapeError,
        'add: shapes [2, 3] and [2] cannot be broadcast together (dimension -1 is 3 and 2)');
      assertThrowsWith(() => hb.mul(hb.zeros([4, 2, 3]), hb.zeros([3, 1, 3])), hb.ShapeError, 'mul', '[4, 2, 3]', '[3, 1, 3]');
    });
  });

  it('takes plain numbers on either side, in the tensor dtype', () => {
    assertNoLeak(() => {
      assertTensor(hb.sub(10, f64([1, 2])), [2], [9, 8]);
      assertTensor(hb.div(f64([1, 2]), 4), [2], [0.25, 0.5]);
      assert.equal(hb.add(f64([1]), 1).dtype, 'float64');
      assert.equal(hb.add(hb.tensor([1], [1], 'int32'), 2).dtype, 'int32');
      assertThrowsWith(() => hb.add(hb.tensor([1], [1], 'int32'), 0.5), hb.DTypeError, 'add', '0.5', 'int32');
    });
  });

  it('requires equal dtypes: no silent promotion', () => {
    assertNoLeak(() => {
      assertThrowsExact(() => hb.add(hb.tensor([1]), f64([1])), hb.DTypeError, 'add: a and b must have the same dtype, received float32 and float64');
      assertThrowsExact(() => hb.mul(hb.tensor([1], [1], 'int32'), hb.tensor([1])), hb.DTypeError, 'mul: a and b must have the same dtype, received int32 and float32');
      assertThrowsExact(() => hb.add(hb.tensor([true]), hb.tensor([false])), hb.DTypeError, 'add: expects numeric tensors, received bool');
      assertThrowsExact(() => hb.logicalAnd(hb.tensor([1]), hb.tensor([1])), hb.DTypeError, 'logicalAnd: expects bool tensors, received float32');
    });
  });

  it('int32 arithmetic: integer results, overflow wraps; division is true division in float32', () => {
    assertNoLeak(() => {
      const i = (v: number[]): hb.Tensor => hb.tensor(v, [v.length], 'int32');
      assertTensor(hb.add(i([1, -2]), i([3, 4])), [2], [4, 2]);
      assertTensor(hb.mul(i([6, -7]), i([7, 3])), [2], [42, -21]);
      assertTensor(hb.add(i([2147483647]), i([1])), [1], [-2147483648]);
      // NumPy's `/`: 7 / 2 = 3.5, 1 / 0 = inf, 0 / 0 = nan (never a truncated 3 or a silent 0).
      const q = hb.div(i([7, -7, 1, 1, -1, 0]), i([2, 2, 3, 0, 0, 0]));
      assert.equal(q.dtype, 'float32');
      assertTensor(q, [6], [3.5, -3.5, Math.fround(1 / 3), Infinity, -Infinity, NaN]);
      assertTensor(hb.div(i([3]), 2), [1], [1.5]);
      assertTensor(hb.div(1, i([4])), [1], [0.25]);
      assertThrowsWith(() => hb.div(i([1]), hb.tensor([2])), hb.DTypeError, 'div: a and b must have the same dtype');
      // pow: exact and wrapping like NumPy's int32; negative exponents refused as in NumPy.
      assertTensor(hb.pow(i([3, -2, 2, 7]), i([20, 31, 40, 2])), [4], [-808182895, -2147483648, 0, 49]);
      assertTensor(hb.pow(i([3]), 3), [1], [27]);
      assertThrowsExact(() => hb.pow(i([2, 3]), i([1, -1])), hb.ValueError,
        'pow: integers to negative integer powers are not allowed (b is int32 and holds -1 at position 1); cast to a float dtype first');
      assertThrowsWith(() => hb.pow(i([2]), -2), hb.ValueError, 'pow: integers to negative integer powers');
      assertThrowsWith(() => hb.reciprocal(i([2])), hb.DTypeError, 'reciprocal: x must be float32 or float64, received int32');
    });
  });

  it('pow follows IEEE 754 (NumPy) at its special cases', () => {
    assertNoLeak(() => {
      // C99 Annex F: pow(1, y) = 1 and pow(x, ±0) = 1 for every x, y (NaN too); pow(-1, ±inf) = 1.
      const a = f64([1, 1, 1, NaN, NaN, -1, -1, 2, -8, 0, -0]);
      const b = f64([NaN, Infinity, -Infinity, 0, -0, Infinity, -Infinity, NaN, 1 / 3, -1, -1]);
      assertTensor(hb.pow(a, b), [11], [1, 1, 1, 1, 1, 1, 1, NaN, NaN, Infinity, -Infinity]);
    });
  });

  it('comparisons and logical ops give bool tensors', () => {
    assertNoLeak(() => {
      const a = f64([1, 2, 3, NaN]);
      const b = f64([2, 2, 2, 2]);
      const asBool = (t: hb.Tensor): boolean[] => {
        assert.equal(t.dtype, 'bool');
        return t.arraySync() as boolean[];
      };
      assert.deepEqual(asBool(hb.equal(a, b)), [false, true, false, false]);
      assert.deepEqual(asBool(hb.notEqual(a, b)), [true, false, true, true]);
      assert.deepEqual(asBool(hb.less(a, b)), [true, false, false, false]);
      assert.deepEqual(asBool(hb.lessEqual(a, b)), [true, true, false, false]);
      assert.deepEqual(asBool(hb.greater(a, b)), [false, false, true, false]);
      assert.deepEqual(asBool(hb.greaterEqual(a, b)), [false, true, true, false]);
      const p = hb.tensor([true, true, false, false]);
      const q = hb.tensor([true, false, true, false]);
      assert.deepEqual(asBool(hb.logicalAnd(p, q)), [true, false, false, false]);
      assert.deepEqual(asBool(hb.logicalOr(p, q)), [true, true, true, false]);
      assert.deepEqual(asBool(hb.less(hb.tensor([1, 5], [2], 'int32'), 3)), [true, false]);
      assert.deepEqual(asBool(hb.equal(p, q)), [true, false, false, true]);
      assert.deepEqual(asBool(hb.notEqual(p, q)), [false, true, true, false]);
      assertThrowsExact(() => hb.less(p, q), hb.DTypeError, 'less: expects numeric tensors, received bool');
    });
  });

  it('comparisons have no gradient but pass through where (where(a > b, a, b) = max)', () => {
    assertNoLeak(() => {
      hb.checkGradients((a, b) => hb.where(hb.greater(a, b), a, b), [f64([1, 5, -2]), f64([3, 2, -1])]);
    });
  });
});

describe('where', () => {
  it('chooses elementwise with all three arguments broadcast', () => {
    assertNoLeak(() => {
      const c = hb.tensor([[true], [false]]);
      const r = hb.where(c, f64([1, 2, 3]), f64(0));
      assertTensor(r, [2, 3], [1, 2, 3, 0, 0, 0]);
      assertTensor(hb.where(hb.tensor([true, false]), 7, f64([[1, 2], [3, 4]])), [2, 2], [7, 2, 7, 4]);
      assertThrowsExact(() => hb.where(f64([1]), f64([1]), f64([2])), hb.DTypeError, 'where: condition must be bool, received float64');
      assertThrowsWith(() => hb.where(hb.tensor([true, false, true]), f64([1, 2]), f64([1, 2])), hb.ShapeError, 'where', '[3]', '[2]');
    });
  });

  it('gradient flows to the chosen side only, summed back to each broadcast shape', () => {
    assertNoLeak(() => {
      const c = hb.tensor([[true, false, true], [false, false, true]]);
      hb.checkGradients((cond, a, b) => hb.where(cond, a, b), [c, f64([1, 2, 3]), f64([[4], [5]])]);
      const [ga, gb] = hb.grads((a, b) => hb.where(c, a, b))([f64([1, 2, 3]), f64([[4], [5]])]);
      assertClose(vals(ga!), [1, 0, 2]);
      assertClose(vals(gb!), [1, 2]);
    });
  });
});

describe('clip', () => {
  it('limits values; gradient is 1 inside (ends included) and 0 outside', () => {
    assertNoLeak(() => {
      const x = f64([-3, -1, 0.5, 1, 4]);
      assertTensor(hb.clip(x, -1, 1), [5], [-1, -1, 0.5, 1, 1]);
      assertClose(vals(hb.grad((t) => hb.clip(t, -1, 1))(x)), [0, 1, 1, 1, 0]);
      hb.checkGradients((t) => hb.clip(t, -1, 1), [f64([-3, -0.2, 0.5, 4])]);
      assertThrowsExact(() => hb.clip(x, 1, -1), hb.ValueError, 'clip: lo must be <= hi, received lo 1 and hi -1');
    });
  });
});
