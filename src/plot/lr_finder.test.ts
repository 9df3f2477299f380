import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { smoothLosses, suggestLearningRate } from '../training/find_lr.js';
import { axisLabel, markItems, texts } from '../../testing/svg.js';
import { lrFinderSpec } from './lr_finder.js';
import { lrFinder } from './node.js';
import { toSvg } from './render.js';

/** A finder-shaped curve from a formula: flat, falling around 1e-3, then climbing past 0.3. */
function curve(n: number) {
  const learningRates = Array.from({ length: n }, (_, i) => 1e-5 * Math.pow(1e6, i / (n - 1)));
  const losses = learningRates.map((r) => 0.7 - 0.5 / (1 + Math.exp(-(Math.log10(r) + 3) * 2)) + (r > 0.3 ? (r - 0.3) * 2 : 0));
  const smoothedLosses = smoothLosses(losses, 0.9);
  return { learningRates, losses, smoothedLosses, ...suggestLearningRate(learningRates, smoothedLosses) };
}

describe('plot.lrFinder', () => {
  it('draws loss against rate on a log x axis, raw and smoothed lines, the suggestion marked', async () => {
    const c = curve(60);
    const { svg } = await lrFinder(c);
    assert.match(axisLabel(svg, 'X'), /^X-axis titled 'Learning rate \(log scale\)' for a log scale with values from 1e-5 to 1e\+1$/);
    assert.match(axisLabel(svg, 'Y'), /^Y-axis titled 'Loss' for a linear scale/);
    assert.deepEqual(markItems(svg, 'line'), [1, 1]);
    assert.deepEqual(markItems(svg, 'rule'), [1]);
    assert.ok(texts(svg).includes(`suggestion ${c.suggestion.toExponential(1)}`), texts(svg).join('|'));
    // the rule stands at the suggestion: its x over the plot width is log(s/min)/log(max/min)
    const s = lrFinderSpec(c) as unknown as { width: number };
    const x = Number(/<g class="mark-rule role-mark[^>]*><line [^>]*transform="translate\(([\d.]+),/.exec(svg)?.[1]);
    const frac = Math.log(c.suggestion / 1e-5) / Math.log(10 / 1e-5);
    assert.ok(Math.abs(x - frac * s.width) < 1.5, `rule at ${x}, expected ${frac * s.width}`);
  });

  it('leaves the smoothed line out when the curve has none', async () => {
    const c = curve(20);
    const svg = await toSvg(lrFinderSpec({ learningRates: c.learningRates, losses: c.losses, suggestion: c.suggestion }));
    assert.deepEqual(markItems(svg, 'line'), [1]);
  });

  it('refuses an empty curve, mismatched lengths, rates <= 0, a bad suggestion; draws NaN as a gap', () => {
    const c = curve(10);
    assert.throws(() => lrFinderSpec({ learningRates: [], losses: [], suggestion: 1e-3 }), /the curve is empty/);
    assert.throws(() => lrFinderSpec({ ...c, losses: c.losses.slice(1) }), /expected one loss per rate \(10\), received 9 losses/);
    assert.throws(() => lrFinderSpec({ ...c, smoothedLosses: [1] }), /one smoothed loss per rate \(10\), received 1/);
    assert.throws(() => lrFinderSpec({ ...c, learningRates: [0, ...c.learningRates.slice(1)] }), /learningRates must all be finite and > 0 \(a log axis\)/);
    assert.throws(() => lrFinderSpec({ ...c, suggestion: NaN }), /suggestion must be a finite rate > 0/);
    const rows = (lrFinderSpec({ ...c, losses: [...c.losses.slice(0, 9), NaN] }) as unknown as { data: { values: { loss: number | null }[] } }).data.values;
    assert.equal(rows[9]?.loss, null);
  });
});
