import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { f64, vals, lcg, assertClose, assertTensor, assertNoLeak } from '../../test/helpers.js';

/** Softmax of one row by the textbook formula with the max subtracted, in plain JS. */
function refSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('relu', () => {
  it('forward, relu\'(0) = 0 (Keras), NaN passes through', () => {
    assertNoLeak(() => {
      assertTensor(hb.relu(f64([-2, -0, 0, 0.5, 3])), [5], [0, 0, 0, 0.5, 3]);
      assertClose(vals(hb.grad((x) => hb.relu(x))(f64([-2, 0, 0.5]))), [0, 0, 1]);
      assert.ok(Number.isNaN(hb.relu(f64([NaN])).item()));
      hb.checkGradients(hb.relu, [f64([-2, -0.1, 0.3, 4])]);
    });
  });
});

describe('softmax and logSoftmax', () => {
  it('match the textbook formula on every row, over the last or another axis', () => {
    assertNoLeak(() => {
      const v = lcg(12, 4, -3, 3);
      const rows = [v.slice(0, 4), v.slice(4, 8), v.slice(8, 12)];
      const expected = rows.flatMap(refSoftmax);
      assertTensor(hb.softmax(f64(v, [3, 4])), [3, 4], expected, 1e-14, 1e-16);
      assertTensor(hb.logSoftmax(f64(v, [3, 4])), [3, 4], expected.map(Math.log), 1e-14, 1e-15);
      // axis 0: softmax over columns
      const cols = [0, 1, 2, 3].map((j) => refSoftmax([v[j]!, v[4 + j]!, v[8 + j]!]));
      const exp0 = [0, 1, 2].flatMap((i) => cols.map((c) => c[i]!));
      assertTensor(hb.softmax(f64(v, [3, 4]), 0), [3, 4], exp0, 1e-14, 1e-16);
      const sums = vals(hb.sum(hb.softmax(f64(v, [3, 4])), -1));
      assertClose(sums, [1, 1, 1], 1e-15);
    });
  });

  it('are finite and exact at logits of +-1000', () => {
    assertNoLeak(() => {
      const x = f64([[1000, 0, -1000], [-1000, -1000, -1000], [1000, 1000, -1000]]);
      assertTensor(hb.softmax(x), [3, 3], [1, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0.5, 0.5, 0], 1e-15, 0);
      assertTensor(hb.logSoftmax(x), [3, 3], [0, -1000, -2000, -Math.log(3), -Math.log(3), -Math.log(3), -Math.LN2, -Math.LN2, -2000 - Math.LN2], 1e-15, 0);
      // float32 as well
      const y = hb.logSoftmax(hb.tensor([[1000, -1000]]));
      assertClose(vals(y), [0, -2000], 0, 0);
      // full float32 relative precision: shifting by the max is exact, nothing rounds at 1000
      assertClose(vals(hb.softmax(hb.tensor([[1000, 1000, 1000]]))), [1, 1, 1].map(() => Math.fround(1 / 3)), 0, 0);
      assertClose(vals(hb.logSoftmax(hb.tensor([[-1000, -1000]]))), [Math.fround(-Math.LN2), Math.fround(-Math.LN2)], 0, 0);
      // gradients stay finite: d/dx sum(w * logSoftmax(x)) = w - softmax(x) * sum(w)
      const g = hb.valueAndGrad(() => hb.logSoftmax(x), [x], f64([[1, 0, 0], [0, 1, 0], [0, 0, 1]])).grads[0]!;
      assertClose(vals(g), [0, 0, 0, -1 / 3, 2 / 3, -1 / 3, -0.5, -0.5, 1], 1e-15, 1e-300);
    });
  });

  it('gradients match finite differences', () => {
    assertNoLeak(() => {
      const x = f64(lcg(12, 9, -2, 2), [3, 4]);
      hb.checkGradients((t) => hb.softmax(t), [x]);
      hb.checkGradients((t) => hb.logSoftmax(t), [x]);
      hb.checkGradients((t) => hb.softmax(t, 0), [x]);
      hb.checkGradients((t) => hb.logSoftmax(t, 0), [x]);
    });
  });

  it('over several axes at once, and of empty tensors (an empty result, as NumPy)', () => {
    assertNoLeak(() => {
      const x = f64(lcg(12, 3, -2, 2), [2, 2, 3]);
      // Over axes [0, 2]: each of the 2 groups x[:, j, :] (6 values) sums to 1.
      const y = hb.softmax(x, [0, 2]);
      const xv = vals(x);
      for (let j = 0; j < 2; j++) {
        const idx = [0, 1].flatMap((a) => [0, 1, 2].map((c) => a * 6 + j * 3 + c));
        assertClose(idx.map((i) => vals(y)[i] as number), refSoftmax(idx.map((i) => xv[i] as number)), 1e-14, 0);
      }
      for (const [shape, axis] of [[[2, 0], -1], [[0, 3], 0], [[0, 3], -1]] as const) {
        for (const fn of [hb.softmax, hb.logSoftmax]) {
          const r = fn(hb.zeros(shape), axis);
          assert.deepEqual([...r.shape], [...shape]);
          assert.equal(r.size, 0);
        }
      }
    });
  });
});
