/**
 * fit and evaluate check class ids once per call (prepare), so their steps use the sparse
 * loss's withCheckedLabels twin, which reads nothing back; a loss called directly still checks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ValueError } from '../core/errors.js';
import { sparseCategoricalCrossentropy, takesClassIds } from '../losses/crossentropy.js';
import { dense, input } from '../layers/index.js';
import { sequential } from '../models/sequential.js';
import { assertThrowsWith, countReads } from '../../test/helpers.js';

describe('class ids checked once per call', () => {
  it('a direct call of the loss reads its labels back and checks them', async () => {
    const loss = sparseCategoricalCrossentropy({ fromLogits: true });
    const logits = hb.tensor([[1, 2, 3], [0, 0, 1]]);
    const reads = await countReads(() => hb.computeLoss(loss, hb.tensor([0, 2], [2], 'int32'), logits));
    assert.equal(reads.sync, 1);
    assertThrowsWith(() => loss.perSample(hb.tensor([0, 3], [2], 'int32'), logits), ValueError, 'label 3 at index 1 is not a class id in [0, 3)');
  });

  it('fit reads the labels once per call, not once per step: the host reads do not grow with the number of steps', async () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 3 })]);
    m.compile({ optimizer: 'sgd', loss: hb.losses.sparseCategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy'] });
    const x = hb.randomNormal([40, 2], { seed: 3 });
    const labels = Array.from({ length: 40 }, (_, i) => i % 3);
    for (const y of [hb.tensor(labels, [40], 'int32'), hb.tensor(labels, [40, 1])]) {
      const oneStep = await countReads(() => m.fit(x, y, { epochs: 2, batchSize: 40, verbose: 0, validationSplit: 0.25 }));
      const manySteps = await countReads(() => m.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, validationSplit: 0.25 }));
      assert.deepEqual(manySteps, oneStep);
      assert.equal(manySteps.sync, 0);
      y.dispose();
    }
    x.dispose();
  });

  it('the twin computes what the checking loss computes, for int32 and float labels', () => {
    for (const fromLogits of [false, true]) {
      const loss = sparseCategoricalCrossentropy({ fromLogits });
      assert.ok(takesClassIds(loss));
      const twin = loss.withCheckedLabels();
      const p = hb.tensor([[0.2, 0.5, 0.3], [0.7, 0.1, 0.2], [0.1, 0.1, 0.8]]);
      for (const y of [hb.tensor([1, 0, 2], [3], 'int32'), hb.tensor([[1], [0], [2]])]) {
        assert.deepEqual(Array.from(twin.perSample(y, p).dataSync()), Array.from(loss.perSample(y, p).dataSync()));
      }
      assert.deepEqual(twin.getConfig(), loss.getConfig());
    }
    assert.equal(takesClassIds(hb.losses.categoricalCrossentropy()), false);
  });
});
