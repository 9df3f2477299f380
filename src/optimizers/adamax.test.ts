import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adamax } from './adamax.js';
import { getOptimizer } from './index.js';
import { assertClose } from '../../test/helpers.js';
import { GRADS, W0, refRun, run64 } from '../../test/optimizer_helpers.js';

/** CONVENTIONS: m as Adam; u ← max(b2·u, |g|); w ← w − lr·m/((1 − b1^t)·(u + eps)). */
function refAdamax(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-7, grads = GRADS, w0 = W0): number[] {
  return refRun(w0, grads, () => ({ m: 0, u: 0 }), (w, g, s, t) => {
    s.m = s.m + (1 - b1) * (g - s.m);
    s.u = Math.max(b2 * s.u, Math.abs(g));
    return w - (lr * s.m) / ((1 - b1 ** t) * (s.u + eps));
  });
}

describe('adamax', () => {
  it('five steps match Keras (defaults: lr 0.001, betas 0.9/0.999, eps 1e-7)', () => {
    assertClose(run64(adamax()), refAdamax(0.001), 1e-12, 1e-15);
  });
  it('custom betas and rate', () => {
    assertClose(run64(adamax({ learningRate: 0.02, beta1: 0.5, beta2: 0.8 })), refAdamax(0.02, 0.5, 0.8), 1e-12, 1e-15);
  });
  it('pins Keras over PyTorch: eps is added to u after the max, not inside it', () => {
    // With eps 0.5 the two agree on step 1 (u = 1 either way, plus eps) and part on step 2:
    // Keras u = max(0.999·1, 0.1) = 0.999, divides by 0.999 + 0.5; PyTorch
    // u = max(0.999·1.5, 0.1 + 0.5) = 1.4985 and divides by that.
    const grads = [[1], [0.1]];
    const keras = refAdamax(0.1, 0.9, 0.999, 0.5, grads, [0]);
    let m = 0;
    let u = 0;
    let w = 0;
    grads.forEach(([g], k) => {
      m = 0.9 * m + 0.1 * g!;
      u = Math.max(0.999 * u, Math.abs(g!) + 0.5);
      w -= (0.1 * m) / ((1 - 0.9 ** (k + 1)) * u);
    });
    const ours = run64(adamax({ learningRate: 0.1, epsilon: 0.5 }), grads, [0]);
    assertClose(ours, keras, 1e-14, 0);
    assert.ok(Math.abs(ours[0]! - w) > 1e-5, `${ours[0]} vs PyTorch ${w}`);
  });
  it('validates and reports its config', () => {
    assert.throws(() => adamax({ beta2: 1 }), { message: 'adamax: beta2 must be a number in [0, 1), received 1' });
    assert.throws(() => adamax({ epsilon: 0 }), { message: 'adamax: epsilon must be a finite number > 0, received 0' });
    assert.deepEqual(adamax().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    assert.equal(getOptimizer('adamax').name, 'adamax');
  });
});
