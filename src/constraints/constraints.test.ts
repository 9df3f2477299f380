import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertClose, assertThrowsWith, f64, lcg, vals } from '../../test/helpers.js';

const { maxNorm, nonNeg, unitNorm, minMaxNorm } = hb.constraints;
const EPS = 1e-7;

// A [3, 4] kernel whose columns have norms below and above 1 and 2; column 3 is all zeros.
const rows = 3;
const cols = 4;
const base = lcg(rows * cols, 11, -1, 1);
const scaleOf = [0.2, 1.5, 4, 0];
const wv = base.map((v, i) => v * (scaleOf[i % cols] as number));
const w = (): hb.Tensor => f64(wv, [rows, cols]);
const colNorm = (v: readonly number[], j: number): number => Math.sqrt(Array.from({ length: rows }, (_, i) => (v[i * cols + j] as number) ** 2).reduce((a, b) => a + b, 0));
const rowNorm = (v: readonly number[], i: number): number => Math.sqrt(v.slice(i * cols, (i + 1) * cols).reduce((a, b) => a + b * b, 0));

/** Each element times f(norm of its column)/(eps + norm), in float64: Keras's rescaling. */
function rescaleCols(f: (n: number) => number): number[] {
  return wv.map((v, k) => {
    const n = colNorm(wv, k % cols);
    return (v * f(n)) / (EPS + n);
  });
}

