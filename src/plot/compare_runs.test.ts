import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axisLabel, legendLabels, markItems } from '../../testing/svg.js';
import { compareRunsSpec } from './compare_runs.js';
import { toSvg } from './render.js';

const run = (k: number, n = 6) => ({
  loss: Array.from({ length: n }, (_, i) => Math.exp(-i / k)),
  val_loss: Array.from({ length: n }, (_, i) => 1.1 * Math.exp(-i / k)),
  val_accuracy: Array.from({ length: n }, (_, i) => 1 - 0.5 * Math.exp(-i / k)),
});

describe('plot.compareRuns', () => {
  it('one line and one legend entry per run, val_loss by default', async () => {
    const s = compareRunsSpec([{ name: 'adam', history: run(2) }, { name: 'sgd', history: { history: run(4, 9) } }]);
    const svg = await toSvg(s);
    assert.match(axisLabel(svg, 'Y'), /^Y-axis titled 'val_loss'/);
    assert.match(axisLabel(svg, 'X'), /^X-axis titled 'Epoch' for a linear scale with values from 1 to 9$/);
    assert.deepEqual(legendLabels(svg), ['Symbol legend titled \'Run\' for fill color and stroke color with 2 values: adam, sgd']);
    assert.deepEqual(markItems(svg, 'line'), [1, 1]);
    assert.deepEqual(markItems(svg, 'symbol'), [6 + 9]);
  });

  it('a score gets [0, 1]; loss when a run has no validation', async () => {
    const s = compareRunsSpec([{ name: 'a', history: run(2) }, { name: 'b', history: run(3) }], { metric: 'val_accuracy' }) as unknown as { encoding: { y: { scale: { domain: number[] } } } };
    assert.deepEqual(s.encoding.y.scale.domain, [0, 1]);
    const svg = await toSvg(compareRunsSpec([{ name: 'a', history: run(2) }, { name: 'b', history: { loss: [1, 0.5] } }]));
    assert.match(axisLabel(svg, 'Y'), /^Y-axis titled 'loss'/);
  });

  it('refuses no runs, a metric a run lacks (naming the common ones), two runs of one name', () => {
    assert.throws(() => compareRunsSpec([]), /runs must be a non-empty array of \{name, history\}/);
    assert.throws(() => compareRunsSpec([{ name: 'a', history: run(2) }, { name: 'b', history: { loss: [1], acc: [0.5] } }], { metric: 'val_loss' }), /run "b" has no "val_loss"; every run has "loss"/);
    assert.throws(() => compareRunsSpec([{ name: 'a', history: run(2) }, { name: 'a', history: run(3) }]), /two runs are named "a"/);
    assert.throws(() => compareRunsSpec([{ name: 'a', history: {} }]), /runs\[0\] \("a"\) is empty/);
  });
});
