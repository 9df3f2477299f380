import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adam } from './adam.js';
import { sgd } from './sgd.js';
import { getOptimizer, type OptimizerId } from './index.js';
import { OptimizerRunner, chain, scaleByLearningRate, type GradientTransformation } from './transform.js';
import { ValueError } from '../core/errors.js';

/** Plain-JS reference runs of the CONVENTIONS formulas on a list of per-step gradients. */
function refSgd(w0: number[], gs: number[][], lr: (t: number) => number, m: number, nesterov: boolean): number[] {
  const w = [...w0];
  const v = w.map(() => 0);
  gs.forEach((g, step) => {
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      if (m === 0) {
        w[i] = w[i]! - lr(step) * gi;
      } else {
        v[i] = m * v[i]! - lr(step) * gi;
        w[i] = nesterov ? w[i]! + m * v[i]! - lr(step) * gi : w[i]! + v[i]!;
      }
    }
  });
  return w;
}

function refAdam(w0: number[], gs: number[][], lr: (t: number) => number, b1 = 0.9, b2 = 0.999, eps = 1e-7): number[] {
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  gs.forEach((g, step) => {
    const t = step + 1;
    const alpha = (lr(step) * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      m[i] = m[i]! + (1 - b1) * (gi - m[i]!);
      v[i] = v[i]! + (1 - b2) * (gi * gi - v[i]!);
      w[i] = w[i]! - (alpha * m[i]!) / (Math.sqrt(v[i]!) + eps);
    }
  });
  return w;
}

const W0 = [0.5, -1.25, 2];
const GRADS = [
  [0.1, -0.3, 1.5],
  [-0.2, 0.4, 0.7],
  [0.05, -0.6, -2],
  [1, 0.01, 0.3],
  [-0.5, 0.2, 0.9],
];

function runOptimizer(opt: GradientTransformation<unknown>): number[] {
  const w = hb.variable(hb.tensor(W0));
  const runner = new OptimizerRunner(opt, [w]);
  for (const g of GRADS) hb.scope(() => runner.step([hb.tensor(g)]));
  const out = Array.from(w.dataSync());
  runner.dispose();
  w.dispose();
  return out;
}

function assertClose(actual: number[], expected: number[], tol = 1e-6): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) <= tol * (1 + Math.abs(expected[i]!)), `index ${i}: ${a} vs ${expected[i]}`));
}

describe('sgd', () => {
  it('plain: w - lr*g with the Keras default lr 0.01', () => {
    assertClose(runOptimizer(sgd()), refSgd(W0, GRADS, () => 0.01, 0, false));
  });
  it('momentum folds lr into the velocity (Keras), with a schedule', () => {
    const lr = (s: number): number => 0.1 / (1 + s);
    assertClose(runOptimizer(sgd({ learningRate: lr, momentum: 0.9 })), refSgd(W0, GRADS, lr, 0.9, false));
  });
  it('nesterov: w + m*v - lr*g', () => {
    assertClose(runOptimizer(sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true })), refSgd(W0, GRADS, () => 0.05, 0.8, true));
  });
  it('a changing rate differs from a gradient-buffer (PyTorch) momentum', () => {
    // Pins the convention: with lr halving every step, Keras's velocity keeps the old lr.
    const lr = (s: number): number => 0.1 / 2 ** s;
    const keras = runOptimizer(sgd({ learningRate: lr, momentum: 0.9 }));
    const w = [...W0];
    const buf = w.map(() => 0);
    GRADS.forEach((g, s) => w.forEach((_, i) => {
      buf[i] = 0.9 * buf[i]! + g[i]!;
      w[i] = w[i]! - lr(s) * buf[i]!;
    }));
    assert.ok(Math.abs(keras[2]! - w[2]!) > 1e-3);
  });
  it('rejects bad options', () => {
    assert.throws(() => sgd({ momentum: 1.5 }), ValueError);
  });
  it('assigning learningRate takes effect from the next update (what LR callbacks do)', () => {
    const opt = sgd({ learningRate: 0.1, momentum: 0.5 });
    const w = hb.variable(hb.tensor(W0));
    const runner = new OptimizerRunner(opt, [w]);
    GRADS.forEach((g, s) => {
      if (s === 2) opt.learningRate = 0.02;
      hb.scope(() => runner.step([hb.tensor(g)]));
    });
    assertClose(Array.from(w.dataSync()), refSgd(W0, GRADS, (s) => (s < 2 ? 0.1 : 0.02), 0.5, false));
    assert.equal(opt.getConfig()['learningRate'], 0.02);
    runner.dispose();
    w.dispose();
  });
});

