import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { CpuBackend } from '../backends/cpu/cpu_backend.js';
import { biasRelu, scaledAdd } from './primitives_fused.js';
import { OptimizerRunner } from '../optimizers/transform.js';
import { sgd } from '../optimizers/sgd.js';
import { f64, lcg, assertNoLeak, assertClose, chainOnly, onBackend } from '../../test/helpers.js';

/**
 * A cpu backend without the generic fused kernel: the ops must run their expressions as the
 * composed ops. (Each backend's kernel is checked by the conformance suite; here 'wasm', the
 * default, takes the kernel path and 'cpu-unfused' the composed one.)
 */
hb.registerBackend('cpu-unfused', () => Object.assign(new CpuBackend(), { fused: undefined }));


/** relu(z + b) and its gradients, fused or composed from add and ops/nn's relu. */
function run(fused: boolean, z: number[], zShape: number[], b: number[] | null, seed: number[], dtype: 'float32' | 'float64') {
  return hb.scope(() => {
    const zt = hb.tensor(z, zShape, dtype);
    const bt = b ? hb.tensor(b, [b.length], dtype) : null;
    const f = (): hb.Tensor => (fused ? biasRelu(zt, bt) : hb.relu(bt ? hb.add(zt, bt) : zt));
    const { value, grads } = hb.valueAndGrad(f, bt ? [zt, bt] : [zt], hb.tensor(seed, zShape, dtype));
    return { y: Array.from(value.dataSync()), grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

// Values that probe the mask: -0, 0, NaN, tiny values, a bias that cancels z exactly.
const special = [-0, 0, NaN, 1e-30, -1e-30, 2, -2, 0.5, -0.5, 3, -3, 1, 7, -7, 0.25, 0.125, Infinity, -Infinity, 4, 5, -1];

describe('biasRelu (fused Dense bias + relu)', () => {
  for (const backend of ['wasm', 'cpu-unfused']) {
    it(`${backend}: forward and gradients equal add + relu exactly (odd widths, no bias, rank 3, special values)`, () => {
      onBackend(backend, () =>
        assertNoLeak(() => {
          for (const dtype of ['float32', 'float64'] as const) {
            const cases: [number[], number[] | null][] = [
              [[3, 7], lcg(7, 3, -1, 1)],
              [[5, 13], lcg(13, 4, -1, 1)],
              [[2, 3, 9], lcg(9, 5, -1, 1)],
              [[4, 8], null],
              [[3, 7], [1, -1, 0, 2, -2, 0.5, -0]],
              [[3, 7], null],
              [[3, 7], [0, -0, 0, -0, 0, -0, 2]],
            ];
            for (const [shape, b] of cases) {
              const n = shape.reduce((a, c) => a * c, 1);
              const z = shape[shape.length - 1] === 7 ? special : lcg(n, n, -2, 2);
              const seed = lcg(n, 11, -1, 1);
              const fused = run(true, z, shape, b, seed, dtype);
              const composed = run(false, z, shape, b, seed, dtype);
              assert.deepEqual(fused.y, composed.y, `${dtype} ${shape} forward`);
              // dz exactly; db is a sum whose order is the same as the composed reduction's.
              assert.deepEqual(fused.grads, composed.grads, `${dtype} ${shape} gradients`);
            }
          }
        }),
      );
    });
  }

  it('wasm and cpu agree (float32, the MLP shapes 32x300 and 32x100)', () => {
    for (const [rows, cols] of [
      [32, 300],
      [32, 100],
    ] as const) {
      const z = lcg(rows * cols, 21, -1, 1);
      const b = lcg(cols, 22, -0.5, 0.5);
      const seed = lcg(rows * cols, 23, -1, 1);
      const w = onBackend('wasm', () => run(true, z, [rows, cols], b, seed, 'float32'));
      const c = onBackend('cpu', () => run(true, z, [rows, cols], b, seed, 'float32'));
      assert.deepEqual(w.y, c.y);
      assert.deepEqual(w.grads[0], c.grads[0]);
      // The bias gradient: wasm sums in float32, cpu in double (as their sum kernels do).
      assertClose(w.grads[1] as number[], c.grads[1] as number[], 1e-5, 1e-6);
    }
  });

  it('gradient matches finite differences (z and bias, rank 2 and 3)', () => {
    assertNoLeak(() => {
      // Points away from the kink at 0, where the finite difference is not defined.
      const away = (v: number[]): number[] => v.map((x) => (Math.abs(x) < 0.1 ? x + 0.3 : x));
      hb.checkGradients((z, b) => biasRelu(z as hb.Tensor, b as hb.Tensor), [f64(away(lcg(15, 31, -1, 1)), [3, 5]), f64(lcg(5, 32, -0.02, 0.02), [5])]);
      hb.checkGradients((z, b) => biasRelu(z as hb.Tensor, b as hb.Tensor), [f64(away(lcg(24, 33, -1, 1)), [2, 3, 4]), f64(lcg(4, 34, -0.02, 0.02), [4])]);
      hb.checkGradients((z) => biasRelu(z as hb.Tensor), [f64(away(lcg(12, 35, -1, 1)), [4, 3])]);
    });
  });

  it('checks its arguments', () => {
    assertNoLeak(() => {
      assert.throws(() => biasRelu(hb.zeros([2, 3]), hb.zeros([4])), /biasRelu: bias must have shape \[3\].*received \[4\]/);
      assert.throws(() => biasRelu(hb.zeros([2, 3], 'int32')), /biasRelu: z must be float32 or float64, received int32/);
      assert.throws(() => biasRelu(hb.zeros([2, 3]), hb.zeros([3], 'float64')), /same dtype/);
    });
  });
});

describe('scaledAdd (the fused SGD update)', () => {
  const w = [...special, ...lcg(14, 41, -3, 3)];
  const g = [...lcg(21, 42, -2, 2), 0, -0, NaN, 1e-38, -1e-38, 3e38, ...lcg(8, 43, -1, 1)];
  for (const backend of ['wasm', 'cpu-unfused']) {
    it(`${backend}: equals add(w, mul(g, alpha)) exactly (float32 and float64, odd length, rank 2)`, () => {
      onBackend(backend, () =>
        assertNoLeak(() => {
          for (const dtype of ['float32', 'float64'] as const) {
            for (const alpha of [-0.01, -0.1, 3.3, -0]) {
              hb.scope(() => {
                const wt = hb.tensor(w, [5, 7], dtype);
                const gt = hb.tensor(g, [5, 7], dtype);
                assert.deepEqual(Array.from(scaledAdd(wt, alpha, gt).dataSync()), Array.from(hb.add(wt, hb.mul(gt, alpha)).dataSync()), `${dtype} alpha ${alpha}`);
              });
            }
          }
        }),
      );
    });
  }

  it('gradient matches finite differences', () => {
    assertNoLeak(() => {
      hb.checkGradients((w, g) => scaledAdd(w as hb.Tensor, -0.7, g as hb.Tensor), [f64(lcg(6, 51), [2, 3]), f64(lcg(6, 52), [2, 3])]);
    });
  });

  it('checks its arguments', () => {
    assertNoLeak(() => {
      assert.throws(() => scaledAdd(hb.zeros([2, 3]), 1, hb.zeros([3, 2])), /scaledAdd: w and g must have the same shape, received \[2, 3\] and \[3, 2\]/);
      assert.throws(() => scaledAdd(hb.zeros([2], 'int32'), 1, hb.zeros([2], 'int32')), /scaledAdd: w must be float32 or float64, received int32/);
    });
  });

  it('plain SGD: the fused applyStep gives exactly the chain\'s weights (update + applyUpdates), the rate read at each step', () => {
    const opt = sgd({ learningRate: 0.05 });
    assert.ok(opt.applyStep);
    assert.ok(!sgd({ clipnorm: 1 }).applyStep);
    hb.scope(() => {
      const a = [hb.variable(hb.tensor(lcg(35, 61), [5, 7])), hb.variable(hb.tensor(lcg(7, 62), [7]))];
      const b = [hb.variable(hb.tensor(lcg(35, 61), [5, 7])), hb.variable(hb.tensor(lcg(7, 62), [7]))];
      const fused = new OptimizerRunner(opt, a);
      // The same optimizer seen as a plain transformation: the runner takes the chain.
      const runner = new OptimizerRunner(chainOnly(opt), b);
      for (let step = 0; step < 3; step++) {
        if (step === 2) opt.learningRate = (s: number) => 0.3 / (s + 1);
        const grads = [hb.tensor(lcg(35, 70 + step, -2, 2), [5, 7]), hb.tensor(lcg(7, 80 + step, -2, 2), [7])];
        fused.step(grads);
        runner.step(grads);
        for (let i = 0; i < 2; i++) assert.deepEqual(Array.from((a[i] as hb.Variable).dataSync()), Array.from((b[i] as hb.Variable).dataSync()));
      }
      fused.dispose();
      runner.dispose();
    });
  });
});
