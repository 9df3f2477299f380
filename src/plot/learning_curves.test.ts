import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { History } from '../callbacks/history.js';
import { ValueError } from '../core/errors.js';
import { axisLabel, legendLabels, markItems } from '../../testing/svg.js';
import { learningCurvesSpec, orderSeries } from './learning_curves.js';
import { toSvg } from './render.js';

/** A history shaped as fit logs it: exponential decay / rise, formulas rather than a run. */
function bookHistory(n: number): Record<string, number[]> {
  const h: Record<string, number[]> = { accuracy: [], loss: [], val_accuracy: [], val_loss: [] };
  for (let i = 0; i < n; i++) {
    (h['loss'] as number[]).push(0.9 * Math.exp(-i / 5) + 0.1);
    (h['val_loss'] as number[]).push(0.85 * Math.exp(-i / 6) + 0.15);
    (h['accuracy'] as number[]).push(1 - 0.5 * Math.exp(-i / 4));
    (h['val_accuracy'] as number[]).push(1 - 0.52 * Math.exp(-i / 5));
  }
  return h;
}

const spec = (s: unknown) => s as { data: { values: Record<string, unknown>[] }; encoding: Record<string, { scale?: Record<string, unknown>; title?: unknown }> };

describe('plot.learningCurves', () => {
  it("draws the book's figure: one axis, the grid, [0, 1], a legend entry and a line per series, a point per epoch", async () => {
    const s = learningCurvesSpec({ history: bookHistory(12) }, { title: 'curves' });
    assert.deepEqual(spec(s).encoding['y']?.scale?.['domain'], [0, 1]);
    const svg = await toSvg(s);
    assert.match(axisLabel(svg, 'X'), /^X-axis titled 'Epoch' for a linear scale with values from 1 to 12$/);
    assert.match(axisLabel(svg, 'Y'), /^Y-axis titled 'Value' for a linear scale with values from 0\.0 to 1\.0$/);
    // loss first, each metric followed by its validation twin (the book's legend order)
    assert.deepEqual(legendLabels(svg), ['Symbol legend for fill color, stroke color and strokeDash with 4 values: loss, val_loss, accuracy, val_accuracy']);
    assert.deepEqual(markItems(svg, 'line'), [1, 1, 1, 1]);
    assert.deepEqual(markItems(svg, 'symbol'), [4 * 12]);
    assert.match(svg, /class="mark-rule role-axis-grid"/);
    assert.match(svg, /Title text 'curves'/);
  });

  it('training dashed, validation solid, one colour per metric', () => {
    const enc = spec(learningCurvesSpec(bookHistory(3))).encoding;
    assert.deepEqual(enc['strokeDash']?.scale?.['range'], [[6, 4], [], [6, 4], []]);
    const colors = enc['color']?.scale?.['range'] as string[];
    assert.equal(colors[0], colors[1]);
    assert.equal(colors[2], colors[3]);
    assert.notEqual(colors[0], colors[2]);
  });

  it('widens [0, 1] only as far as a loss above 1 needs; a loss alone gets a fitted range', () => {
    const h = bookHistory(5);
    (h['loss'] as number[])[0] = 2.5;
    assert.deepEqual(spec(learningCurvesSpec(h)).encoding['y']?.scale?.['domain'], [0, 2.5]);
    const y = spec(learningCurvesSpec({ loss: [5, 4, 3.5] })).encoding['y'];
    assert.deepEqual(y?.scale, { zero: false });
    assert.equal(y?.title, 'loss');
  });

  it('reads fit\'s History, history.json\'s {epoch, history} (a resumed run keeps its numbering) and a bare dict', () => {
    const cb = new History();
    cb.onEpochEnd(0, { loss: 1, val_loss: 1.2 });
    cb.onEpochEnd(1, { loss: 0.5, val_loss: 0.7 });
    const a = spec(learningCurvesSpec(cb)).data.values;
    assert.deepEqual(a.map((r) => [r['series'], r['epoch'], r['value']]), [['loss', 1, 1], ['loss', 2, 0.5], ['val_loss', 1, 1.2], ['val_loss', 2, 0.7]]);
    const b = spec(learningCurvesSpec({ epoch: [5, 6], history: { loss: [1, 0.5] } })).data.values;
    assert.deepEqual(b.map((r) => r['epoch']), [6, 7]);
    assert.equal(spec(learningCurvesSpec({ loss: [1, 0.5] })).data.values.length, 2);
  });

  it('metrics picks the series; learning_rate is left out unless asked for', () => {
    const h = { ...bookHistory(4), learning_rate: [0.01, 0.01, 0.01, 0.01] };
    assert.deepEqual(new Set(spec(learningCurvesSpec(h)).data.values.map((r) => r['series'])), new Set(['loss', 'val_loss', 'accuracy', 'val_accuracy']));
    const only = spec(learningCurvesSpec(h, { metrics: ['val_accuracy', 'learning_rate'] })).data.values;
    assert.deepEqual([...new Set(only.map((r) => r['series']))], ['val_accuracy', 'learning_rate']);
    assert.throws(() => learningCurvesSpec(h, { metrics: ['val_acc'] }), (e: unknown) => e instanceof ValueError && /unknown metric "val_acc"; the history has "accuracy", "loss", "val_accuracy", "val_loss", "learning_rate"/.test(e.message));
  });

  it('draws NaN, ±Infinity (and JSON null) as gaps; refuses a series with no finite value', async () => {
    const h = { loss: [1, NaN, 0.6, 0.5], val_loss: [1.1, 0.9, Infinity, null as unknown as number] };
    const rows = spec(learningCurvesSpec(h)).data.values;
    assert.deepEqual(rows.map((r) => r['value']), [1, null, 0.6, 0.5, 1.1, 0.9, null, null]);
    const svg = await toSvg(learningCurvesSpec(h));
    // the loss line breaks at epoch 2: its path has two pieces (two moveto commands)
    const paths = [...svg.matchAll(/<g class="mark-line role-mark[^>]*><path[^>]* d="([^"]*)"/g)].map((m) => (m[1] as string).match(/M/g)?.length);
    assert.deepEqual(paths, [2, 1]);
    assert.throws(() => learningCurvesSpec({ loss: [NaN, NaN] }), /history\.loss has no finite value \(2 values, all NaN or infinite\)/);
  });

  it('refuses an empty history, series of different lengths, non-numbers, a bad epoch list', () => {
    assert.throws(() => learningCurvesSpec({}), /history is empty \(no logged metric\)/);
    assert.throws(() => learningCurvesSpec({ history: { loss: [] } }), /history is empty \(0 epochs\)/);
    assert.throws(() => learningCurvesSpec({ loss: [1, 2], val_loss: [1] }), /series of different lengths: "loss" has 2 epochs, "val_loss" has 1/);
    assert.throws(() => learningCurvesSpec({ loss: ['a'] } as never), /history\.loss must be an array of numbers/);
    assert.throws(() => learningCurvesSpec({ epoch: [0], history: { loss: [1, 2] } }), /history\.epoch must be 2 whole numbers/);
    assert.throws(() => learningCurvesSpec(null as never), /history must be a History/);
    assert.throws(() => learningCurvesSpec({ loss: [1] }, { width: 10 }), /width must be a whole number of pixels in \[50, 4000\], received 10/);
    assert.throws(() => learningCurvesSpec({ loss: [1] }, { metric: ['loss'] } as never), /unknown option "metric"; did you mean "metrics"\?/);
  });

  it('orders series: loss first, each metric then its val_ twin', () => {
    assert.deepEqual(orderSeries(['val_mae', 'val_loss', 'mae', 'loss']), ['loss', 'val_loss', 'mae', 'val_mae']);
  });
});
