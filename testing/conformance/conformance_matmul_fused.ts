/**
 * Backend.matmulFused (optional): a product with a fused program as its epilogue must give what
 * the backend's own matmul followed by its fused kernel gives, bit for bit (the contract in
 * backend.ts), for every way the product is blocked and split: one thread and the two splits a
 * threaded product takes (by rows: tall products such as predict's; by columns: wide ones),
 * partial register tiles, a transposed A, and inputs that are rows (a bias), scalars, params
 * and dense arrays. Each case runs twice: on native the first call interprets the program after
 * the product and asks for its compiled variant, which (compiled on the first call in the
 * suite's second configuration, native_fused_conformance.test.ts) the second call runs as the
 * epilogue.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, View } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { defineFused, type Expr } from '../../src/ops/fused_builder.js';
import { Rng, randomValues, type Session } from './conformance_util.js';

const BIAS_RELU = defineFused('conformance bias relu', 2, 0, (e, [z, b]) => {
  const v = e.add(z as Expr, b as Expr);
  return [e.where(e.lessEqual(v, 0), 0, v)];
});
// A scalar input, a param and a dense [m, n] input beside the product.
const MIXED = defineFused('conformance mixed epilogue', 4, 1, (e, [z, b, s, d], [p]) => [
  e.add(e.mul(e.add(z as Expr, b as Expr), s as Expr), e.mul(d as Expr, p as Expr)),
]);

export function matmulFusedCases(be: Backend, dtypes: readonly DType[], run: (fn: (s: Session) => Promise<void>) => Promise<void>): void {
  const kernel = be.matmulFused?.bind(be);
  if (!kernel || !be.fused) return;
  const fusedK = be.fused.bind(be);
  const matmulFused = kernel;
  const floats = dtypes.filter((d) => d === 'float32' || d === 'float64');
  describe('matmul with a fused epilogue', () => {
    for (const dtype of floats) {
      it(`${dtype}: equals matmul then fused bit for bit (one thread, row and column splits, partial tiles, transposed A)`, async () => {
        const rng = new Rng(811);
        await run(async (s) => {
          // [m, k, n, A transposed]: 1024x784x300 and 300x64x1000 are above the threaded
          // products' threshold and split by rows and by columns; the odd ones leave partial tiles.
          const shapes: [number, number, number, boolean][] = [[1024, 784, 300, false], [300, 64, 1000, false], [784, 32, 300, true], [33, 17, 19, false], [7, 5, 3, true], [1, 9, 4, false]];
          for (const [m, k, n, ta] of shapes) {
            const av = s.upload(dtype, randomValues(rng, dtype, m * k));
            const a: View = ta ? s.view(av, { shape: [1, m, k], strides: [0, 1, m], offset: 0 }) : s.view(av, { shape: [1, m, k], strides: [0, k, 1], offset: 0 });
            const b = s.view(s.upload(dtype, randomValues(rng, dtype, k * n)), { shape: [1, k, n], strides: [0, n, 1], offset: 0 });
            const bias = s.view(s.upload(dtype, randomValues(rng, dtype, n)), { shape: [m, n], strides: [0, 1], offset: 0 });
            const scalar = s.view(s.upload(dtype, [0.75]), { shape: [m, n], strides: [0, 0], offset: 0 });
            const dense = s.dense(s.upload(dtype, randomValues(rng, dtype, m * n)), [m, n]);
            const cases = [
              { p: BIAS_RELU.program, inputs: [bias], params: [] as number[], what: 'bias + relu' },
              { p: MIXED.program, inputs: [bias, scalar, dense], params: [-1.5], what: 'row, scalar, dense and a param' },
            ];
            for (const c of cases) {
              const z = s.out(dtype, m * n);
              be.matmul(a, b, z);
              const want = s.out(dtype, m * n);
              fusedK(c.p, [s.dense(z, [m, n]), ...c.inputs], c.params, [want]);
              const wantValues = await s.read(want);
              for (const call of [1, 2]) {
                const out = s.out(dtype, m * n);
                matmulFused(a, b, c.p, c.inputs, c.params, out);
                assert.deepEqual(await s.read(out), wantValues, `${dtype} ${m}x${k}x${n}${ta ? ' (A transposed)' : ''}, ${c.what}, call ${call}`);
              }
            }
          }
        });
      });
    }
  });
}
