import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HyperParameters, type HPValues } from '../hyperparameters.js';
import { AshaOracle } from './asha.js';
import { GridSearchOracle } from './grid_search.js';
import { HyperbandOracle, hyperbandBrackets } from './hyperband.js';
import { RandomSearchOracle } from './random_search.js';
import { record, simulate } from '../../../testing/tuner/simulate.js';

function space(): HyperParameters {
  const hp = new HyperParameters();
  hp.int('units', { min: 1, max: 3 });
  hp.choice('opt', ['sgd', 'adam']);
  hp.conditionalScope('opt', 'sgd', () => hp.boolean('nesterov'));
  return hp;
}

describe('RandomSearch oracle', () => {
  it('runs maxTrials distinct trials, the same ones for the same seed, others for another', () => {
    const hp = space();
    const run = (seed: number): HPValues[] => simulate(new RandomSearchOracle({ maxTrials: 6, seed }), hp.space, () => 0).map((t) => t.values);
    const a = run(1);
    assert.equal(a.length, 6);
    assert.equal(new Set(a.map((v) => JSON.stringify(v))).size, 6);
    assert.deepEqual(run(1), a);
    assert.notDeepEqual(run(2), a);
  });

  it('stops when the space is exhausted (3 units × (2 sgd variants + adam) = 9 combinations)', () => {
    assert.equal(simulate(new RandomSearchOracle({ maxTrials: 50 }), space().space, () => 0).length, 9);
  });
});

describe('GridSearch oracle', () => {
  it('walks every combination once, a conditional parameter only where active', () => {
    const t = simulate(new GridSearchOracle(), space().space, () => 0);
    assert.deepEqual(
      t.map((x) => x.values),
      [1, 2, 3].flatMap((units) => [
        { units, opt: 'sgd', nesterov: false },
        { units, opt: 'sgd', nesterov: true },
        { units, opt: 'adam' },
      ]),
    );
    assert.equal(simulate(new GridSearchOracle({ maxTrials: 4 }), space().space, () => 0).length, 4);
  });
});

describe('Hyperband oracle', () => {
  it('lays out the brackets of Li et al. for R = 9, η = 3', () => {
    // sMax = 2: s=2: 9 trials at 1 epoch, 3 at 3, 1 at 9; s=1: ⌈3/2·3⌉ = 5 at 3, 1 at 9; s=0: 3 at 9
    assert.deepEqual(hyperbandBrackets(9, 3), [
      [{ trials: 9, epochs: 1 }, { trials: 3, epochs: 3 }, { trials: 1, epochs: 9 }],
      [{ trials: 5, epochs: 3 }, { trials: 1, epochs: 9 }],
      [{ trials: 3, epochs: 9 }],
    ]);
  });

  it('promotes the best of each rung, resuming from the epoch the parent reached', () => {
    const hp = new HyperParameters();
    hp.float('x', { min: 0, max: 1 });
    // the score (lower is better) is |x − 0.3|: promotions must be the closest x of their rung
    const trials = simulate(new HyperbandOracle({ maxEpochs: 9, factor: 3, seed: 4 }), hp.space, (v) => Math.abs((v['x'] as number) - 0.3));
    assert.equal(trials.length, 9 + 3 + 1 + 5 + 1 + 3);
    const rung = (b: number, r: number) => trials.filter((t) => t.info?.['bracket'] === b && t.info?.['rung'] === r);
    for (const [b, r, n] of [[0, 1, 3], [0, 2, 1], [1, 1, 1]] as const) {
      const below = rung(b, r - 1).sort((p, q) => p.score! - q.score!);
      const up = rung(b, r);
      assert.equal(up.length, n);
      assert.deepEqual(up.map((t) => t.info?.['parent']).sort(), below.slice(0, n).map((t) => t.id).sort());
      for (const t of up) {
        const parent = trials[t.info!['parent'] as number]!;
        assert.deepEqual(t.values, parent.values);
        assert.equal(t.initialEpoch, parent.epochs);
      }
    }
    assert.deepEqual(rung(0, 2)[0]!.epochs, 9);
  });

  it('waits while a rung below is still running', () => {
    const hp = new HyperParameters();
    hp.float('x', { min: 0, max: 1 });
    const o = new HyperbandOracle({ maxEpochs: 3, factor: 3, seed: 0 });
    // bracket 0: 3 trials at 1 epoch, then 1 at 3; bracket 1: 2 trials at 3 epochs
    const t: ReturnType<typeof record>[] = [];
    for (let i = 0; i < 3; i++) {
      const p = o.propose({ trials: t, space: hp.space, direction: 'min' });
      assert.ok(typeof p === 'object');
      t.push({ ...record(i, p, i === 2 ? null : i), status: i === 2 ? 'running' : 'completed' });
    }
    // the next bracket starts while bracket 0 waits on trial 2
    const p = o.propose({ trials: t, space: hp.space, direction: 'min' });
    assert.ok(typeof p === 'object' && p.info?.['bracket'] === 1);
    t.push({ ...record(3, p, null), status: 'running' });
    t.push({ ...record(4, o.propose({ trials: t, space: hp.space, direction: 'min' }) as never, null), status: 'running' });
    assert.equal(o.propose({ trials: t, space: hp.space, direction: 'min' }), 'wait');
  });
});

describe('ASHA oracle', () => {
  it('promotes a trial as soon as it is in the top 1/η of its rung, without waiting for the rung', () => {
    const hp = new HyperParameters();
    hp.float('x', { min: 0, max: 1 });
    const o = new AshaOracle({ maxEpochs: 9, minEpochs: 1, factor: 3, maxTrials: 9, seed: 2 });
    assert.deepEqual(o.rungs, [1, 3, 9]);
    const trials = simulate(o, hp.space, (v) => Math.abs((v['x'] as number) - 0.5));
    const r0 = trials.filter((t) => t.info?.['rung'] === 0);
    assert.equal(r0.length, 9);
    // after 3 rung-0 results the best of them goes up before a 4th trial starts
    const firstPromotion = trials.findIndex((t) => t.info?.['rung'] === 1);
    assert.equal(firstPromotion, 3);
    const best3 = trials.slice(0, 3).sort((a, b) => a.score! - b.score!)[0]!;
    assert.equal(trials[3]!.info?.['parent'], best3.id);
    assert.equal(trials[3]!.initialEpoch, 1);
    assert.equal(trials[3]!.epochs, 3);
    // 9 at rung 0 → ⌊9/3⌋ = 3 at rung 1 → 1 at rung 9
    assert.equal(trials.filter((t) => t.info?.['rung'] === 1).length, 3);
    assert.equal(trials.filter((t) => t.info?.['rung'] === 2).length, 1);
  });
});
