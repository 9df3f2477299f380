import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { nativeUnavailable } from '../backends/native/addon.js';
import type { NativeBackend } from '../backends/native/native_backend.js';
import { linear } from './primitives_linear.js';
import { biasRelu } from './primitives_fused.js';
import { f64, lcg, assertNoLeak, onBackend } from '../../test/helpers.js';

type D = 'float32' | 'float64';

/** linear's value and gradients, or those of the composition it stands for (matmul, then biasRelu or add). */
function run(fused: boolean, m: number, k: number, n: number, withBias: boolean, relu: boolean, dtype: D, seed: number) {
  return hb.scope(() => {
    const x = hb.tensor(lcg(m * k, seed, -1, 1), [m, k], dtype);
    const w = hb.tensor(lcg(k * n, seed + 1, -0.2, 0.2), [k, n], dtype);
    const b = withBias ? hb.tensor(lcg(n, seed + 2, -0.5, 0.5), [n], dtype) : null;
    const f = (): hb.Tensor => {
      if (fused) return linear(x, w, b, relu);
      const z = hb.matmul(x, w);
      return relu ? biasRelu(z, b) : hb.add(z, b as hb.Tensor);
    };
    const { value, grads } = hb.valueAndGrad(f, b ? [x, w, b] : [x, w], hb.tensor(lcg(m * n, seed + 3, -1, 1), [m, n], dtype));
    return { y: Array.from(value.dataSync()), grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

const missing = nativeUnavailable();

describe('linear (Dense as one primitive: the product with its bias and relu as the epilogue)', () => {
  it('native: forward and gradients equal matmul + biasRelu / add bit for bit, the epilogue compiled and not', { skip: missing ?? false }, () => {
    onBackend('native', () => {
      const be = hb.getBackend() as unknown as NativeBackend;
      for (const mode of ['off', 'sync'] as const) {
        be.setFusedCompileMode(mode);
        try {
          assertNoLeak(() => {
            // The MLP's shapes at batch 32 and a threaded one (row split), a wide threaded one
            // (column split) and odd ones; each twice, since the first call compiles the epilogue.
            const shapes: [number, number, number][] = [[32, 784, 300], [1024, 300, 100], [300, 64, 1000], [5, 7, 13], [1, 3, 2]];
            for (const dtype of ['float32', 'float64'] as const) {
              for (const [m, k, n] of shapes) {
                if (dtype === 'float64' && m * k * n > 1e6) continue;
                for (const [withBias, relu] of [[true, true], [false, true], [true, false]] as const) {
                  const want = run(false, m, k, n, withBias, relu, dtype, m + n);
                  for (const call of [1, 2]) {
                    const got = run(true, m, k, n, withBias, relu, dtype, m + n);
                    const what = `${mode} ${dtype} ${m}x${k}x${n} bias=${withBias} relu=${relu} call ${call}`;
                    assert.deepEqual(got.y, want.y, `${what}: forward`);
                    assert.deepEqual(got.grads, want.grads, `${what}: gradients`);
                  }
                }
              }
            }
          });
        } finally {
          be.setFusedCompileMode('async');
        }
      }
    });
  });

  it('gradient matches finite differences (x, w and bias; relu and the identity)', { skip: missing ?? false }, () => {
    onBackend('native', () =>
      assertNoLeak(() => {
        // Pre-activations away from relu's kink at 0, where the finite difference is not defined.
        const x = f64(lcg(12, 41, 0.5, 1), [3, 4]);
        const w = f64(lcg(20, 42, 0.1, 0.6), [4, 5]);
        const b = f64(lcg(5, 43, -0.05, 0.05), [5]);
        hb.checkGradients((x, w, b) => linear(x as hb.Tensor, w as hb.Tensor, b as hb.Tensor, true), [x, w, b]);
        hb.checkGradients((x, w) => linear(x as hb.Tensor, w as hb.Tensor, null, true), [x, w]);
        hb.checkGradients((x, w, b) => linear(x as hb.Tensor, w as hb.Tensor, b as hb.Tensor, false), [f64(lcg(12, 44), [3, 4]), f64(lcg(20, 45), [4, 5]), b]);
      }),
    );
  });

  it('on a backend without matmulFused it is the composition (cpu)', () => {
    onBackend('cpu', () => {
      const want = run(false, 6, 5, 4, true, true, 'float32', 3);
      assert.deepEqual(run(true, 6, 5, 4, true, true, 'float32', 3), want);
    });
  });

  it('checks its arguments', () => {
    assertNoLeak(() => {
      assert.throws(() => linear(hb.zeros([2, 3]), hb.zeros([4, 5]), null, true), /linear: w must have 3 rows.*received w \[4, 5\]/);
      assert.throws(() => linear(hb.zeros([2, 3]), hb.zeros([3, 5]), hb.zeros([4]), true), /linear: bias must have shape \[5\], received \[4\]/);
      assert.throws(() => linear(hb.zeros([2, 3, 1]), hb.zeros([3, 5]), null, true), /linear: x and w must have rank 2/);
      assert.throws(() => linear(hb.zeros([2, 3]), hb.zeros([3, 5]), null, false), /without relu a bias is required/);
      assert.throws(() => linear(hb.zeros([2, 3]), hb.zeros([3, 5], 'float64'), null, true), /one dtype/);
    });
  });
});
