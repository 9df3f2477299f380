import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cosineDecay } from './cosine_decay.js';
import { cosineDecayRestarts, restartPeriod } from './cosine_decay_restarts.js';

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

describe('cosineDecay', () => {
  it('lr0·((1 − alpha)·½(1 + cos(π·step/decaySteps)) + alpha), held after decaySteps', () => {
    const lr = cosineDecay({ initialLearningRate: 2, decaySteps: 4, alpha: 0.1 });
    close(lr(0), 2, 'step 0');
    // step 1: cos(π/4) = √2/2; step 2: cos(π/2) = 0; step 4: cos(π) = −1
    close(lr(1), 2 * (0.9 * 0.5 * (1 + Math.SQRT1_2) + 0.1), 'step 1');
    close(lr(2), 2 * (0.9 * 0.5 + 0.1), 'step 2');
    close(lr(4), 0.2, 'step 4: alpha·lr0');
    close(lr(40), 0.2, 'after decaySteps');
  });
  it('linear warm-up from lr0 to warmupTarget, then the cosine from warmupTarget', () => {
    const lr = cosineDecay({ initialLearningRate: 0, decaySteps: 2, warmupTarget: 1, warmupSteps: 4 });
    assert.deepEqual([0, 1, 2, 3].map(lr), [0, 0.25, 0.5, 0.75]);
    close(lr(4), 1, 'step 4: the decay starts at warmupTarget');
    close(lr(5), 0.5, 'step 5: cos(π/2) = 0');
    close(lr(6), 0, 'step 6: alpha = 0');
    close(lr(100), 0, 'after warmup + decay');
  });
  it('a warm-up from a non-zero lr0, and warmupTarget without warmupSteps decays from the target', () => {
    const lr = cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 0.5, warmupSteps: 2, alpha: 0.2 });
    close(lr(1), 0.3, 'step 1: halfway from 0.1 to 0.5');
    close(lr(12), 0.1, 'the end: alpha·warmupTarget');
    const noWarm = cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 0.5 });
    close(noWarm(0), 0.5, 'step 0');
  });
});

/** Period start points by summing period lengths, the independent way. */
function periodByWalking(step: number, first: number, tMul: number): { i: number; f: number } {
  let start = 0;
  let len = first;
  let i = 0;
  while (step >= start + len) {
    start += len;
    len *= tMul;
    i++;
  }
  return { i, f: (step - start) / len };
}

describe('cosineDecayRestarts', () => {
  it('restarts after 10, 30, 70 steps (tMul 2); peaks scaled by mMul^i, alpha not', () => {
    const lr = cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: 0.5, alpha: 0.1 });
    close(lr(0), 1, 'step 0');
    close(lr(5), 0.9 * 0.5 + 0.1, 'step 5: mid-period');
    close(lr(10), 0.9 * 0.5 + 0.1, 'step 10: restart at 0.5 of the peak');
    close(lr(20), 0.9 * 0.5 * 0.5 + 0.1, 'step 20: the middle of the 20-step period');
    close(lr(30), 0.9 * 0.25 + 0.1, 'step 30: restart at 0.25');
    close(lr(70), 0.9 * 0.125 + 0.1, 'step 70: restart at 0.125');
    close(lr(69.999999), 0.1, 'just before the restart: the floor');
  });
  it('tMul 1: equal periods', () => {
    const lr = cosineDecayRestarts({ initialLearningRate: 2, firstDecaySteps: 4, tMul: 1 });
    for (const k of [0, 1, 2, 7]) close(lr(4 * k), 2, `restart ${k}`);
    close(lr(6), 1, 'step 6: the middle of the second period');
  });
  it('matches a walk over the periods, exactly at every restart too (tMul 2, 3, 1.5)', () => {
    for (const tMul of [2, 3, 1.5]) {
      for (let step = 0; step < 500; step++) {
        const want = periodByWalking(step, 7, tMul);
        const got = restartPeriod(step / 7, tMul);
        assert.equal(got.i, want.i, `tMul ${tMul}, step ${step}: period`);
        assert.ok(Math.abs(got.f - want.f) < 1e-12, `tMul ${tMul}, step ${step}: fraction ${got.f} vs ${want.f}`);
      }
    }
  });
});
