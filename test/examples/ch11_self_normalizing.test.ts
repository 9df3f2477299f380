/**
 * CI version of examples/ch11/self_normalizing.ts: the 20-layer SELU net (LeCun normal,
 * standardized inputs, AlphaDropout 0.1 before the output) keeps its hidden activations near
 * mean 0 and standard deviation 1 at initialization, and trains: one epoch on the first 3,000
 * Fashion-MNIST training images, validated on the last 1,000.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { last, SEED } from '../../examples/ch11/common.js';
import { runSelfNormalizing } from '../../examples/ch11/self_normalizing.js';

describe('ch11 example: self-normalizing net (small)', () => {
  it('keeps mean ≈ 0 and std ≈ 1 through 20 SELU layers and trains', async () => {
    const r = await runSelfNormalizing({ epochs: 1, depth: 20, train: 3000, valid: 1000, seed: SEED });
    assert.equal(r.stats.length, 20);
    for (const [i, s] of r.stats.entries()) {
      assert.ok(Math.abs(s.mean) < 0.15 && s.std > 0.85 && s.std < 1.15, `layer ${i + 1}: mean ${s.mean}, std ${s.std}`);
    }
    const acc = last(r.history, 'val_accuracy');
    console.log(`self-normalizing, depth 20: val_accuracy ${acc.toFixed(4)} after 1 epoch on 3,000 images`);
    assert.ok(acc > 0.65, `val_accuracy ${acc}`);
  });
});
