import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmsprop } from './rmsprop.js';
import { getOptimizer, type OptimizerId } from './index.js';
import { assertClose } from '../../test/helpers.js';
import { GRADS, W0, refRun, run64 } from '../../test/optimizer_helpers.js';

const loose = <T>(v: unknown): T => v as T;

/**
 * Keras 3's rmsprop.py: v ← rho·v + (1 − rho)·g²; centered: ḡ ← rho·ḡ + (1 − rho)·g,
 * den = v − ḡ² + eps, else v + eps; inc = lr·g/√den; momentum: mom ← m·mom + inc, w ← w − mom.
 */
function refRms(lr: (s: number) => number, rho = 0.9, momentum = 0, eps = 1e-7, centered = false): number[] {
  return refRun(W0, GRADS, () => ({ v: 0, mg: 0, mom: 0 }), (w, g, s, t) => {
    s.v = rho * s.v + (1 - rho) * g * g;
    if (centered) s.mg = rho * s.mg + (1 - rho) * g;
    const den = centered ? s.v - s.mg * s.mg + eps : s.v + eps;
    const inc = (lr(t - 1) * g) / Math.sqrt(den);
    if (momentum > 0) {
      s.mom = momentum * s.mom + inc;
      return w - s.mom;
    }
    return w - inc;
  });
}

describe('rmsprop', () => {
  it('five steps match Keras (defaults: lr 0.001, rho 0.9, eps 1e-7)', () => {
    assertClose(run64(rmsprop()), refRms(() => 0.001), 1e-12, 1e-15);
  });
  it('with momentum, the rate folded into the momentum buffer, under a schedule', () => {
    const lr = (s: number): number => 0.05 / (1 + s);
    assertClose(run64(rmsprop({ learningRate: lr, momentum: 0.8, rho: 0.7 })), refRms(lr, 0.7, 0.8), 1e-12, 1e-15);
  });
  it('centered divides by the variance estimate v − ḡ² (+ eps inside the root), with momentum too', () => {
    assertClose(run64(rmsprop({ learningRate: 0.01, centered: true })), refRms(() => 0.01, 0.9, 0, 1e-7, true), 1e-12, 1e-15);
    assertClose(run64(rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5, epsilon: 1e-3 })), refRms(() => 0.01, 0.9, 0.5, 1e-3, true), 1e-12, 1e-15);
  });
  it('pins Keras over PyTorch: eps inside the root', () => {
    // One step with g = 1e-4, lr 0.01, rho 0.9 (v = 1e-9). Keras: 0.01·g/√(v + 1e-7);
    // PyTorch (alpha 0.9 to compare like with like): 0.01·g/(√v + 1e-8), ten times larger.
    const g = 1e-4;
    const v = 0.1 * g * g;
    const keras = -(0.01 * g) / Math.sqrt(v + 1e-7);
    const torch = -(0.01 * g) / (Math.sqrt(v) + 1e-8);
    const [w] = run64(rmsprop({ learningRate: 0.01 }), [[g]], [0]);
    assertClose([w!], [keras], 1e-13, 0);
    assert.ok(Math.abs(torch) > 9 * Math.abs(keras));
  });
  it('validates rho, momentum, epsilon and centered; reports its config', () => {
    assert.throws(() => rmsprop({ rho: 1 }), { message: 'rmsprop: rho must be a number in [0, 1), received 1' });
    assert.throws(() => rmsprop({ momentum: -0.1 }), { message: 'rmsprop: momentum must be a number in [0, 1], received -0.1' });
    assert.throws(() => rmsprop({ epsilon: -1 }), { message: 'rmsprop: epsilon must be a finite number > 0, received -1' });
    assert.throws(() => rmsprop({ centered: loose(1) }), /rmsprop: centered must be true or false/);
    assert.deepEqual(rmsprop().getConfig(), { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    assert.equal(getOptimizer('RMSprop' as OptimizerId).name, 'rmsprop');
  });
});
