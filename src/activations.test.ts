import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from './index.js';
import * as act from './activations.js';
import { f64, vals, lcg, assertClose, assertTensor, assertNoLeak, assertThrowsWith } from '../test/helpers.js';

/** erf by its Maclaurin series in plain JS (independent of the backend erf kernel). */
function erfRef(x: number): number {
  // Maclaurin series: converges fast for |x| <= 3 (all test points), ~1e-16 relative.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    const t = term / (2 * n + 1);
    sum += t;
    term *= (-x * x) / (n + 1);
    if (Math.abs(t) < 1e-18 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc(z) for z >= 2 by its continued fraction. */
function erfcCF(z: number): number {
  let k = z;
  for (let n = 200; n >= 1; n--) k = z + n / 2 / k;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / k;
}

/** 1 + erf(x); beyond |x| = 2 by erfc (the series would cancel catastrophically there). */
function onePlusErf(x: number): number {
  if (x < -2) return erfcCF(-x);
  if (x > 2) return 2 - erfcCF(x);
  return 1 + erfRef(x);
}

const ALPHA = 1.6732632423543772848170429916717;
const SCALE = 1.0507009873554804934193349852946;

/** Independent plain-JS formulas (CONVENTIONS.md), one per activation. */
const REF: Record<string, (x: number) => number> = {
  linear: (x) => x,
  step: (x) => (x >= 0 ? 1 : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  relu: (x) => Math.max(x, 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  leakyRelu: (x) => (x > 0 ? x : 0.2 * x),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SCALE * (x > 0 ? x : ALPHA * (Math.exp(x) - 1)),
  gelu: (x) => 0.5 * x * onePlusErf(x / Math.SQRT2),
  silu: (x) => x / (1 + Math.exp(-x)),
  swish: (x) => x / (1 + Math.exp(-x)),
  softplus: (x) => Math.log(1 + Math.exp(x)),
  softsign: (x) => x / (1 + Math.abs(x)),
  hardSigmoid: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
};

/** Points away from every kink (0 for relu/elu/step..., ±3 for hardSigmoid, 6 for relu6). */
const SMOOTH_POINTS = [-4.5, -2.7, -1.3, -0.4, -0.05, 0.07, 0.6, 1.9, 2.4, 4.2, 7.5];

describe('activations: forward values against the formulas', () => {
  for (const [name, ref] of Object.entries(REF)) {
    it(name, () => {
      assertNoLeak(() => {
        const fn = act.getActivation(name as act.ActivationId);
        const xs = [...SMOOTH_POINTS, 0, -3, 3, 6];
        // erf's kernel is good to ~3e-12 relative in gelu's far tail; the rest to ~1e-15.
        assertTensor(fn(f64(xs)), [xs.length], xs.map(ref), name === 'gelu' ? 1e-11 : 1e-13, 1e-15);
      });
    });
  }

  it('gelu with approximate = true uses the tanh form', () => {
    assertNoLeak(() => {
      const k = Math.sqrt(2 / Math.PI);
      const ref = (x: number): number => 0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x ** 3)));
      assertTensor(act.gelu(f64(SMOOTH_POINTS), true), [SMOOTH_POINTS.length], SMOOTH_POINTS.map(ref), 1e-13, 1e-15);
      // the two forms differ (by < 1e-3), so the flag matters
      const d = vals(hb.abs(hb.sub(act.gelu(f64([1.5]), true), act.gelu(f64([1.5])))))[0]!;
      assert.ok(d > 1e-5 && d < 1e-3, `difference ${d}`);
    });
  });

  it('leakyRelu and elu take their parameters', () => {
    assertNoLeak(() => {
      assertTensor(act.leakyRelu(f64([-2, 3]), 0.01), [2], [-0.02, 3]);
      assertTensor(act.elu(f64([-1, 2]), 0.5), [2], [0.5 * (Math.exp(-1) - 1), 2]);
    });
  });

  it('softmax and logSoftmax match the formula over the last axis (or another)', () => {
    assertNoLeak(() => {
      const v = lcg(6, 3, -2, 2);
      const row = (r: number[]): number[] => {
        const s = r.reduce((a, b) => a + Math.exp(b), 0);
        return r.map((x) => Math.exp(x) / s);
      };
      const expected = [...row(v.slice(0, 3)), ...row(v.slice(3))];
      assertTensor(act.softmax(f64(v, [2, 3])), [2, 3], expected, 1e-13);
      assertTensor(act.logSoftmax(f64(v, [2, 3])), [2, 3], expected.map(Math.log), 1e-13);
      const col = [0, 1, 2].map((j) => row([v[j]!, v[3 + j]!]));
      assertTensor(act.softmax(f64(v, [2, 3]), 0), [2, 3], [0, 1].flatMap((i) => col.map((c) => c[i]!)), 1e-13);
    });
  });

  it('stay finite at ±1000 (no overflow in the discarded where-branch either)', () => {
    assertNoLeak(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const name of ['sigmoid', 'tanh', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'softsign', 'hardSigmoid', 'leakyRelu', 'step'] as const) {
          const y = vals(act.getActivation(name)(hb.tensor([-1000, 1000], [2], dtype)));
          assert.ok(y.every(Number.isFinite), `${name}: ${y}`);
          const g = vals(hb.grad((x) => act.getActivation(name)(x))(hb.tensor([-1000, 1000], [2], dtype)));
          assert.ok(g.every(Number.isFinite), `${name}' at ±1000 (${dtype}): ${g}`);
        }
      }
      assertClose(vals(act.softplus(f64([1000, -1000]))), [1000, 0]);
      assertClose(vals(act.softmax(f64([1000, -1000, 1000]))), [0.5, 0, 0.5]);
    });
  });

  it('step is 1 at exactly 0 (documented choice) and passes NaN through', () => {
    assertNoLeak(() => {
      assertTensor(act.step(f64([-1e-300, 0, -0, 1e-300])), [4], [0, 1, 1, 1], 0, 0);
      assert.ok(Number.isNaN(act.step(f64([NaN])).item()));
      assert.ok(Number.isNaN(act.relu(f64([NaN])).item()));
    });
  });

  it('keep float32 inputs float32', () => {
    assertNoLeak(() => {
      for (const name of Object.keys(REF)) {
        const y = act.getActivation(name as act.ActivationId)(hb.tensor([-1, 0.5]));
        assert.equal(y.dtype, 'float32', name);
      }
    });
  });
});

