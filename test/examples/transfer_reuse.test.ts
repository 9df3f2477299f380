/**
 * CI version of examples/transfer/reuse_pretrained.ts (the book's "Reusing Pretrained
 * Layers"): A on the 8 classes of the first 3,000 training images for 2 epochs, B on the
 * first 200 sandals and shirts, tested on the sandals and shirts of the first 2,000 test
 * images, seeds 42 and 43. What is checked is what the protocol promises, from the weights
 * themselves: B_on_A starts from A's trained hidden layers, the frozen phase leaves them
 * bit-identical, the fine-tuning changes them, A is untouched by all of it, B and B_on_A's new
 * heads start equal, and every model beats chance. (Whether reuse beats scratch is the
 * experiment's question, answered in docs/RESULTS.md, not an assertion.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sameWeights } from '../../examples/transfer/common.js';
import { classesA, reuseReport, runReusePretrained } from '../../examples/transfer/reuse_pretrained.js';

describe('transfer example: reusing pretrained layers (small)', () => {
  it('B_on_A reuses A\'s trained layers, frozen then fine-tuned, without changing A', async () => {
    const r = await runReusePretrained({ seeds: 2, trainA: 3000, epochsA: 2, test: 2000 });
    console.log(reuseReport(r));
    assert.equal(r.sizes.trainB, 200);
    assert.ok(r.sizes.testB > 300 && r.sizes.testA > 1200, JSON.stringify(r.sizes));
    for (const s of r.seeds) {
      const at = `seed ${s.seed}`;
      assert.equal(s.reuse.start.length, 4, at); // flatten (no weights) and the 3 hidden layers
      assert.deepEqual(s.reuse.start[0], [], at);
      assert.ok(sameWeights(s.reuse.start.slice(1), s.aHidden), `${at}: B_on_A starts from A's trained weights`);
      assert.ok(sameWeights(s.reuse.afterFrozen, s.reuse.start), `${at}: frozen layers unchanged by the frozen phase`);
      assert.ok(!sameWeights(s.reuse.end, s.reuse.afterFrozen), `${at}: unfrozen layers trained`);
      assert.ok(sameWeights(s.aHiddenAfterB, s.aHidden), `${at}: A unchanged (B_on_A trained a clone)`);
      assert.ok(sameWeights(s.headScratch0, s.headReuse0), `${at}: B and B_on_A's heads start equal`);
      assert.ok(s.accuracyA > 0.3, `${at}: A's accuracy ${s.accuracyA} (chance 0.125)`);
      for (const [what, acc] of [['B', s.scratch], ['B_on_A frozen', s.reuse.frozenAccuracy], ['B_on_A', s.reuse.accuracy]] as const) {
        assert.ok(acc > 0.75, `${at}: ${what} accuracy ${acc} (chance 0.5)`);
      }
    }
  });

  it('classesA leaves out B\'s two classes, in order', () => {
    assert.deepEqual(classesA(5, 6), [0, 1, 2, 3, 4, 7, 8, 9]);
    assert.deepEqual(classesA(0, 2), [1, 3, 4, 5, 6, 7, 8, 9]);
  });
});
