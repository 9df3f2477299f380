import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertClose, assertThrowsWith, f64, lcg } from '../../test/helpers.js';

const { l1, l2, l1l2 } = hb.regularizers;

// Weights with both signs, in float64 so that the penalties match the formulas to ~1e-15.
const wv = lcg(12, 7, -2, 2);
const w = (): hb.Tensor => f64(wv, [3, 4]);
const sumAbs = wv.reduce((s, v) => s + Math.abs(v), 0);
const sumSq = wv.reduce((s, v) => s + v * v, 0);

describe('regularizers', () => {
  it('l1, l2, l1l2 are λ·Σ|w|, λ·Σw² and their sum (float64, the formulas)', () => {
    assertClose([l1(0.3).apply(w()).item()], [0.3 * sumAbs], 1e-14);
    assertClose([l2(0.2).apply(w()).item()], [0.2 * sumSq], 1e-14);
    assertClose([l1l2({ l1: 0.1, l2: 0.05 }).apply(w()).item()], [0.1 * sumAbs + 0.05 * sumSq], 1e-14);
    // Keras defaults: l1 and l2 0.01; L1L2's factors 0 (so it penalizes nothing by default).
    assertClose([l1().apply(w()).item(), l2().apply(w()).item()], [0.01 * sumAbs, 0.01 * sumSq], 1e-14);
    const none = l1l2().apply(w());
    assert.deepEqual([none.shape, none.dtype, none.item()], [[], 'float64', 0]);
    assert.equal(l2(0.5).apply(hb.ones([2, 2])).dtype, 'float32');
  });

  it('gradients match finite differences (2λw for l2, λ·sign(w) for l1)', () => {
    for (const r of [l1(0.3), l2(0.2), l1l2({ l1: 0.1, l2: 0.05 })]) hb.checkGradients((x) => r.apply(x), [w()], { name: r.className });
    const g = hb.grad((x: hb.Tensor) => l2(0.2).apply(x))(w());
    assertClose(Array.from(g.dataSync()), wv.map((v) => 2 * 0.2 * v), 1e-14);
  });

  it('rejects negative, infinite and non-numeric factors and unknown options, naming them', () => {
    assertThrowsWith(() => l2(-0.1), hb.ValueError, 'l2: l2 must be a non-negative finite number', '-0.1');
    assertThrowsWith(() => l1(Infinity), hb.ValueError, 'l1: l1 must be a non-negative finite number', 'Infinity');
    assertThrowsWith(() => l1l2({ l1: 0.1, l2: Number.NaN }), hb.ValueError, 'l1l2: l2 must be');
    assertThrowsWith(() => l1('0.1' as unknown as number), hb.ValueError, 'l1: l1 must be', '"0.1"');
    assertThrowsWith(() => l1l2({ l_2: 0.1 } as hb.regularizers.L1L2Options), hb.ValueError, 'l1l2: unknown option "l_2"', 'did you mean "l2"');
  });

  it('serialize as Keras ({className: "L2", config: {l2}}) and come back from configs and names', () => {
    assert.deepEqual(hb.serializeRegularizer(l2(0.02)), { className: 'L2', config: { l2: 0.02 } });
    assert.deepEqual(hb.serializeRegularizer(l1(0.03)), { className: 'L1', config: { l1: 0.03 } });
    assert.deepEqual(hb.serializeRegularizer(l1l2({ l2: 0.5 })), { className: 'L1L2', config: { l1: 0, l2: 0.5 } });
    for (const r of [l1(0.03), l2(0.02), l1l2({ l1: 0.1, l2: 0.5 })]) {
      const back = hb.getRegularizer(hb.serializeRegularizer(r));
      assert.deepEqual(hb.serializeRegularizer(back), hb.serializeRegularizer(r));
      assertClose([back.apply(w()).item()], [r.apply(w()).item()], 0, 0);
    }
    assert.deepEqual(hb.serializeRegularizer(hb.getRegularizer('l2')), { className: 'L2', config: { l2: 0.01 } });
    assert.deepEqual(hb.serializeRegularizer(hb.getRegularizer('l1_l2')), { className: 'L1L2', config: { l1: 0, l2: 0 } });
    assert.deepEqual(hb.serializeRegularizer(hb.getRegularizer({ className: 'L1L2', config: { l1: 0.2 } })), { className: 'L1L2', config: { l1: 0.2, l2: 0 } });
    assertThrowsWith(() => hb.getRegularizer('l3' as 'l2'), hb.ValueError, 'getRegularizer: unknown regularizer "l3"');
    assertThrowsWith(() => hb.getRegularizer({ className: 'L2', config: { l1: 0.1 } }), hb.ValueError, 'l2: unknown option "l1"');
    assertThrowsWith(() => hb.getRegularizer({ className: 'L2', config: { l2: -1 } }), hb.ValueError, 'l2: l2 must be a non-negative');
  });
});
