import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adagrad } from './adagrad.js';
import { assertClose } from '../../test/helpers.js';
import { GRADS, W0, refRun, run64 } from '../../test/optimizer_helpers.js';

/** CONVENTIONS: a ← a + g² (a from initialAccumulatorValue); w ← w − lr·g/√(a + eps). */
function refAdagrad(lr: number, a0 = 0.1, eps = 1e-7): number[] {
  return refRun(W0, GRADS, () => ({ a: a0 }), (w, g, s) => {
    s.a += g * g;
    return w - (lr * g) / Math.sqrt(s.a + eps);
  });
}

describe('adagrad', () => {
  it('five steps match the Keras formula (defaults: lr 0.001, accumulator 0.1, eps 1e-7)', () => {
    assertClose(run64(adagrad()), refAdagrad(0.001), 1e-12, 1e-15);
  });
  it('custom rate, accumulator and epsilon', () => {
    assertClose(run64(adagrad({ learningRate: 0.5, initialAccumulatorValue: 0.01, epsilon: 1e-3 })), refAdagrad(0.5, 0.01, 1e-3), 1e-12, 1e-15);
  });
  it('pins Keras over PyTorch: the accumulator starts at 0.1 and eps is inside the root', () => {
    // One step from w = 1 with g = 1, lr 0.1. Keras: a = 0.1 + 1, w = 1 − 0.1/√(1.1 + 1e-7).
    // PyTorch: a = 0 + 1, w = 1 − 0.1/(√1 + 1e-10) ≈ 0.9.
    const keras = 1 - 0.1 / Math.sqrt(1.1 + 1e-7);
    const torch = 1 - 0.1 / (Math.sqrt(1) + 1e-10);
    const [w] = run64(adagrad({ learningRate: 0.1 }), [[1]], [1]);
    assertClose([w!], [keras], 1e-14, 0);
    assert.ok(Math.abs(keras - torch) > 4e-3);
  });
  it('validates its hyperparameters and reports its config', () => {
    assert.throws(() => adagrad({ initialAccumulatorValue: -0.1 }), { name: 'ValueError', message: 'adagrad: initialAccumulatorValue must be a finite number >= 0, received -0.1' });
    assert.throws(() => adagrad({ epsilon: 0 }), { name: 'ValueError', message: 'adagrad: epsilon must be a finite number > 0, received 0' });
    assert.throws(() => adagrad({ learningRate: -1 }), /adagrad: learningRate must be/);
    assert.deepEqual(adagrad({ clipvalue: 1 }).getConfig(), { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7, clipvalue: 1 });
    assert.equal(hb.getOptimizer('adagrad').name, 'adagrad');
  });
});
