/**
 * gather checks its indices on the host once, in the forward op; its gradient (scatterAdd)
 * and scatterAdd's (gather) trust them and read nothing back (docs/ARCHITECTURE.md lists the
 * ops that still read).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertClose, assertNoLeak, countReads, vals } from '../../test/helpers.js';

describe('gather and scatterAdd gradients read nothing back', () => {
  it("gather's gradient adds dy's rows at the indices, with no read beyond the forward check", async () => {
    const x = hb.tensor([[1, 2], [3, 4], [5, 6]]);
    const idx = hb.tensor([2, 0, 2], [3], 'int32');
    const w = hb.tensor([[1, 10], [100, 1000], [1e4, 1e5]]);
    let g: number[] = [];
    const reads = await countReads(() => assertNoLeak(() => {
      // d/dx sum(gather(x, idx)·w): row 2 gets w0 + w2, row 0 gets w1, row 1 nothing.
      const r = hb.valueAndGrad(() => hb.sum(hb.mul(hb.gather(x, idx), w)), [x]);
      g = Array.from(r.grads[0]!.dataSync());
    }));
    assertClose(g, [100, 1000, 0, 0, 1 + 1e4, 10 + 1e5]);
    assert.deepEqual(reads, { sync: 2, async: 0 }, 'one read: the forward index check, one: reading g');
    hb.dispose([x, idx, w]);
  });

  it("scatterAdd's gradient gathers dy at the indices, with no read beyond the forward check", async () => {
    const u = hb.tensor([[1, 2], [3, 4]]);
    const idx = hb.tensor([1, 1], [2], 'int32');
    const w = hb.tensor([[1, 2], [3, 4], [5, 6]]);
    let g: number[] = [];
    const reads = await countReads(() => assertNoLeak(() => {
      // d/du sum(scatterAdd(u, idx, [3, 2])·w) = w's row 1 for each row of u.
      g = vals(hb.valueAndGrad(() => hb.sum(hb.mul(hb.scatterAdd(u, idx, [3, 2]), w)), [u]).grads[0]!);
    }));
    assertClose(g, [3, 4, 3, 4]);
    assert.equal(reads.sync, 2);
    hb.dispose([u, idx, w]);
  });
});