describe('adam', () => {
  it('matches the CONVENTIONS formula over several steps (eps outside the sqrt of uncorrected v)', () => {
    assertClose(runOptimizer(adam()), refAdam(W0, GRADS, () => 0.001));
  });
  it('with a large eps the placement of epsilon matters, and we match Keras', () => {
    assertClose(runOptimizer(adam({ learningRate: 0.1, epsilon: 0.1 })), refAdam(W0, GRADS, () => 0.1, 0.9, 0.999, 0.1));
  });
  it('takes a schedule and custom betas', () => {
    const lr = (s: number): number => 0.01 * 0.5 ** s;
    assertClose(runOptimizer(adam({ learningRate: lr, beta1: 0.5, beta2: 0.9 })), refAdam(W0, GRADS, lr, 0.5, 0.9));
  });
});

describe('transformations', () => {
  it('chain applies links in order', () => {
    const double: GradientTransformation<null> = { init: () => null, update: (g, s) => [g.map((x) => hb.mul(x, 2)), s] };
    const w = runOptimizer(chain({ double, lr: scaleByLearningRate(0.1) }));
    assertClose(w, refSgd(W0, GRADS, () => 0.2, 0, false));
  });
  it('the runner frees old state: tensor and buffer counts stay flat across steps', () => {
    const w = hb.variable(hb.tensor(W0));
    const runner = new OptimizerRunner(adam(), [w]);
    hb.scope(() => runner.step([hb.tensor(GRADS[0]!)]));
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    for (const g of GRADS) hb.scope(() => runner.step([hb.tensor(g)]));
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    assert.equal(runner.iterations, GRADS.length + 1);
    runner.dispose();
    w.dispose();
  });
  it('a schedule returning NaN is an error', () => {
    const w = hb.variable(hb.tensor([1]));
    const runner = new OptimizerRunner(sgd({ learningRate: () => NaN }), [w]);
    assert.throws(() => hb.scope(() => runner.step([hb.tensor([1])])), /learningRate/);
    w.dispose();
  });
});

