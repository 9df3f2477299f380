import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { CpuBackend } from '../backends/cpu/cpu_backend.js';
import { DTypeError, ShapeError } from '../core/errors.js';
import { adamStep, type AdamCoefficients } from './primitives_adam.js';
import { OptimizerRunner } from '../optimizers/transform.js';
import { adam } from '../optimizers/adam.js';
import { sgd } from '../optimizers/sgd.js';
import { assertClose, assertNoLeak, assertThrowsWith, lcg, chainOnly, onBackend } from '../../test/helpers.js';

/** A cpu backend without the kernel: adamStep must fall back to the composition. */
hb.registerBackend('cpu-noadam', () => Object.assign(new CpuBackend(), { adamStep: undefined }));


const coeffs: AdamCoefficients = { c1: 1 - 0.9, c2: 1 - 0.999, epsilon: 1e-7, correction: Math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3), alpha: -0.001 };

/** The composed ops the kernel must reproduce bit for bit (the order of optimizers/adam.ts's chain). */
function composed(w: hb.Tensor, g: hb.Tensor, m: hb.Tensor, v: hb.Tensor, c: AdamCoefficients): hb.Tensor[] {
  const m1 = hb.add(m, hb.mul(hb.sub(g, m), c.c1));
  const v1 = hb.add(v, hb.mul(hb.sub(hb.mul(g, g), v), c.c2));
  const u = hb.mul(hb.div(m1, hb.add(hb.sqrt(v1), c.epsilon)), c.correction);
  return [hb.add(w, hb.mul(u, c.alpha)), m1, v1];
}

// Odd sizes (SIMD body and scalar tail), zeros, a zero second moment, huge and tiny values, NaN.
const special = [0, -0, 1e-30, -1e-30, 3e30, -3e30, NaN, 1, -1, 0.5, 1e-7, 2, -2, 7, Infinity];

describe('adamStep (fused Adam update)', () => {
  for (const backend of ['wasm', 'cpu', 'cpu-noadam']) {
    it(`${backend}: w', m', v' equal the composed ops bit for bit (float32 and float64, sizes 1 to 1001, special values)`, () => {
      onBackend(backend, () =>
        assertNoLeak(() => {
          for (const dtype of ['float32', 'float64'] as const) {
            for (const shape of [[1], [3], [5, 7], [1001], [15]]) {
              const n = shape.reduce((a, b) => a * b, 1);
              const pick = (seed: number, lo: number, hi: number) => (n === 15 ? special.map((s, i) => (i % 3 === seed % 3 ? s : lcg(1, seed + i, lo, hi)[0]!)) : lcg(n, seed + n, lo, hi));
              const w = hb.tensor(pick(1, -1, 1), shape, dtype);
              const g = hb.tensor(pick(2, -3, 3), shape, dtype);
              const m = hb.tensor(pick(3, -0.5, 0.5), shape, dtype);
              const v = hb.tensor(pick(4, 0, 2).map(Math.abs), shape, dtype);
              const fused = adamStep(w, g, m, v, coeffs).map((t) => Array.from(t.dataSync()));
              const ref = composed(w, g, m, v, coeffs).map((t) => Array.from(t.dataSync()));
              assert.deepEqual(fused, ref, `${dtype} ${shape}`);
            }
          }
        }),
      );
    });
  }

  it('wasm and cpu give the same bits (float32, 300x100)', () => {
    const n = 30000;
    const run = () =>
      hb.scope(() => {
        const t = (seed: number, lo: number, hi: number) => hb.tensor(lcg(n, seed, lo, hi), [300, 100]);
        return adamStep(t(1, -1, 1), t(2, -1, 1), t(3, -0.1, 0.1), t(4, 0, 0.01), coeffs).map((x) => Array.from(x.dataSync()));
      });
    assert.deepEqual(onBackend('wasm', run), onBackend('cpu', run));
  });

  it('one step equals the Keras formula computed in float64 (to float32 rounding)', () => {
    // Keras 3 Adam, t = 1, m = v = 0: m = 0.1 g, v = 0.001 g², w -= lr·√(1 − 0.999)/(1 − 0.9)·m/(√v + 1e-7).
    hb.scope(() => {
      const g = [0.5, -2, 1e-3];
      const w0 = [1, 2, 3];
      const lr = 0.01;
      const c = { c1: 0.1, c2: 1 - 0.999, epsilon: 1e-7, correction: Math.sqrt(1 - 0.999) / (1 - 0.9), alpha: -lr };
      const [w1, m1, v1] = adamStep(hb.tensor(w0), hb.tensor(g), hb.zeros([3]), hb.zeros([3]), c);
      const m = g.map((x) => 0.1 * x);
      const v = g.map((x) => 0.001 * x * x);
      assertClose(m1.dataSync(), m, 1e-6, 0);
      assertClose(v1.dataSync(), v, 1e-6, 0);
      assertClose(w1.dataSync(), w0.map((w, i) => w - lr * c.correction * (m[i]! / (Math.sqrt(v[i]!) + 1e-7))), 1e-6, 0);
    });
  });

  it('under a gradient tape it runs the composition, so gradients flow (it is not an opaque kernel there)', () => {
    hb.scope(() => {
      const g = hb.tensor([0.5, -1, 2], [3], 'float64');
      const z = hb.zeros([3], 'float64');
      const d = hb.grad((x) => hb.sum(adamStep(z, z, x, z, { ...coeffs, alpha: 1, correction: 1, epsilon: 1 })[1]))(g);
      // m' = m + (g − m)·c1 with g = 0: dm'/dm = 1 − c1.
      assertClose(d.dataSync(), [0.9, 0.9, 0.9], 1e-15, 0);
    });
  });

  it('checks its arguments, naming them', () => {
    assertNoLeak(() => {
      const w = hb.zeros([2, 3]);
      assertThrowsWith(() => adamStep(w, hb.zeros([3, 2]), w, w, coeffs), ShapeError, "adamStep: g must have w's shape [2, 3], received [3, 2]");
      assertThrowsWith(() => adamStep(w, w, hb.zeros([2, 3], 'float64'), w, coeffs), DTypeError, "adamStep: m must have w's dtype float32, received float64");
      assertThrowsWith(() => adamStep(hb.zeros([2], 'int32'), w, w, w, coeffs), DTypeError, 'adamStep: w must be float32 or float64, received int32');
    });
  });
});