describe('constraints', () => {
  it('maxNorm caps each column norm at maxValue: w·clip(‖w‖, 0, m)/(eps + ‖w‖)', () => {
    const out = vals(maxNorm({ maxValue: 1.2 }).apply(w()));
    assertClose(out, rescaleCols((n) => Math.min(n, 1.2)), 1e-14, 1e-15);
    for (let j = 0; j < cols; j++) assert.ok(colNorm(out, j) <= 1.2 + 1e-12);
    // Defaults maxValue 2, axis 0; axis 1 normalizes rows instead.
    assertClose(vals(maxNorm().apply(w())), rescaleCols((n) => Math.min(n, 2)), 1e-14, 1e-15);
    const byRow = vals(maxNorm({ maxValue: 0.5, axis: 1 }).apply(w()));
    assertClose(byRow, wv.map((v, k) => {
      const n = rowNorm(wv, Math.floor(k / cols));
      return (v * Math.min(n, 0.5)) / (EPS + n);
    }), 1e-14, 1e-15);
    // axis [0, 1]: one norm over the whole tensor.
    const total = Math.sqrt(wv.reduce((s, v) => s + v * v, 0));
    assertClose(vals(maxNorm({ maxValue: 1, axis: [0, 1] }).apply(w())), wv.map((v) => (v * 1) / (EPS + total)), 1e-14, 1e-15);
  });

  it('unitNorm: w/(eps + ‖w‖); a zero column stays zero', () => {
    const out = vals(unitNorm().apply(w()));
    assertClose(out, rescaleCols(() => 1), 1e-14, 1e-15);
    assertClose([0, 1, 2].map((j) => colNorm(out, j)), [1, 1, 1], 1e-6);
    assert.equal(colNorm(out, 3), 0);
  });

  it('minMaxNorm: rate·clip(‖w‖, min, max) + (1 − rate)·‖w‖ as the new norm', () => {
    const c = minMaxNorm({ minValue: 0.5, maxValue: 1, rate: 0.25, axis: 0 });
    assertClose(vals(c.apply(w())), rescaleCols((n) => 0.25 * Math.min(Math.max(n, 0.5), 1) + 0.75 * n), 1e-14, 1e-15);
    // Defaults: [0, 1], rate 1 (strict).
    assertClose(vals(minMaxNorm().apply(w())), rescaleCols((n) => Math.min(n, 1)), 1e-14, 1e-15);
  });

  it('nonNeg: max(w, 0); every constraint keeps the shape and dtype', () => {
    assertClose(vals(nonNeg().apply(w())), wv.map((v) => Math.max(v, 0)), 0, 0);
    for (const c of [maxNorm(), nonNeg(), unitNorm(), minMaxNorm()]) {
      const out = c.apply(hb.ones([3, 2]));
      assert.deepEqual([out.shape, out.dtype], [[3, 2], 'float32'], c.className);
    }
  });

  it('rejects bad values and unknown options, naming the argument and the value', () => {
    assertThrowsWith(() => maxNorm({ maxValue: 0 }), hb.ValueError, 'maxNorm: maxValue must be a finite number > 0, received 0');
    assertThrowsWith(() => maxNorm({ maxValue: -1 }), hb.ValueError, 'maxNorm: maxValue', '-1');
    assertThrowsWith(() => maxNorm({ axis: 0.5 }), hb.ValueError, 'maxNorm: axis must be an integer or a non-empty array of distinct integers, received 0.5');
    assertThrowsWith(() => unitNorm({ axis: [0, 0] }), hb.ValueError, 'unitNorm: axis must be');
    assertThrowsWith(() => minMaxNorm({ minValue: -0.1 }), hb.ValueError, 'minMaxNorm: minValue must be a finite number >= 0, received -0.1');
    assertThrowsWith(() => minMaxNorm({ minValue: 2, maxValue: 1 }), hb.ValueError, 'minMaxNorm: maxValue must be a finite number > 0 and >= minValue (2), received 1');
    assertThrowsWith(() => minMaxNorm({ rate: 1.5 }), hb.ValueError, 'minMaxNorm: rate must be a number in [0, 1], received 1.5');
    assertThrowsWith(() => maxNorm({ max_value: 3 } as hb.constraints.MaxNormOptions), hb.ValueError, 'maxNorm: unknown option "max_value"', 'did you mean "maxValue"');
    // An axis the weight does not have fails when applied, in the reduction's words.
    assert.throws(() => maxNorm({ axis: 2 }).apply(w()), hb.ValueError);
  });

  it('serialize as Keras ({className: "MaxNorm", config}) and come back from configs and names', () => {
    assert.deepEqual(hb.serializeConstraint(maxNorm({ maxValue: 3, axis: 1 })), { className: 'MaxNorm', config: { maxValue: 3, axis: 1 } });
    assert.deepEqual(hb.serializeConstraint(nonNeg()), { className: 'NonNeg', config: {} });
    assert.deepEqual(hb.serializeConstraint(unitNorm({ axis: [0, 1] })), { className: 'UnitNorm', config: { axis: [0, 1] } });
    assert.deepEqual(hb.serializeConstraint(minMaxNorm({ maxValue: 2, rate: 0.5 })), { className: 'MinMaxNorm', config: { minValue: 0, maxValue: 2, rate: 0.5, axis: 0 } });
    for (const c of [maxNorm({ maxValue: 1.5 }), nonNeg(), unitNorm({ axis: 1 }), minMaxNorm({ minValue: 0.2, maxValue: 0.8, rate: 0.7 })]) {
      const json = JSON.parse(JSON.stringify(hb.serializeConstraint(c))) as hb.constraints.ConstraintConfig;
      const back = hb.getConstraint(json);
      assert.deepEqual(hb.serializeConstraint(back), hb.serializeConstraint(c));
      assert.deepEqual(vals(back.apply(w())), vals(c.apply(w())), c.className);
    }
    assert.deepEqual(hb.serializeConstraint(hb.getConstraint('max_norm')), { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } });
    assert.equal(hb.getConstraint('NonNeg' as 'nonNeg').className, 'NonNeg');
    assertThrowsWith(() => hb.getConstraint('maxnorms' as 'maxNorm'), hb.ValueError, 'getConstraint: unknown constraint "maxnorms"');
    assertThrowsWith(() => hb.getConstraint({ className: 'NonNeg', config: { x: 1 } }), hb.ValueError, 'nonNeg: unknown option "x"');
  });
});
