/**
 * CI versions of examples/ch11/dropout_gap.ts and mc_dropout.ts on small subsets: the
 * book's dropout MLP (dropout 0.2) against the same net without dropout, 10 epochs on the
 * first 2,000 Fashion-MNIST training images (validation: the last 1,000); then Monte Carlo
 * dropout (20 samples) against one pass on the first 2,000 test images, for a dropout net
 * trained 30 epochs on the first 1,000 training images: MC dropout helps where the one pass
 * is overconfident, and a 2,000-image, 10-epoch net is not (MC was worse there for seeds 42,
 * 1 and 7; docs/RESULTS.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SEED } from '../../examples/ch11/common.js';
import { runDropoutGap } from '../../examples/ch11/dropout_gap.js';
import { runMcDropout } from '../../examples/ch11/mc_dropout.js';

describe('ch11 example: dropout (small)', () => {
  it('dropout narrows the gap between training and validation accuracy', async () => {
    const [plain, drop] = await runDropoutGap({ epochs: 10, train: 2000, valid: 1000, rate: 0.2, seed: SEED });
    assert.ok(plain && drop);
    console.log(`gap without dropout ${plain.gap.toFixed(4)} (train ${plain.trainAccuracy.toFixed(4)}, val ${plain.validAccuracy.toFixed(4)}); with ${drop.gap.toFixed(4)} (train ${drop.trainAccuracy.toFixed(4)}, val ${drop.validAccuracy.toFixed(4)})`);
    assert.ok(drop.gap < plain.gap - 0.01, `gaps: ${plain.gap} without, ${drop.gap} with dropout`);
  });

  it('Monte Carlo dropout has a lower test log loss and ECE than one pass on an overfit net', async () => {
    const r = await runMcDropout({ epochs: 30, train: 1000, valid: 500, test: 2000, samples: 20, seed: SEED });
    console.log(`one pass: log loss ${r.onePass.logLoss.toFixed(4)}, ECE ${r.onePass.ece.toFixed(4)}; MC: log loss ${r.mc.logLoss.toFixed(4)}, ECE ${r.mc.ece.toFixed(4)}`);
    assert.ok(r.mc.logLoss < r.onePass.logLoss, `log loss: MC ${r.mc.logLoss}, one pass ${r.onePass.logLoss}`);
    assert.ok(r.mc.ece < r.onePass.ece, `ECE: MC ${r.mc.ece}, one pass ${r.onePass.ece}`);
  });
});
