import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exponentialDecay } from './exponential_decay.js';
import { inverseTimeDecay, powerDecay } from './inverse_time_decay.js';
import { piecewiseConstantDecay } from './piecewise_constant_decay.js';
import { polynomialDecay } from './polynomial_decay.js';

/** |a − b| within a few float64 ulps of b. */
function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

describe('exponentialDecay', () => {
  it('lr0·rate^(step/decaySteps), by hand', () => {
    const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5 });
    close(lr(0), 0.1, 'step 0');
    close(lr(2), 0.1 * Math.SQRT1_2, 'step 2: half a period, 0.1/√2');
    close(lr(4), 0.05, 'step 4');
    close(lr(6), 0.05 * Math.SQRT1_2, 'step 6');
    close(lr(12), 0.0125, 'step 12');
  });
  it('staircase floors the exponent: constant within a period, drops at its end', () => {
    const lr = exponentialDecay({ initialLearningRate: 1, decaySteps: 3, decayRate: 0.1, staircase: true });
    assert.deepEqual([0, 1, 2].map(lr), [1, 1, 1]);
    close(lr(3), 0.1, 'step 3');
    close(lr(5), 0.1, 'step 5');
    close(lr(6), 0.01, 'step 6');
  });
});

describe('inverseTimeDecay and powerDecay', () => {
  it('inverseTimeDecay: lr0/(1 + rate·step/decaySteps), by hand', () => {
    const lr = inverseTimeDecay({ initialLearningRate: 0.3, decaySteps: 10, decayRate: 2 });
    close(lr(0), 0.3, 'step 0');
    close(lr(5), 0.15, 'step 5: 0.3/(1 + 1)');
    close(lr(10), 0.1, 'step 10: 0.3/3');
    close(lr(25), 0.05, 'step 25: 0.3/6');
  });
  it('inverseTimeDecay staircase: floor(step/decaySteps)', () => {
    const lr = inverseTimeDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 1, staircase: true });
    assert.equal(lr(9), 1);
    assert.equal(lr(10), 0.5);
    assert.equal(lr(19), 0.5);
    close(lr(20), 1 / 3, 'step 20');
  });
  it('powerDecay: lr0/(1 + step/s)^c, by hand; c defaults to 1', () => {
    const lr = powerDecay({ initialLearningRate: 0.01, s: 20, c: 2 });
    close(lr(0), 0.01, 'step 0');
    close(lr(20), 0.0025, 'step s: lr0/2²');
    close(lr(60), 0.000625, 'step 3s: lr0/4²');
    close(lr(10), 0.01 / 2.25, 'step s/2: lr0/1.5²');
    const one = powerDecay({ initialLearningRate: 1, s: 4 });
    close(one(4), 0.5, 'c = 1, step s');
    close(one(12), 0.25, 'c = 1, step 3s');
  });
  it('powerDecay with c = 1 is inverseTimeDecay with decaySteps = s, decayRate = 1', () => {
    const p = powerDecay({ initialLearningRate: 0.2, s: 7 });
    const it = inverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 7, decayRate: 1 });
    for (const s of [0, 1, 3, 7, 50, 1000]) close(p(s), it(s), `step ${s}`);
  });
});

describe('piecewiseConstantDecay', () => {
  it('the boundary step belongs to the earlier interval (Keras)', () => {
    const lr = piecewiseConstantDecay({ boundaries: [5, 10], values: [1, 0.5, 0.1] });
    assert.deepEqual([0, 4, 5, 6, 9, 10, 11, 1000].map(lr), [1, 1, 1, 0.5, 0.5, 0.5, 0.1, 0.1]);
  });
  it('one boundary, two values; fractional steps between', () => {
    const lr = piecewiseConstantDecay({ boundaries: [2.5], values: [3, 4] });
    assert.deepEqual([0, 2, 2.5, 3].map(lr), [3, 3, 3, 4]);
  });
});

describe('polynomialDecay', () => {
  it('linear (power 1) from lr0 to end over decaySteps, then held at end', () => {
    const lr = polynomialDecay({ initialLearningRate: 1, decaySteps: 4, endLearningRate: 0.2 });
    close(lr(0), 1, 'step 0');
    close(lr(1), 0.8, 'step 1: 0.8·0.75 + 0.2');
    close(lr(2), 0.6, 'step 2');
    close(lr(4), 0.2, 'step 4');
    close(lr(100), 0.2, 'after decaySteps');
  });
  it('power 0.5 and the default end 1e-4', () => {
    const lr = polynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, power: 0.5 });
    close(lr(75), (0.1 - 1e-4) * 0.5 + 1e-4, 'step 75: √0.25 = 0.5');
    close(lr(100), 1e-4, 'end');
  });
  it('cycle: the horizon is decaySteps·ceil(step/decaySteps), decaySteps at step 0', () => {
    const lr = polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, cycle: true });
    close(lr(0), 1, 'step 0');
    close(lr(5), 0.5, 'step 5: horizon 10');
    close(lr(10), 0, 'step 10: horizon 10, the end');
    close(lr(11), 1 - 11 / 20, 'step 11: horizon 20');
    close(lr(20), 0, 'step 20');
    close(lr(25), 1 - 25 / 30, 'step 25: horizon 30');
  });
});
