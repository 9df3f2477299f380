/**
 * Rules skip the gradients of inputs that need none (constants): the values are unchanged (the
 * gradient checks elsewhere cover them); these tests pin that the work is really skipped, by
 * counting kernel calls on the active backend.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import type { Backend } from '../backends/backend.js';
import { assertClose, lcg, vals } from '../../test/helpers.js';

type Counted = 'matmul' | 'reduce' | 'where';

/** Runs fn while counting calls of some kernels of the active backend. */
function countKernels(fn: () => void): Record<Counted, number> {
  const be: Backend = hb.getBackend();
  const counts: Record<Counted, number> = { matmul: 0, reduce: 0, where: 0 };
  const saved = { matmul: be.matmul, reduce: be.reduce, where: be.where };
  be.matmul = (...a) => (counts.matmul++, saved.matmul.apply(be, a));
  be.reduce = (...a) => (counts.reduce++, saved.reduce.apply(be, a));
  be.where = (...a) => (counts.where++, saved.where.apply(be, a));
  try {
    fn();
  } finally {
    Object.assign(be, saved);
    // The saved functions are the prototype's: drop the own properties again.
    delete (be as Partial<Backend>).matmul;
    delete (be as Partial<Backend>).reduce;
    delete (be as Partial<Backend>).where;
  }
  return counts;
}

describe('rules skip gradients nobody needs', () => {
  it('matmul(constant, w): one product backward (dL/dw), none for the constant', () => {
    hb.scope(() => {
      const c = hb.tensor(lcg(6, 1), [2, 3]);
      const w = hb.tensor(lcg(12, 2), [3, 4]);
      let g: hb.Tensor[] = [];
      const n = countKernels(() => {
        g = hb.valueAndGrad(() => hb.sum(hb.matmul(c, w)), [w]).grads;
      });
      assert.equal(n.matmul, 2); // forward + dL/dw
      // dL/dw[k, j] = sum_i c[i, k]
      const cv = vals(c);
      const expected = [0, 1, 2].flatMap((k) => Array.from({ length: 4 }, () => (cv[k] as number) + (cv[3 + k] as number)));
      assertClose(vals(g[0] as hb.Tensor), expected, 1e-6, 1e-6);
    });
  });

  it('maximum(x, constant): no where and no reduction for the constant side', () => {
    hb.scope(() => {
      const x = hb.tensor([0.1, 0.7, 0.3, 0.9], [4]);
      let g: hb.Tensor[] = [];
      const n = countKernels(() => {
        g = hb.valueAndGrad(() => hb.sum(hb.maximum(x, 0.5)), [x]).grads;
      });
      assert.equal(n.reduce, 1); // the forward sum only
      assert.equal(n.where, 1); // x's side only
      assert.deepEqual(vals(g[0] as hb.Tensor), [0, 1, 0, 1]);
    });
  });
});
