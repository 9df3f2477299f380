import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../ops/creation.js';
import { axisLabel, markItems, texts } from '../../testing/svg.js';
import { confusionCounts, confusionMatrixSpec } from './confusion_matrix.js';
import { toSvg } from './render.js';

// counted by hand: true 0 → predicted 0, 1; true 1 → 1, 1; true 2 → 2, 0, 2
const yTrue = [0, 0, 1, 1, 2, 2, 2];
const yPred = [0, 1, 1, 1, 2, 0, 2];
const COUNTS = [[1, 1, 0], [0, 2, 0], [1, 0, 2]];

type Cell = { actual: string; predicted: string; value: number; text: string };
const cells = (s: unknown) => (s as { data: { values: Cell[] } }).data.values;

describe('plot.confusionMatrix', () => {
  it('counts true (rows) against predicted (columns), a cell and its number per pair', async () => {
    assert.deepEqual(confusionCounts(yTrue, yPred, 3), COUNTS);
    const s = confusionMatrixSpec(yTrue, yPred, { labels: ['cat', 'dog', 'eel'] });
    assert.deepEqual(cells(s).map((c) => c.value), COUNTS.flat());
    const svg = await toSvg(s);
    assert.match(axisLabel(svg, 'X'), /^X-axis titled 'Predicted label' for a discrete scale with 3 values: cat, dog, eel$/);
    assert.match(axisLabel(svg, 'Y'), /^Y-axis titled 'True label' for a discrete scale with 3 values: cat, dog, eel$/);
    assert.deepEqual(markItems(svg, 'rect'), [9]);
    assert.deepEqual(markItems(svg, 'text'), [9]);
    const drawn = texts(svg);
    for (const n of ['cat', 'dog', 'eel', 'Count']) assert.ok(drawn.includes(n), n);
    assert.match(svg, /legend titled 'Count' for fill color/);
  });

  it("normalizes as sklearn: 'true' by row, 'pred' by column, 'all' by the total", () => {
    assert.deepEqual(cells(confusionMatrixSpec(yTrue, yPred, { normalize: 'true' })).map((c) => c.value), [1 / 2, 1 / 2, 0, 0, 1, 0, 1 / 3, 0, 2 / 3]);
    assert.deepEqual(cells(confusionMatrixSpec(yTrue, yPred, { normalize: 'pred' })).map((c) => c.value), [1 / 2, 1 / 3, 0, 0, 2 / 3, 0, 1 / 2, 0, 1]);
    assert.deepEqual(cells(confusionMatrixSpec(yTrue, yPred, { normalize: 'all' })).map((c) => c.value), COUNTS.flat().map((c) => c / 7));
    assert.equal(cells(confusionMatrixSpec(yTrue, yPred, { normalize: 'true' }))[8]?.text, '0.67');
  });

  it('reads probabilities and one-hot rows by argmax, Tensors as arrays; labels add empty classes', () => {
    const probs = yPred.map((p) => [0, 1, 2].map((j) => (j === p ? 0.8 : 0.1)));
    const oneHot = tensor(yTrue.map((t) => [0, 1, 2].map((j) => (j === t ? 1 : 0))));
    // a sigmoid's [n, 1] probabilities: > 0.5 is class 1
    assert.deepEqual(cells(confusionMatrixSpec(oneHot, probs)).map((c) => c.value), COUNTS.flat());
    assert.deepEqual(cells(confusionMatrixSpec(tensor([1, 0]), [[0.2], [0.9]])).map((c) => c.value), [0, 1, 1, 0]);
    assert.equal(cells(confusionMatrixSpec([0], [0], { labels: ['a', 'b', 'c', 'd'] })).length, 16);
  });

  it('refuses mismatched lengths, too few labels, non-class values', () => {
    assert.throws(() => confusionMatrixSpec([0, 1], [0]), /yTrue has 2, yPred has 1/);
    assert.throws(() => confusionMatrixSpec(yTrue, yPred, { labels: ['a', 'b'] }), /labels names 2 classes, but the data has class index 2/);
    assert.throws(() => confusionMatrixSpec([0, 1.5], [0, 1]), /yTrue\[1\] must be a class index/);
    assert.throws(() => confusionMatrixSpec([], []), /yTrue must be a non-empty array or Tensor/);
    assert.throws(() => confusionMatrixSpec([0], [0], { normalize: 'rows' as never }), /normalize must be 'true', 'pred' or 'all'/);
  });
});
