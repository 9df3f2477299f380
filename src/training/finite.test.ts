/**
 * finiteGuard: 1 when the loss and every gradient are finite, else 0, as a float32 scalar; on
 * the cpu and wasm backends (the fused combiner) and the mixed-dtype path. The expected values
 * follow from IEEE arithmetic: a sum holding NaN or ±Inf is not finite, and neither is a sum of
 * finite float32 values beyond 3.4e38.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { onBackend } from '../../test/helpers.js';
import { finiteGuard } from './finite.js';

const guardOf = (loss: number, grads: readonly (readonly number[])[], dtype: 'float32' | 'float64' = 'float32', gradDtype = dtype): { value: number; dtype: string } =>
  hb.scope(() => {
    const g = finiteGuard(
      hb.tensor(loss, [], dtype),
      grads.map((v) => hb.tensor(v as number[], [v.length], gradDtype)),
    );
    return { value: g.dataSync()[0] as number, dtype: g.dtype };
  });

describe('finiteGuard', () => {
  for (const backend of ['cpu', 'wasm']) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${backend} ${dtype}: 1 when everything is finite, 0 for NaN or ±Inf in the loss or any gradient`, () =>
        onBackend(backend, () => {
          const grads = [[0.5, -1, 2, 3], [1e-30], [-7, 8, 0, -0, 1e-40]];
          assert.deepEqual(guardOf(2.5, grads, dtype), { value: 1, dtype: 'float32' });
          assert.equal(guardOf(NaN, grads, dtype).value, 0);
          assert.equal(guardOf(Infinity, grads, dtype).value, 0);
          for (const bad of [NaN, Infinity, -Infinity]) {
            for (let i = 0; i < grads.length; i++) {
              const gs = grads.map((g, j) => (j === i ? [...g.slice(0, -1), bad] : g));
              assert.deepEqual(guardOf(0.1, gs, dtype), { value: 0, dtype: 'float32' }, `gradient ${i} holding ${bad}`);
            }
          }
          // +Inf and −Inf in one gradient: the sum is NaN, still not finite.
          assert.equal(guardOf(0.1, [[Infinity, -Infinity]], dtype).value, 0);
        }));
    }
    it(`${backend}: a float32 gradient whose sum overflows counts as non-finite; mixed dtypes`, () =>
      onBackend(backend, () => {
        assert.equal(guardOf(0, [[3e38, 3e38]]).value, 0);
        assert.equal(guardOf(0, [[3e38, 3e38]], 'float64').value, 1);
        assert.deepEqual(guardOf(1, [[1, 2]], 'float32', 'float64'), { value: 1, dtype: 'float32' });
        assert.equal(guardOf(1, [[1, NaN]], 'float32', 'float64').value, 0);
        assert.equal(guardOf(NaN, [[1, 2]], 'float32', 'float64').value, 0);
      }));
    it(`${backend}: many gradients (beyond one fused combination) and sums that overflow only together`, () =>
      onBackend(backend, () => {
        const many = Array.from({ length: 40 }, (_, i) => [i, -i / 2]);
        assert.equal(guardOf(1, many).value, 1);
        assert.equal(guardOf(1, many.map((g, i) => (i === 37 ? [NaN] : g))).value, 0);
        assert.equal(guardOf(1, many.map((g, i) => (i === 3 ? [-Infinity] : g))).value, 0);
        // Each sum 3e38 is finite; their total would overflow: still a finite step.
        assert.equal(guardOf(3e38, [[3e38], [3e38], [3e38]]).value, 1);
      }));
  }
});
