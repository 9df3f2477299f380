import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { getOptimizer } from './index.js';
import { OptimizerRunner } from './transform.js';
import { assertClose, f64 } from '../../test/helpers.js';
import { GRADS, W0, run64 } from '../../test/optimizer_helpers.js';

/**
 * CONVENTIONS (Keras 3's adam.py): m, v as usual; alpha = lr·√(1 − b2^t)/(1 − b1^t); with
 * AMSGrad v̂ ← max(v̂, v) of the uncorrected v; w ← w − alpha·m/(√(v̂ or v) + eps); then
 * decoupled decay w ← w − lr·wd·w, taken at the weights before the step, when `wd`(i) says so.
 */
function refAdam(lr: number, o: { amsgrad?: boolean; eps?: number; wd?: number; grads?: number[][]; w0?: number[] } = {}): number[] {
  const { amsgrad = false, eps = 1e-7, wd = 0, grads = GRADS, w0 = W0 } = o;
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  const vHat = w.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    const alpha = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      m[i] = m[i]! + 0.1 * (gi - m[i]!);
      v[i] = v[i]! + 0.001 * (gi * gi - v[i]!);
      vHat[i] = Math.max(vHat[i]!, v[i]!);
      const den = Math.sqrt(amsgrad ? vHat[i]! : v[i]!) + eps;
      w[i] = w[i]! - lr * wd * w[i]! - (alpha * m[i]!) / den;
    }
  });
  return w;
}

describe('adam: AMSGrad', () => {
  it('five steps match Keras (the running max of the uncorrected v)', () => {
    const r = refAdam(0.1, { amsgrad: true });
    assertClose(run64(adam({ learningRate: 0.1, amsgrad: true })), r, 1e-12, 1e-15);
    // The middle weight's gradient shrinks at step 4 (0.01 after −0.6), so its v falls below
    // the maximum and AMSGrad moves it differently (by ~1.3e-5, far above the 1e-12 match).
    assert.ok(Math.abs(r[1]! - refAdam(0.1)[1]!) > 1e-5);
  });
  it('pins Keras over PyTorch: eps added to √v̂ of the uncorrected maximum', () => {
    // PyTorch's amsgrad divides by √(max v)/√(1 − b2^t) + eps. With eps 0.1 one step from
    // 0 with g = 1: Keras −lr·(√0.001/0.1)·0.1/(√0.001 + 0.1); PyTorch −lr·1/(1 + 0.1).
    const keras = (-0.01 * (Math.sqrt(1 - 0.999) / 0.1) * 0.1) / (Math.sqrt(0.001) + 0.1);
    const torch = (-0.01 * 0.1) / 0.1 / (Math.sqrt(0.001) / Math.sqrt(1 - 0.999) + 0.1);
    const ours = run64(adam({ learningRate: 0.01, amsgrad: true, epsilon: 0.1 }), [[1]], [0]);
    assertClose(ours, [keras], 1e-13, 0);
    assert.ok(Math.abs(ours[0]! - torch) > 1e-3);
  });
  it('has the fused step too (fused_step.test.ts checks it against the chain); the state holds vHat', () => {
    const opt = adam({ amsgrad: true });
    assert.ok(opt.applyStep);
    const w = hb.variable(f64([1, 2]));
    const s = opt.init([w]);
    assert.equal(s.adam.vHat?.length, 1);
    assert.equal(adam().init([w]).adam.vHat, null);
    hb.dispose([...s.adam.m, ...s.adam.v, ...(s.adam.vHat ?? [])]);
    w.dispose();
  });
});

describe('adamw', () => {
  it('pins Keras over PyTorch: weightDecay defaults to 0.004 (PyTorch 0.01), decoupled', () => {
    assert.equal(adamw().getConfig()['weightDecay'], 0.004);
    assertClose(run64(adamw({ learningRate: 0.01 })), refAdam(0.01, { wd: 0.004 }), 1e-12, 1e-15);
    const torchDefault = refAdam(0.01, { wd: 0.01 });
    assert.ok(Math.abs(run64(adamw({ learningRate: 0.01 }))[2]! - torchDefault[2]!) > 1e-4);
  });
  it('five steps with a given decay and AMSGrad', () => {
    assertClose(run64(adamw({ learningRate: 0.05, weightDecay: 0.1, amsgrad: true })), refAdam(0.05, { wd: 0.1, amsgrad: true }), 1e-12, 1e-15);
  });
  it('excludeFromWeightDecay by name substring or by predicate leaves those weights undecayed', () => {
    for (const exclude of [['bias'], (v: hb.Variable) => v.name.endsWith('/bias')]) {
      const k = hb.variable(f64(W0), { name: 'dense/kernel' });
      const b = hb.variable(f64(W0), { name: 'dense/bias' });
      const runner = new OptimizerRunner(adamw({ learningRate: 0.05, weightDecay: 0.1, excludeFromWeightDecay: exclude }), [k, b]);
      for (const g of GRADS) hb.scope(() => runner.step([f64(g), f64(g)]));
      assertClose(Array.from(k.dataSync()), refAdam(0.05, { wd: 0.1 }), 1e-12, 1e-15);
      assertClose(Array.from(b.dataSync()), refAdam(0.05), 1e-12, 1e-15);
      runner.dispose();
      hb.dispose([k, b]);
    }
  });
  it('validates under its own name; weightDecay 0 turns the decay off', () => {
    assert.throws(() => adamw({ weightDecay: -1 }), { message: 'adamw: weightDecay must be a finite number >= 0, received -1' });
    assert.throws(() => adamw({ excludeFromWeightDecay: [1] as never }), /adamw: excludeFromWeightDecay must be an array of variable-name substrings or a function/);
    assert.throws(() => adamw({ amsgrad: 'no' as never }), /adamw: amsgrad must be true or false/);
    assertClose(run64(adamw({ learningRate: 0.01, weightDecay: 0 })), refAdam(0.01), 1e-12, 1e-15);
    assert.equal(getOptimizer('AdamW' as 'adamw').name, 'adamw');
    assert.deepEqual(adamw({ excludeFromWeightDecay: ['bias'] }).getConfig(), {
      learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, weightDecay: 0.004, excludeFromWeightDecay: ['bias'],
    });
  });
});
