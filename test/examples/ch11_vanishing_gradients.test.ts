/**
 * CI version of examples/ch11/vanishing_gradients.ts: the 20-layer, 100-unit stacks, trained
 * for 3 epochs on the first 4,000 Fashion-MNIST training images (375 steps of plain SGD at
 * 0.01), validated on the last 1,000. The full run (20,000 images, 10 epochs) and the
 * measured margins of this one are in docs/RESULTS.md, "Chapter 11 experiments".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { last, SEED } from '../../examples/ch11/common.js';
import { runVanishingGradients } from '../../examples/ch11/vanishing_gradients.js';

describe('ch11 example: vanishing gradients (small)', () => {
  it('He + ELU and batch normalization learn where sigmoid with N(0, 1) barely does', async () => {
    const [sig, elu, bn] = await runVanishingGradients({ epochs: 3, train: 4000, valid: 1000, seed: SEED });
    assert.ok(sig && elu && bn);
    const acc = (r: typeof sig): number => last(r.history, 'val_accuracy');
    console.log(`val_accuracy: sigmoid N(0,1) ${acc(sig).toFixed(4)}, He+ELU ${acc(elu).toFixed(4)}, sigmoid N(0,1)+BN ${acc(bn).toFixed(4)}`);
    assert.ok(acc(elu) > acc(sig) + 0.2, `He+ELU ${acc(elu)} vs sigmoid ${acc(sig)}`);
    assert.ok(acc(bn) > acc(sig) + 0.08, `BN ${acc(bn)} vs sigmoid ${acc(sig)}`);
    // Before any update, the lowest layer of the He/ELU net gets a gradient >10x larger.
    const g1 = (r: typeof sig): number => r.gradientNorms[0] as number;
    assert.equal(sig.gradientNorms.length, 21);
    assert.ok(g1(elu) > 10 * g1(sig), `first-layer gradient norms: He+ELU ${g1(elu)}, sigmoid ${g1(sig)}`);
  });
});
