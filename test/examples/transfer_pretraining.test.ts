/**
 * CI versions of examples/transfer/autoencoder_pretraining.ts and rotation_pretraining.ts:
 * pretraining on the first 3,000 training images (2 epochs), a classifier on the first 500
 * labelled ones, tested on the first 2,000 test images, one seed. Checked from the weights:
 * the pretrained layers really were copied into the classifier (equal to the pretrained
 * model's, different from the classifier's own initial ones), stay bit-identical while
 * frozen, change when unfrozen, and the pretrained model is left as it was; the pretraining
 * itself learned (reconstruction error down, quarter turns recognised above chance); every
 * classifier beats chance. Reuse against scratch is measured, not asserted (docs/RESULTS.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sameWeights, type ScratchVsReuse } from '../../examples/transfer/common.js';
import { autoencoderReport, runAutoencoderPretraining } from '../../examples/transfer/autoencoder_pretraining.js';
import { rotationReport, runRotationPretraining } from '../../examples/transfer/rotation_pretraining.js';

const small = { seeds: 1, unlabeled: 3000, labeled: 500, test: 2000 };

function checkReuse(r: ScratchVsReuse, layers: number): void {
  assert.equal(r.reuse.start.length, layers);
  assert.ok(sameWeights(r.reuse.start, r.source), 'the classifier starts from the pretrained weights');
  assert.ok(!sameWeights(r.reuse.start, r.initial), 'the copy replaced the classifier\'s own initial weights');
  assert.ok(sameWeights(r.reuse.afterFrozen, r.reuse.start), 'frozen layers unchanged by the frozen phase');
  assert.ok(!sameWeights(r.reuse.end, r.reuse.afterFrozen), 'unfrozen layers trained');
  assert.ok(sameWeights(r.sourceAfter, r.source), 'the pretrained model unchanged');
  for (const [what, acc] of [['scratch', r.scratch], ['frozen', r.reuse.frozenAccuracy], ['fine-tuned', r.reuse.accuracy]] as const) {
    assert.ok(acc > 0.5, `${what} accuracy ${acc} (chance 0.1)`);
  }
}

describe('transfer examples: pretraining (small)', () => {
  it('autoencoder: its encoder initializes the classifier', async () => {
    const r = await runAutoencoderPretraining({ ...small, aeEpochs: 2 });
    console.log(autoencoderReport(r));
    const s = r.seeds[0];
    assert.ok(s);
    assert.ok(s.mseAfter < s.mseBefore / 4, `reconstruction MSE ${s.mseBefore} → ${s.mseAfter}`);
    checkReuse(s, 3); // flatten, enc1, enc2
  });

  it('rotation: the auxiliary net\'s hidden layers initialize the classifier', async () => {
    const r = await runRotationPretraining({ ...small, auxEpochs: 2 });
    console.log(rotationReport(r));
    const s = r.seeds[0];
    assert.ok(s);
    assert.ok(s.auxAccuracy > 0.5, `quarter-turn accuracy ${s.auxAccuracy} (chance 0.25)`);
    checkReuse(s, 3); // flatten, hidden1, hidden2
  });
});
