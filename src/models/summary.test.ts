import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatShape, readableBytes, summaryText, withCommas } from './summary.js';

describe('summary formatting', () => {
  it('numbers, sizes and shapes as Keras prints them', () => {
    assert.equal(withCommas(266610), '266,610');
    assert.equal(withCommas(0), '0');
    assert.equal(readableBytes(266610 * 4), '1.02 MB');
    assert.equal(readableBytes(0), '0.00 B');
    assert.equal(formatShape([[null, 784]]), '(None, 784)');
    assert.equal(formatShape([[null]]), '(None,)');
    assert.equal(formatShape([[null, 1], [null, 2]]), '[(None, 1), (None, 2)]');
  });
  it('draws the table and the totals', () => {
    const text = summaryText('m', [
      { name: 'flatten', type: 'Flatten', outputShape: [[null, 784]], params: 0 },
      { name: 'dense', type: 'Dense', outputShape: [[null, 300]], params: 235500 },
    ], { trainable: 235500, nonTrainable: 0 });
    const lines = text.split('\n');
    assert.equal(lines[0], 'Model: "m"');
    assert.equal(lines[2], `┃ ${'Layer (type)'.padEnd(31)} ┃ ${'Output Shape'.padEnd(22)} ┃ ${'Param #'.padStart(13)} ┃`);
    assert.equal(lines[4], `│ ${'flatten (Flatten)'.padEnd(31)} │ ${'(None, 784)'.padEnd(22)} │ ${'0'.padStart(13)} │`);
    assert.equal(lines[6], `│ ${'dense (Dense)'.padEnd(31)} │ ${'(None, 300)'.padEnd(22)} │ ${'235,500'.padStart(13)} │`);
    assert.deepEqual(lines.slice(-3), [' Total params: 235,500 (919.92 KB)', ' Trainable params: 235,500 (919.92 KB)', ' Non-trainable params: 0 (0.00 B)']);
    // every table line has the same width
    const widths = new Set(lines.slice(1, -3).map((l) => [...l].length));
    assert.equal(widths.size, 1);
  });
});