describe('adam optimizer: the fused step', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`${backend}: runner with applyStep gives the chain's weights and moments bit for bit over 4 steps, schedule change included`, () => {
      onBackend(backend, () => {
        const opt = adam({ learningRate: 0.01, beta1: 0.8, epsilon: 1e-6 });
        assert.ok(opt.applyStep);
        hb.scope(() => {
          const mk = () => [hb.variable(hb.tensor(lcg(35, 61), [5, 7])), hb.variable(hb.tensor(lcg(7, 62), [7]))];
          const a = mk();
          const b = mk();
          const fused = new OptimizerRunner(opt, a);
          const chain = new OptimizerRunner(chainOnly(opt), b);
          for (let step = 0; step < 4; step++) {
            if (step === 2) opt.learningRate = (s: number) => 0.05 / (s + 1);
            const grads = [hb.tensor(lcg(35, 70 + step, -2, 2), [5, 7]), hb.tensor(lcg(7, 80 + step, -2, 2), [7])];
            fused.step(grads);
            chain.step(grads);
            for (let i = 0; i < 2; i++) assert.deepEqual(Array.from(a[i]!.dataSync()), Array.from(b[i]!.dataSync()), `step ${step} weight ${i}`);
          }
          const live = hb.numTensors();
          fused.dispose();
          chain.dispose();
          // Each runner held m and v for two weights.
          assert.equal(live - hb.numTensors(), 8);
        });
      });
    });
  }

  it('a gradient of the wrong shape is refused before any weight changes (fused Adam and SGD, and the chain)', () => {
    const opts: hb.Optimizer[] = [adam(), sgd(), sgd({ momentum: 0.9 })];
    for (const opt of opts) {
      hb.scope(() => {
        const w = [hb.variable(hb.tensor([1, 2, 3]), { name: 'w0' }), hb.variable(hb.tensor([4, 5]), { name: 'w1' })];
        const runner = new OptimizerRunner(opt, w);
        assertThrowsWith(() => runner.step([hb.tensor([1, 1, 1]), hb.tensor([1, 1, 1])]), ShapeError, 'optimizer: the gradient for "w1" has shape [3], the weight has [2]');
        assert.deepEqual(Array.from(w[0]!.dataSync()), [1, 2, 3]);
        assert.equal(runner.iterations, 0);
        runner.dispose();
      });
    }
  });

  it('clipping or weight decay take the chain (no fused step); weightDecay 0 keeps it', () => {
    assert.ok(!adam({ clipnorm: 1 }).applyStep && !adam({ clipvalue: 1 }).applyStep && !adam({ weightDecay: 0.01 }).applyStep);
    assert.ok(adam({ weightDecay: 0 }).applyStep);
  });
});
