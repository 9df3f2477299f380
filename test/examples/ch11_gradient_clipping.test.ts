/**
 * CI version of examples/ch11/gradient_clipping.ts: the California-housing MLP with SGD at
 * 0.2, one epoch on the first 2,000 training rows. Without clipping the running loss grows
 * by orders of magnitude within the first batches (and overflows); with clipnorm=1 or
 * globalClipnorm=1 it stays finite and falls.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SEED } from '../../examples/ch11/common.js';
import { defaultVariants, growth, runGradientClipping, variantLabel } from '../../examples/ch11/gradient_clipping.js';

describe('ch11 example: gradient clipping (small)', () => {
  it('the unclipped loss explodes; clipnorm and globalClipnorm train', async () => {
    const runs = await runGradientClipping({ epochs: 1, train: 2000, variants: defaultVariants(0.2, 1).slice(0, 3), seed: SEED });
    const [none, byNorm, byGlobal] = runs;
    assert.ok(none && byNorm && byGlobal);
    for (const r of runs) console.log(`${variantLabel(r.variant)}: trajectory ${r.trajectory.map((l) => l.toPrecision(3)).join(' ')}; epoch loss ${r.loss[0]}`);
    // The same start: batch 1's loss is computed before any update.
    assert.equal(byNorm.trajectory[0], none.trajectory[0]);
    assert.ok(growth(none) > 100, `unclipped growth ${growth(none)}`);
    // Its steps turn non-finite, are skipped, and fit stops itself after 10 in a row.
    assert.match(none.stopped ?? '', /stopped after 10 consecutive training steps/);
    for (const r of [byNorm, byGlobal]) assert.equal(r.stopped, undefined);
    for (const r of [byNorm, byGlobal]) {
      assert.ok(r.trajectory.every(Number.isFinite), `${variantLabel(r.variant)}: ${r.trajectory}`);
      assert.ok(growth(r) < 10, `${variantLabel(r.variant)} growth ${growth(r)}`);
      const epochLoss = r.loss[0] as number;
      assert.ok(Number.isFinite(r.valLoss[0] as number));
      assert.ok(epochLoss < (r.trajectory[0] as number) / 2, `${variantLabel(r.variant)}: epoch loss ${epochLoss} vs first batch ${r.trajectory[0]}`);
    }
  });
});
