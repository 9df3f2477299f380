import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axisLabel, markItems, texts } from '../../testing/svg.js';
import { fakeTrials } from '../../testing/tuner/fake_trials.js';
import { tunerTrials } from './node.js';
import { runningBest, tunerTrialsSpec, type TrialLike } from './tuner_trials.js';

/** The y pixel of each point of the first symbol group: vega writes `transform="translate(x,y)"` per item. */
function points(svg: string, group: number): { x: number; y: number }[] {
  const all = [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>/g)];
  const m = all[group];
  if (m === undefined) throw new Error(`no symbol group ${group}`);
  const start = (m.index ?? 0) + m[0].length;
  const body = svg.slice(start, svg.indexOf('</g>', start));
  return [...body.matchAll(/transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((p) => ({ x: Number(p[1]), y: Number(p[2]) }));
}

describe('plot.tunerTrials', () => {
  it('draws the score per trial with the running best, and one panel per hyperparameter', async () => {
    const trials = fakeTrials(12);
    const { svg } = await tunerTrials(trials, { objective: 'val_loss' });
    const xs = [...svg.matchAll(/aria-label="(X-axis[^"]*)"/g)].map((m) => m[1] as string);
    const ys = [...svg.matchAll(/aria-label="(Y-axis[^"]*)"/g)].map((m) => m[1] as string);
    assert.match(axisLabel(svg, 'X'), /^X-axis titled 'Trial' for a linear scale with values from 1 to 12$/);
    // the fixed parameter (one value) gets no panel; the log-sampled one gets a log axis
    assert.deepEqual(xs.map((l) => /titled '([^']*)'/.exec(l)?.[1]), ['Trial', 'learning_rate (log scale)', 'units', 'optimizer', 'batch_norm']);
    assert.match(xs[1] as string, /for a log scale/);
    assert.match(xs[2] as string, /for a linear scale/);
    assert.match(xs[3] as string, /for a discrete scale with 2 values: adam, sgd$/);
    assert.match(xs[4] as string, /for a discrete scale with 2 values: false, true$/);
    assert.ok(ys.length === 5 && ys.every((l) => /titled 'val_loss'/.test(l)), ys.join('\n'));
    // every panel has one point per completed trial (the failed and running ones are left out and counted)
    assert.deepEqual(markItems(svg, 'symbol'), [12, 12, 12, 12, 12]);
    assert.ok(texts(svg).includes('12 completed trials; running best as a line; left out: 1 failed, 1 running'), texts(svg).join('|'));
    assert.ok(texts(svg).includes('val_loss per trial (lower is better)'));
    assert.deepEqual(markItems(svg, 'line'), [1]);
  });

  it('the running best is the minimum so far (computed here by hand) and never goes up', () => {
    const trials = fakeTrials(12).filter((t) => t.status === 'completed');
    const rows = (tunerTrialsSpec(trials, { objective: 'val_loss' }) as unknown as { vconcat: { data: { values: { trial: number; score: number; best: number }[] } }[] }).vconcat[0]!.data.values;
    let lo = Infinity;
    rows.forEach((r, i) => {
      lo = Math.min(lo, trials[i]!.score as number);
      assert.equal(r.trial, i + 1);
      assert.equal(r.best, lo);
      if (i > 0) assert.ok(r.best <= rows[i - 1]!.best);
    });
    assert.deepEqual(runningBest([0.5, 0.7, 0.6, 0.9, 0.8], 'max'), [0.5, 0.7, 0.7, 0.9, 0.9]);
  });

  it('draws the points at their scores: the top point is the trial with the highest score', async () => {
    const trials = fakeTrials(8);
    const { svg } = await tunerTrials(trials, { objective: { name: 'val_loss', direction: 'min' }, title: 'search' });
    const ps = points(svg, 0);
    const scores = trials.filter((t) => t.status === 'completed').map((t) => t.score as number);
    const worst = scores.indexOf(Math.max(...scores));
    // SVG y grows downwards: the highest score is drawn highest, at the smallest y
    assert.equal(ps.length, scores.length);
    assert.equal(ps.map((p) => p.y).indexOf(Math.min(...ps.map((p) => p.y))), worst);
    // and the trials stand left to right in order
    assert.ok(ps.every((p, i) => i === 0 || p.x > (ps[i - 1] as { x: number }).x));
    assert.ok(texts(svg).includes('search'));
  });

  it("a 'max' objective titles itself so and its running best climbs", () => {
    const trials: TrialLike[] = [0.6, 0.8, 0.7].map((score, i) => ({ id: i + 1, status: 'completed', score, values: { units: 8 * (i + 1) }, space: [], metrics: [{ epoch: 0, logs: { val_accuracy: score } }] }));
    const spec = tunerTrialsSpec(trials, { objective: 'val_accuracy' }) as unknown as { vconcat: { title: { text: string }; data: { values: { best: number }[] } }[] };
    assert.equal(spec.vconcat[0]!.title.text, 'val_accuracy per trial (higher is better)');
    assert.deepEqual(spec.vconcat[0]!.data.values.map((r) => r.best), [0.6, 0.8, 0.8]);
  });

  it('refuses no completed trial, an unknown objective, a bad objective or trial', () => {
    const trials = fakeTrials(4);
    assert.throws(() => tunerTrialsSpec(trials.filter((t) => t.status !== 'completed'), { objective: 'val_loss' }), /no completed trial with a score to draw \(2 trials: 1 failed, 1 running, 0 completed without a score\)/);
    assert.throws(() => tunerTrialsSpec([], { objective: 'val_loss' }), /no completed trial with a score/);
    assert.throws(() => tunerTrialsSpec(trials, { objective: 'val_accuracy' }), /unknown objective "val_accuracy": the trials logged loss, val_loss/);
    assert.throws(() => tunerTrialsSpec(trials, { objective: { name: 'val_loss', direction: 'down' } } as never), /objective must be a metric name or \{name, direction: 'min' \| 'max'\}/);
    assert.throws(() => tunerTrialsSpec(trials, {} as never), /objective must be a metric name/);
    assert.throws(() => tunerTrialsSpec([{ id: 1 }] as never, { objective: 'val_loss' }), /trials\[0\] must be a stored trial/);
    assert.throws(() => tunerTrialsSpec(trials, { objective: 'val_loss', colums: 2 } as never), /colums/);
  });
});
