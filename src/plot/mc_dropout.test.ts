import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axisLabel, legendLabels, markItems } from '../../testing/svg.js';
import { tensor } from '../ops/creation.js';
import { sequential } from '../models/sequential.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { mcPredict } from '../training/mc_predict.js';
import { mcDropoutSpec } from './mc_dropout.js';
import { toSvg } from './render.js';

type Bar = { sample: string; class: string; mean: number; lo: number; hi: number };

describe('plot.mcDropout', () => {
  it("a classifier: bars of each class's mean probability with ±1 std, per chosen sample", async () => {
    const mean = [[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]];
    const std = [[0.2, 0.1, 0.05], [0.1, 0.1, 0.1]];
    const s = mcDropoutSpec({ mean, std }, { samples: [0, 1], labels: ['a', 'b', 'c'] });
    const bars = (s as unknown as { data: { values: Bar[] } }).data.values;
    assert.deepEqual(bars.slice(0, 3).map((b) => [b.class, b.mean, b.lo, b.hi]), [['a', 0.7, 0.7 - 0.2, 0.7 + 0.2], ['b', 0.2, 0.2 - 0.1, 0.2 + 0.1], ['c', 0.1, 0.1 - 0.05, 0.1 + 0.05]]);
    const svg = await toSvg(s);
    assert.match(axisLabel(svg, 'Y'), /^Y-axis titled 'Mean probability \(± 1 std\)' for a linear scale with values from 0\.0 to 1\.0$/);
    assert.match(axisLabel(svg, 'X'), /^X-axis titled 'Class' for a discrete scale with 3 values: a, b, c$/);
    // the bars, then the error bars' two caps (tick marks draw as rects)
    assert.deepEqual(markItems(svg, 'rect'), [6, 6, 6]);
    assert.deepEqual(markItems(svg, 'rule'), [6]);
    assert.match(legendLabels(svg)[0] ?? '', /with 2 values: sample 0, sample 1$/);
  });

  it("one output per sample: each sample's mean and its ±1 std bar, a band along a feature", async () => {
    const svg = await toSvg(mcDropoutSpec({ mean: [1, 2, 3, 4], std: [0.1, 0.2, 0.3, 0.4] }));
    assert.match(axisLabel(svg, 'X'), /^X-axis titled 'Sample'/);
    assert.deepEqual(markItems(svg, 'symbol'), [4]);
    assert.deepEqual(markItems(svg, 'rule'), [4]);
    assert.deepEqual(markItems(svg, 'area'), []);
    const band = await toSvg(mcDropoutSpec({ mean: [[1], [2], [3]], std: [[0.1], [0.2], [0.3]] }, { x: [0, 0.5, 1], xTitle: 'hours' }));
    assert.match(axisLabel(band, 'X'), /^X-axis titled 'hours'/);
    assert.deepEqual(markItems(band, 'area'), [1]);
  });

  it("plots mcPredict's Tensors from a real dropout model", async () => {
    const model = sequential([new Dense({ units: 8, activation: 'relu', inputShape: [2] }), new Dropout({ rate: 0.5 }), new Dense({ units: 3, activation: 'softmax' })]);
    const x = tensor([[0.5, -1], [1, 2]]);
    const p = await mcPredict(model, x, { samples: 20 });
    const bars = (mcDropoutSpec(p, { samples: [1] }) as unknown as { data: { values: Bar[] } }).data.values;
    const mean = (p.mean.arraySync() as number[][])[1] as number[];
    assert.deepEqual(bars.map((b) => b.mean), mean);
    assert.ok(Math.abs(mean.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    model.dispose();
  });

  it('refuses mismatched shapes, a negative std, bad sample indices, wrong labels', () => {
    assert.throws(() => mcDropoutSpec({ mean: [[0.5, 0.5]], std: [[0.1]] }), /mean and std must have the same shape; mean is \[1, 2\], std is \[1, 1\]/);
    assert.throws(() => mcDropoutSpec({ mean: [1], std: [-1] }), /std\[0\] must be finite and >= 0/);
    assert.throws(() => mcDropoutSpec({ mean: [[0.5, 0.5]], std: [[0, 0]] }, { samples: [3] }), /samples must be 1 to 10 sample indices in \[0, 0\]/);
    assert.throws(() => mcDropoutSpec({ mean: [[0.5, 0.5]], std: [[0, 0]] }, { labels: ['a'] }), /labels must be 2 strings/);
    assert.throws(() => mcDropoutSpec({ mean: [1, 2], std: [0, 0] }, { x: [1] }), /x must be 2 finite numbers/);
  });
});
