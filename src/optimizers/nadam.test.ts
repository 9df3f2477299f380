import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { nadam } from './nadam.js';
import { getOptimizer } from './index.js';
import { OptimizerRunner } from './transform.js';
import { assertClose, f64 } from '../../test/helpers.js';
import { GRADS, W0, run64 } from '../../test/optimizer_helpers.js';

/**
 * CONVENTIONS (Keras 3's nadam.py): mu_t = b1·(1 − 0.5·decay^t) with decay 0.96, P_t the
 * running product of mu; m̂ = mu_{t+1}·m/(1 − P_t·mu_{t+1}) + (1 − mu_t)·g/(1 − P_t);
 * v̂ = v/(1 − b2^t); w ← w − lr·m̂/(√v̂ + eps). `power(t)` is decay^t, so PyTorch's schedule
 * (0.96^(0.004·t)) can be run through the same loop.
 */
function refNadam(lr: number, grads = GRADS, w0 = W0, b1 = 0.9, b2 = 0.999, eps = 1e-7, power = (t: number) => 0.96 ** t): number[] {
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  let p = 1;
  grads.forEach((g, k) => {
    const t = k + 1;
    const mu = b1 * (1 - 0.5 * power(t));
    const muNext = b1 * (1 - 0.5 * power(t + 1));
    p *= mu;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      m[i] = m[i]! + (1 - b1) * (gi - m[i]!);
      v[i] = v[i]! + (1 - b2) * (gi * gi - v[i]!);
      const mHat = (muNext * m[i]!) / (1 - p * muNext) + ((1 - mu) * gi) / (1 - p);
      const vHat = v[i]! / (1 - b2 ** t);
      w[i] = w[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  });
  return w;
}

describe('nadam', () => {
  it('five steps match Keras (defaults: lr 0.001, betas 0.9/0.999, eps 1e-7)', () => {
    assertClose(run64(nadam()), refNadam(0.001), 1e-12, 1e-15);
  });
  it('custom betas, epsilon and rate', () => {
    assertClose(run64(nadam({ learningRate: 0.05, beta1: 0.7, beta2: 0.9, epsilon: 1e-3 })), refNadam(0.05, GRADS, W0, 0.7, 0.9, 1e-3), 1e-12, 1e-15);
  });
  it('pins Keras over PyTorch: the momentum schedule uses 0.96^t, not 0.96^(0.004·t)', () => {
    // One step from 0 with g = 1, lr 0.1: m̂ = mu_2·0.1/(1 − mu_1·mu_2) + 1 and v̂ = 1, so the
    // step is −0.1·m̂/(1 + eps): mu_1 = 0.468, mu_2 = 0.48528 give m̂ ≈ 1.0628; PyTorch's
    // mu_1 ≈ 0.45007, mu_2 ≈ 0.45015 give ≈ 1.0565.
    const mu1 = 0.9 * (1 - 0.5 * 0.96);
    const mu2 = 0.9 * (1 - 0.5 * 0.96 ** 2);
    const byHand = (-0.1 * ((mu2 * 0.1) / (1 - mu1 * mu2) + 1)) / (1 + 1e-7);
    const torch = refNadam(0.1, [[1]], [0], 0.9, 0.999, 1e-7, (t) => 0.96 ** (0.004 * t));
    const ours = run64(nadam({ learningRate: 0.1 }), [[1]], [0]);
    assertClose(ours, [byHand], 1e-14, 0);
    assert.ok(Math.abs(ours[0]! - torch[0]!) > 5e-4, `${ours[0]} vs PyTorch ${torch[0]}`);
    // Over five steps too, against the written-out loop.
    assertClose(run64(nadam({ learningRate: 0.1 })), refNadam(0.1), 1e-12, 1e-15);
  });
  it('keeps P_t, the product mu_1…mu_t, once for all weights, as a number in its state', () => {
    const a = hb.variable(f64([1, 2]));
    const b = hb.variable(f64([3]));
    const runner = new OptimizerRunner(nadam(), [a, b]);
    for (let k = 0; k < 3; k++) hb.scope(() => runner.step([f64([0.1, 0.2]), f64([0.3])]));
    const data = runner.saveState();
    let p = 1;
    for (let t = 1; t <= 3; t++) p *= 0.9 * (1 - 0.5 * 0.96 ** t);
    assert.deepEqual(Object.keys(data.numbers), ['nadam/uProduct']);
    assertClose([data.numbers['nadam/uProduct']!], [p], 1e-15, 0);
    hb.dispose(Object.values(data.tensors));
    runner.dispose();
    hb.dispose([a, b]);
  });
  it('validates and reports its config', () => {
    assert.throws(() => nadam({ beta1: -0.5 }), { message: 'nadam: beta1 must be a number in [0, 1), received -0.5' });
    assert.deepEqual(nadam({ globalClipnorm: 1 }).getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, globalClipnorm: 1 });
    assert.equal(getOptimizer('Nadam' as 'nadam').name, 'nadam');
  });
});