describe('Keras options: clipping and decoupled weight decay (CONVENTIONS order)', () => {
  const norm = (g: number[]): number => Math.sqrt(g.reduce((a, b) => a + b * b, 0));
  it('clipnorm scales each gradient to at most c: g·c/max(‖g‖, c)', () => {
    const c = 0.5;
    const clipped = GRADS.map((g) => g.map((v) => (v * c) / Math.max(norm(g), c)));
    assertClose(runOptimizer(sgd({ learningRate: 0.1, clipnorm: c })), refSgd(W0, clipped, () => 0.1, 0, false));
  });
  it('clipvalue clips elementwise, before momentum', () => {
    const clipped = GRADS.map((g) => g.map((v) => Math.min(0.3, Math.max(-0.3, v))));
    assertClose(runOptimizer(sgd({ learningRate: 0.1, momentum: 0.9, clipvalue: 0.3 })), refSgd(W0, clipped, () => 0.1, 0.9, false));
  });
  it('globalClipnorm uses the norm of all gradients together', () => {
    const a = hb.variable(hb.tensor([1, 2]));
    const b = hb.variable(hb.tensor([3]));
    const runner = new OptimizerRunner(sgd({ learningRate: 1, globalClipnorm: 1 }), [a, b]);
    hb.scope(() => runner.step([hb.tensor([3, 0]), hb.tensor([4])])); // global norm 5
    assertClose(Array.from(a.dataSync()), [1 - 0.6, 2]);
    assertClose(Array.from(b.dataSync()), [3 - 0.8]);
    runner.dispose();
    hb.dispose([a, b]);
  });
  it('weightDecay: w ← w − lr·wd·w on top of Adam, with the decay taken at the old weights', () => {
    const lr = 0.01;
    const wd = 0.1;
    const w = [...W0];
    const m = w.map(() => 0);
    const v = w.map(() => 0);
    GRADS.forEach((g, step) => {
      const t = step + 1;
      const alpha = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      for (let i = 0; i < w.length; i++) {
        m[i] = m[i]! + 0.1 * (g[i]! - m[i]!);
        v[i] = v[i]! + 0.001 * (g[i]! * g[i]! - v[i]!);
        w[i] = w[i]! - lr * wd * w[i]! - (alpha * m[i]!) / (Math.sqrt(v[i]!) + 1e-7);
      }
    });
    assertClose(runOptimizer(adam({ learningRate: lr, weightDecay: wd })), w);
  });
  it('weightDecay with momentum: the weights decay directly, the velocity never holds the decay (Keras)', () => {
    const [lr, wd, mom] = [0.1, 0.2, 0.9];
    const w = [...W0];
    const v = w.map(() => 0);
    GRADS.forEach((g) => w.forEach((_, i) => {
      w[i] = w[i]! - lr * wd * w[i]!;
      v[i] = mom * v[i]! - lr * g[i]!;
      w[i] = w[i]! + v[i]!;
    }));
    assertClose(runOptimizer(sgd({ learningRate: lr, momentum: mom, weightDecay: wd })), w);
  });
  it('rejects clipnorm together with globalClipnorm, and non-positive thresholds', () => {
    assert.throws(() => sgd({ clipnorm: 1, globalClipnorm: 1 }), /not both/);
    assert.throws(() => adam({ clipvalue: 0 }), { name: 'ValueError', message: 'adam: clipvalue must be a finite number > 0, received 0' });
    assert.deepEqual(sgd({ clipnorm: 2, weightDecay: 0.01 }).getConfig(), { learningRate: 0.01, momentum: 0, nesterov: false, clipnorm: 2, weightDecay: 0.01 });
  });
});

describe('getOptimizer', () => {
  it('every built-in name compiles and trains (Keras names, any case)', async () => {
    const names = ['sgd', 'adam', 'adamw', 'adagrad', 'adamax', 'nadam', 'rmsprop'] as const satisfies readonly OptimizerId[];
    for (const name of names) {
      assert.equal(getOptimizer(name).name, name);
      const m = hb.sequential([hb.layers.dense({ units: 1 })]);
      m.compile({ loss: 'mse', optimizer: name });
      const h = await m.fit([[1, 2], [3, 4]], [1, 2], { epochs: 2, verbose: 0 });
      assert.equal(h.history['loss']?.length, 2, name);
      m.dispose();
    }
    for (const cls of ['SGD', 'RMSprop', 'Adagrad', 'Adamax', 'Nadam', 'AdamW']) assert.equal(getOptimizer(cls as OptimizerId).name, cls.toLowerCase());
  });
  it('resolves names case-insensitively and passes objects through', () => {
    assert.equal(getOptimizer('sgd').name, 'sgd');
    // Case is ignored at run time; the type lists Keras's lower-case names.
    assert.equal(getOptimizer('Adam' as OptimizerId).name, 'adam');
    assert.deepEqual(getOptimizer('adam').getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false });
    const o = sgd({ momentum: 0.9 });
    assert.equal(getOptimizer(o), o);
  });
  it('names the unknown optimizer', () => {
    // @ts-expect-error: the type rejects the typo; plain JavaScript gets the run-time error
    assert.throws(() => getOptimizer('adamx'), (e: unknown) => e instanceof ValueError && /"adamx"/.test(e.message) && /'sgd'/.test(e.message));
  });
});
