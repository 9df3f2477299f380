import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { oneCycle, oneCycleMomentum } from './one_cycle.js';

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

describe('oneCycle', () => {
  // iterations 100: last = 100 // 10 + 1 = 11, half = (100 − 11) // 2 = 44; start = 0.1,
  // end = 1e-4. Phases [0, 44), [44, 88), [88, 100).
  const lr = oneCycle({ maxLearningRate: 1, iterations: 100 });
  it('rises linearly start → max over [0, half)', () => {
    close(lr(0), 0.1, 'step 0: max/10');
    close(lr(22), 0.55, 'step 22: halfway');
    close(lr(43), 0.1 + (0.9 * 43) / 44, 'step 43');
  });
  it('falls max → start over [half, 2·half)', () => {
    close(lr(44), 1, 'step 44: the peak');
    close(lr(66), 0.55, 'step 66');
    close(lr(87), 1 - (0.9 * 43) / 44, 'step 87');
  });
  it('anneals start → start/1000 over [2·half, iterations), then holds', () => {
    close(lr(88), 0.1, 'step 88');
    close(lr(94), 0.1 + ((1e-4 - 0.1) * 6) / 12, 'step 94: halfway through 12 steps');
    close(lr(99), 0.1 + ((1e-4 - 0.1) * 11) / 12, 'step 99: the last step');
    close(lr(100), 1e-4, 'past the cycle');
    close(lr(1e6), 1e-4, 'far past the cycle');
  });
  it('explicit start, last rate and last iterations', () => {
    const c = oneCycle({ maxLearningRate: 0.5, iterations: 20, startLearningRate: 0.05, lastIterations: 4, lastLearningRate: 0.01 });
    // half = (20 − 4) // 2 = 8
    close(c(4), 0.275, 'step 4');
    close(c(8), 0.5, 'step 8');
    close(c(16), 0.05, 'step 16');
    close(c(18), 0.03, 'step 18');
    close(c(20), 0.01, 'end');
  });
  it('one iteration: no rise, the first step uses the start rate', () => {
    const c = oneCycle({ maxLearningRate: 1, iterations: 1 });
    close(c(0), 0.1, 'step 0');
  });
});

describe('oneCycleMomentum', () => {
  it('the other way round: 0.95 → 0.85 over [0, half), back over [half, 2·half), then 0.95', () => {
    const m = oneCycleMomentum({ iterations: 100 });
    close(m(0), 0.95, 'step 0');
    close(m(22), 0.9, 'step 22');
    close(m(44), 0.85, 'step 44, where the rate peaks');
    close(m(66), 0.9, 'step 66');
    close(m(88), 0.95, 'step 88');
    close(m(99), 0.95, 'the last step');
    close(m(1000), 0.95, 'past the cycle');
  });
  it('custom bounds', () => {
    const m = oneCycleMomentum({ iterations: 20, lastIterations: 4, maxMomentum: 0.9, minMomentum: 0.5 });
    close(m(4), 0.7, 'step 4');
    close(m(8), 0.5, 'step 8');
  });
});
