import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { f64, lcg, assertTensor, assertNoLeak, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

/** Reference batched matmul in plain loops over explicit index arithmetic (NumPy semantics). */
function refMatmul(a: number[], as: number[], b: number[], bs: number[], ta: boolean, tb: boolean): { shape: number[]; values: number[] } {
  const [ar, ac] = as.slice(-2) as [number, number];
  const [br, bc] = bs.slice(-2) as [number, number];
  const m = ta ? ac : ar;
  const k = ta ? ar : ac;
  const n = tb ? br : bc;
  const aBatch = as.slice(0, -2);
  const bBatch = bs.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const batch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = aBatch[aBatch.length - rank + i] ?? 1;
    const db = bBatch[bBatch.length - rank + i] ?? 1;
    batch.push(Math.max(da, db));
  }
  const nb = batch.reduce((p, d) => p * d, 1);
  const offsetOf = (bshape: number[], idx: number[]): number => {
    let off = 0;
    let stride = 1;
    for (let i = bshape.length - 1; i >= 0; i--) {
      const d = bshape[i]!;
      off += (d === 1 ? 0 : idx[idx.length - bshape.length + i]!) * stride;
      stride *= d;
    }
    return off;
  };
  const out: number[] = [];
  for (let t = 0; t < nb; t++) {
    const idx = batch.map((_, i) => Math.floor(t / batch.slice(i + 1).reduce((p, d) => p * d, 1)) % batch[i]!);
    const ao = offsetOf(aBatch, idx) * ar * ac;
    const bo = offsetOf(bBatch, idx) * br * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = ta ? a[ao + p * ac + i]! : a[ao + i * ac + p]!;
          const bv = tb ? b[bo + j * bc + p]! : b[bo + p * bc + j]!;
          s += av * bv;
        }
        out.push(s);
      }
    }
  }
  return { shape: [...batch, m, n], values: out };
}

const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);

describe('matmul', () => {
  const CASES: [number[], number[], boolean, boolean][] = [
    [[3, 4], [4, 2], false, false],
    [[3, 4], [2, 4], false, true],
    [[4, 3], [4, 2], true, false],
    [[4, 3], [2, 4], true, true],
    [[2, 3, 4], [4, 5], false, false], // batch on a only
    [[3, 4], [2, 4, 5], false, false], // batch on b only
    [[2, 1, 3, 4], [3, 4, 2], false, false], // broadcast batch dims both ways
    [[2, 4, 3], [2, 5, 4], true, true],
    [[1, 3, 4], [2, 2, 4], false, true],
  ];
  for (const [as, bs, ta, tb] of CASES) {
    it(`forward ${JSON.stringify(as)}${ta ? 'ᵀ' : ''} x ${JSON.stringify(bs)}${tb ? 'ᵀ' : ''} matches plain loops; gradient matches finite differences`, () => {
      assertNoLeak(() => {
        const av = lcg(size(as), 1);
        const bv = lcg(size(bs), 2);
        const r = refMatmul(av, as, bv, bs, ta, tb);
        assertTensor(hb.matmul(f64(av, as), f64(bv, bs), ta, tb), r.shape, r.values, 1e-14, 1e-15);
        hb.checkGradients((a, b) => hb.matmul(a, b, ta, tb), [f64(av, as), f64(bv, bs)]);
      });
    });
  }

  it('reads transposed and sliced views in place, and matches the materialised product', () => {
    assertNoLeak(() => {
      const av = lcg(12, 3);
      const bv = lcg(12, 4);
      const a = f64(av, [4, 3]);
      const b = f64(bv, [3, 4]);
      // matmul(aᵀ, b) through a transposed view equals transposeA = true
      const b43 = f64(bv, [4, 3]);
      const r = refMatmul(av, [4, 3], bv, [4, 3], true, false);
      assertTensor(hb.matmul(hb.transpose(a), b43), r.shape, r.values, 1e-14, 1e-15);
      assertTensor(hb.matmul(hb.transpose(a), hb.transpose(b43), false, true), r.shape, r.values, 1e-14, 1e-15);
      // a column slice (non-unit row stride) and a batch built by a broadcast view
      const s = hb.slice(b, [0, 1], [3, 2]);
      const sv = [bv[1]!, bv[2]!, bv[5]!, bv[6]!, bv[9]!, bv[10]!];
      const r2 = refMatmul(av, [4, 3], sv, [3, 2], false, false);
      assertTensor(hb.matmul(a, s), r2.shape, r2.values, 1e-14, 1e-15);
      const bb = hb.broadcastTo(hb.expandDims(s, 0), [2, 3, 2]);
      const r3 = refMatmul(av, [4, 3], [...sv, ...sv], [2, 3, 2], false, false);
      assertTensor(hb.matmul(a, bb), r3.shape, r3.values, 1e-14, 1e-15);
      hb.checkGradients((x, y) => hb.matmul(hb.transpose(x), hb.slice(y, [0, 1], [3, 2])), [f64(av, [3, 4]), f64(lcg(9, 7), [3, 3])]);
    });
  });

  it('accepts broadcast (stride-0) operands and empty inner dimensions', () => {
    assertNoLeak(() => {
      const row = [1, 2, 3];
      const bv = lcg(6, 8);
      const r = refMatmul([...row, ...row, ...row, ...row], [4, 3], bv, [3, 2], false, false);
      assertTensor(hb.matmul(hb.broadcastTo(f64(row), [4, 3]), f64(bv, [3, 2])), r.shape, r.values, 1e-14, 1e-15);
      hb.checkGradients((a, b) => hb.matmul(hb.broadcastTo(a, [4, 3]), b), [f64(row), f64(bv, [3, 2])]);
      assertTensor(hb.matmul(hb.zeros([2, 0], 'float64'), hb.zeros([0, 3], 'float64')), [2, 3], [0, 0, 0, 0, 0, 0]);
    });
  });

  it('float32 matmul agrees with a float64 reference to float32 precision', () => {
    assertNoLeak(() => {
      const av = lcg(64 * 32, 5).map(Math.fround);
      const bv = lcg(32 * 16, 6).map(Math.fround);
      const r = refMatmul(av, [64, 32], bv, [32, 16], false, false);
      assertTensor(hb.matmul(hb.tensor(av, [64, 32]), hb.tensor(bv, [32, 16])), r.shape, r.values, 1e-5, 1e-5);
    });
  });

  it('errors name the shapes exactly', () => {
    assertNoLeak(() => {
      const a = hb.zeros([32, 784]);
      const b = hb.zeros([300, 100]);
      assertThrowsExact(() => hb.matmul(a, b), hb.ShapeError, 'matmul: inner dimensions differ: a is [32, 784], b is [300, 100]');
      assertThrowsExact(() => hb.matmul(a, b, false, true), hb.ShapeError,
        'matmul: inner dimensions differ: a is [32, 784], b (transposed) is [300, 100]');
      assertThrowsExact(() => hb.matmul(hb.zeros([3]), b), hb.ShapeError, 'matmul: a and b must have rank >= 2, received a [3] and b [300, 100]');
      assertThrowsWith(() => hb.matmul(hb.zeros([2, 3, 4]), hb.zeros([3, 4, 5])), hb.ShapeError, 'matmul (batch dimensions)', '[2]', '[3]');
      assertThrowsExact(() => hb.matmul(hb.zeros([2, 2]), hb.zeros([2, 2], 'float64')), hb.DTypeError, 'matmul: a and b must have the same dtype, received float32 and float64');
      assertThrowsExact(() => hb.matmul(hb.zeros([2, 2], 'int32'), hb.zeros([2, 2], 'int32')), hb.DTypeError, 'matmul: expects float tensors, received int32');
    });
  });
});

