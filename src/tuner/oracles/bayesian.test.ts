import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HyperParameters } from '../hyperparameters.js';
import { BayesianOptimizationOracle, encode, expectedImprovement } from './bayesian.js';
import { GaussianProcess, matern52, negLogMarginalLikelihood } from './gp.js';
import { RandomSearchOracle } from './random_search.js';
import { branin, simulate } from '../../../testing/tuner/simulate.js';

describe('the Gaussian process', () => {
  it('Matérn 5/2 follows its formula', () => {
    // r = √((1/2)² + (2/4)²) = √0.5; k = 2·(1 + √5 r + 5r²/3)·e^(−√5 r)
    const r = Math.sqrt(0.5);
    const want = 2 * (1 + Math.sqrt(5) * r + (5 * r * r) / 3) * Math.exp(-Math.sqrt(5) * r);
    assert.ok(Math.abs(matern52([0, 0], [1, 2], [2, 4], 2) - want) < 1e-14);
    assert.equal(matern52([0.3], [0.3], [1], 1.5), 1.5);
  });

  it('the marginal likelihood of one point is that of a normal with variance σ² + noise', () => {
    const v = negLogMarginalLikelihood([[0.2]], [1.5], { lengthScales: [1], variance: 0.8, noise: 0.2 });
    assert.ok(Math.abs(v - (0.5 * 1.5 * 1.5 + 0.5 * Math.log(2 * Math.PI))) < 1e-12);
  });

  it('interpolates a smooth function and is uncertain far from the data', () => {
    const xs = Array.from({ length: 11 }, (_, i) => [i / 10]);
    const f = (v: number): number => Math.sin(6 * v);
    const gp = new GaussianProcess(xs, xs.map((p) => f(p[0]!)));
    for (const q of [0.05, 0.45, 0.85]) assert.ok(Math.abs(gp.predict([q]).mean - f(q)) < 0.05, `at ${q}: ${gp.predict([q]).mean} vs ${f(q)}`);
    assert.ok(gp.predict([3]).std > 5 * gp.predict([0.45]).std);
    assert.ok(gp.params.noise < 1e-3, `fitted noise ${gp.params.noise} on noiseless data`);
  });

  it('expected improvement matches the closed form at z = 0 (σ/√(2π))', () => {
    assert.ok(Math.abs(expectedImprovement(1, 1, 2, 0) - 2 / Math.sqrt(2 * Math.PI)) < 1e-12);
    assert.equal(expectedImprovement(1, 3, 0, 0), 0);
  });
});

describe('BayesianOptimization oracle', () => {
  it('one-hot encodes unordered choices and scales ranges to [0, 1]', () => {
    const hp = new HyperParameters();
    hp.choice('opt', ['sgd', 'adam', 'rmsprop']);
    hp.float('lr', { min: 1e-4, max: 1e-2, sampling: 'log' });
    hp.choice('units', [16, 32, 64]);
    hp.fixed('act', 'relu');
    const e = encode(hp.space, { opt: 'adam', lr: 1e-3, units: 64, act: 'relu' });
    assert.deepEqual(e.map((v) => Math.round(v * 1e9) / 1e9), [0, 1, 0, 0.5, 1]);
  });

  it("reaches Branin's optimum region (f < 0.5; the minimum is 0.398) in fewer trials than random search, seed after seed", () => {
    const hp = new HyperParameters();
    hp.float('x1', { min: -5, max: 10 });
    hp.float('x2', { min: 0, max: 15 });
    const f = (v: Record<string, unknown>): number => branin(v['x1'] as number, v['x2'] as number);
    const firstBelow = (s: readonly { score: number | null }[]): number => {
      const i = s.findIndex((t) => t.score! < 0.5);
      return i < 0 ? Infinity : i + 1;
    };
    for (const seed of [0, 1, 2]) {
      const bo = firstBelow(simulate(new BayesianOptimizationOracle({ maxTrials: 30, seed, candidates: 500 }), hp.space, f));
      const rs = firstBelow(simulate(new RandomSearchOracle({ maxTrials: 30, seed }), hp.space, f));
      assert.ok(bo <= 30, `seed ${seed}: Bayesian optimisation did not get below 0.5 in 30 trials`);
      assert.ok(bo < rs, `seed ${seed}: Bayesian ${bo} trials, random ${rs}`);
    }
  });

  it('maximises as well (accuracy-like objectives), and uses UCB when asked', () => {
    const hp = new HyperParameters();
    hp.float('x', { min: 0, max: 1 });
    const t = simulate(new BayesianOptimizationOracle({ maxTrials: 12, seed: 5, acquisition: 'ucb', candidates: 300 }), hp.space, (v) => 1 - ((v['x'] as number) - 0.7) ** 2, 'max');
    const best = Math.max(...t.map((x) => x.score!));
    assert.ok(best > 1 - 0.02 ** 2, `best ${best}`);
  });
});
