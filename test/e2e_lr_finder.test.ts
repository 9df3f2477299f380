/**
 * End to end, on the real Fashion-MNIST files: the learning-rate finder's suggestion trains the
 * book's ch. 10 MLP to at least the accuracy of the book's hand-picked rate (SGD 0.01). The CI
 * version of examples/lr_finder_fashion_mnist.ts (10,000 images, 5 epochs; docs/RESULTS.md):
 * 3,000 training images, 2 epochs, no validation, the first 2,000 test images.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runLrFinder } from '../examples/lr_finder_fashion_mnist.js';

describe('e2e: learning-rate finder on Fashion-MNIST (book ch. 10-11)', () => {
  it("the suggestion trains the MLP at least as well as the book's 0.01", async () => {
    const t0 = Date.now();
    const r = await runLrFinder({ epochs: 2, trainCount: 3000, validCount: 0, testCount: 2000 });
    const c = r.curve;
    // One pass of 3,000 images in batches of 32, or fewer steps once the loss diverged.
    assert.ok(c.losses.length <= 94 && c.losses.length > 50, `${c.losses.length} steps`);
    assert.ok(c.suggestion > 1e-3 && c.suggestion < 1, `suggestion ${c.suggestion}`);
    assert.equal(c.suggestion, c.minLossRate / 10);
    assert.ok(r.suggested.testAccuracy >= r.handPicked.testAccuracy, `suggestion ${c.suggestion}: ${r.suggested.testAccuracy}, book 0.01: ${r.handPicked.testAccuracy}`);
    assert.ok(r.handPicked.testAccuracy > 0.6, `book rate: ${r.handPicked.testAccuracy}`);
    console.log(`# finder: ${c.losses.length} steps, suggestion ${c.suggestion.toPrecision(4)}; test accuracy ${r.suggested.testAccuracy.toFixed(4)} vs ${r.handPicked.testAccuracy.toFixed(4)} at 0.01; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