describe('dot', () => {
  it('vector·vector, matrix·vector, vector·matrix, matrix·matrix; gradients', () => {
    assertNoLeak(() => {
      const v = [1, 2, 3];
      const m = [1, 2, 3, 4, 5, 6];
      assertTensor(hb.dot(f64(v), f64([4, 5, 6])), [], [32]);
      assertTensor(hb.dot(f64(m, [2, 3]), f64(v)), [2], [14, 32]);
      assertTensor(hb.dot(f64([1, 2]), f64(m, [2, 3])), [3], [9, 12, 15]);
      assertTensor(hb.dot(f64(m, [2, 3]), f64(m, [3, 2])), [2, 2], [22, 28, 49, 64]);
      assertThrowsExact(() => hb.dot(f64(v), f64([1, 2])), hb.ShapeError, 'dot: vectors differ in length: a is [3], b is [2]');
      assertThrowsWith(() => hb.dot(hb.zeros([1, 2, 3]), hb.zeros([3])), hb.ShapeError, 'dot', 'rank 1 or 2');
      hb.checkGradients(hb.dot, [f64(lcg(3, 1)), f64(lcg(3, 2))]);
      hb.checkGradients(hb.dot, [f64(lcg(6, 1), [2, 3]), f64(lcg(3, 2))]);
      hb.checkGradients(hb.dot, [f64(lcg(2, 1)), f64(lcg(6, 2), [2, 3])]);
      hb.checkGradients(hb.dot, [f64(lcg(6, 1), [2, 3]), f64(lcg(6, 2), [3, 2])]);
    });
  });
});

describe('a tiny MLP, end to end', () => {
  it('gradient of softmax cross-entropy through two dense layers matches finite differences', () => {
    assertNoLeak(() => {
      const x = f64(lcg(4 * 3, 1), [4, 3]);
      const y = hb.oneHot(hb.tensor([0, 2, 1, 2], [4], 'int32'), 3, 'float64');
      const loss = (w1: hb.Tensor, b1: hb.Tensor, w2: hb.Tensor, b2: hb.Tensor): hb.Tensor => {
        const h = hb.tanh(hb.add(hb.matmul(x, w1), b1));
        const logits = hb.add(hb.matmul(h, w2), b2);
        return hb.neg(hb.mean(hb.sum(hb.mul(y, hb.logSoftmax(logits)), -1)));
      };
      const r = hb.checkGradients(loss, [f64(lcg(15, 2), [3, 5]), f64(lcg(5, 3)), f64(lcg(15, 4), [5, 3]), f64(lcg(3, 5))]);
      assert.equal(r.checked, 15 + 5 + 15 + 3);
    });
  });
});