describe('activations: gradients', () => {
  for (const name of Object.keys(REF)) {
    it(`${name}: finite differences away from kinks`, () => {
      assertNoLeak(() => {
        const fn = act.getActivation(name as act.ActivationId);
        hb.checkGradients(fn, [f64(SMOOTH_POINTS)], { name });
      });
    });
  }

  it('gelu approximate, leakyRelu(slope), elu(alpha), softmax and logSoftmax on rows', () => {
    assertNoLeak(() => {
      hb.checkGradients((x) => act.gelu(x, true), [f64(SMOOTH_POINTS)]);
      hb.checkGradients((x) => act.leakyRelu(x, 0.05), [f64(SMOOTH_POINTS)]);
      hb.checkGradients((x) => act.elu(x, 1.7), [f64(SMOOTH_POINTS)]);
      const x = f64(lcg(12, 5, -3, 3), [3, 4]);
      hb.checkGradients((t) => act.softmax(t), [x]);
      hb.checkGradients((t) => act.logSoftmax(t), [x]);
      hb.checkGradients((t) => act.softmax(t, 0), [x]);
    });
  });

  it('analytic derivatives at known points: step 0, relu\'(0) = 0, sigmoid\'(0) = 1/4, softsign\'(0) = 1', () => {
    assertNoLeak(() => {
      const g = (fn: act.ActivationFn, xs: number[]): number[] => vals(hb.grad(fn)(f64(xs)));
      assertClose(g(act.step, [-2, 0, 3]), [0, 0, 0]);
      assertClose(g(act.relu, [-1, 0, 1]), [0, 0, 1]);
      assertClose(g(act.sigmoid, [0]), [0.25]);
      assertClose(g(act.softsign, [0]), [1]);
      assertClose(g(act.leakyRelu, [-1, 2]), [0.2, 1]);
      assertClose(g(act.hardSigmoid, [-4, 0, 4]), [0, 1 / 6, 0]);
      assertClose(g(act.selu, [-1, 1]), [SCALE * ALPHA * Math.exp(-1), SCALE]);
      // gelu'(x) = Φ(x) + x·φ(x)
      const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
      assertClose(g(act.gelu, [0.8]), [0.5 * (1 + erfRef(0.8 / Math.SQRT2)) + 0.8 * phi(0.8)], 1e-12);
    });
  });
});

describe('getActivation / activationName', () => {
  it('resolves camelCase and snake_case names, functions, null and undefined', () => {
    assert.equal(act.getActivation('leakyRelu'), act.leakyRelu);
    assert.equal(act.getActivation('leaky_relu'), act.leakyRelu);
    assert.equal(act.getActivation('hard_sigmoid'), act.hardSigmoid);
    assert.equal(act.getActivation('log_softmax'), act.logSoftmax);
    assert.equal(act.getActivation('swish'), act.silu);
    assert.equal(act.getActivation(null), act.linear);
    assert.equal(act.getActivation(undefined), act.linear);
    const mine = (x: hb.Tensor): hb.Tensor => hb.mul(x, 2);
    assert.equal(act.getActivation(mine), mine);
  });

  it('names round-trip through getActivation; swish serializes as silu (Keras 3)', () => {
    for (const name of Object.keys(REF)) {
      const fn = act.getActivation(name as act.ActivationId);
      const back = act.activationName(fn);
      assert.ok(act.isActivationId(back), back);
      assert.equal(act.getActivation(back), fn);
    }
    assert.equal(act.activationName(act.swish), 'silu');
    assert.equal(act.activationName(act.leakyRelu), 'leakyRelu');
    function doubler(x: hb.Tensor): hb.Tensor {
      return hb.mul(x, 2);
    }
    assert.equal(act.activationName(doubler), 'doubler');
  });

  it('rejects unknown names with the list of valid ones', () => {
    assertThrowsWith(() => act.getActivation('rellu' as act.ActivationId), hb.ValueError, 'getActivation', '"rellu"', 'leakyRelu');
    assert.equal(act.isActivationId('rellu'), false);
    assert.equal(act.isActivationId('leaky_relu'), true);
  });
});
