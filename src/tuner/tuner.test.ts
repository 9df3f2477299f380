import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../index.js';
import { ValueError } from '../core/errors.js';
import { irisHypermodel, irisSplit, type Split } from '../../testing/tuner/iris.js';

const quiet = (): void => {};

describe('Tuner on Iris (real training)', () => {
  let dir = '';
  let d: Split;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hebb-tuner-test-'));
    d = await irisSplit();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('random search with early stopping: every trial stored, the best model loads and scores its recorded val_accuracy', async () => {
    const tuner = new hb.tuner.RandomSearch({ hypermodel: irisHypermodel, objective: 'val_accuracy', maxTrials: 4, seed: 3, directory: dir, projectName: 'rs', log: quiet });
    assert.deepEqual(tuner.objective, { name: 'val_accuracy', direction: 'max' });
    const stop = new hb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 3, restoreBestWeights: true, mode: 'max' });
    await tuner.search(d.xTrain, d.yTrain, { epochs: 25, batchSize: 16, validationData: [d.xValid, d.yValid], callbacks: [stop] });
    const trials = await tuner.trials();
    assert.equal(trials.length, 4);
    for (const t of trials) {
      assert.equal(t.status, 'completed');
      assert.ok(t.metrics.length >= 1 && t.metrics.length <= 25);
      assert.ok(existsSync(join(t.checkpoint!, 'model.json')));
      // momentum is recorded only for SGD trials
      assert.equal('momentum' in t.values, t.values['optimizer'] === 'sgd');
    }
    const best = [...trials].sort((a, b) => b.score! - a.score!)[0]!;
    const [hp] = await tuner.getBestHyperparameters();
    assert.deepEqual(hp!.values, best.values);
    const [model] = await tuner.getBestModels(1);
    // restoreBestWeights: the checkpoint holds the best epoch's weights, so evaluating it gives the score
    const acc = ((await model!.evaluate(d.xValid, d.yValid, { returnDict: true })) as unknown as Record<string, number>)['accuracy']!;
    assert.ok(Math.abs(acc - best.score!) < 1e-6, `evaluated ${acc}, recorded ${best.score}`);
    assert.ok(best.score! >= 0.8, `best val_accuracy ${best.score}`);
    let printed = '';
    const s = await tuner.resultsSummary(2, (x) => (printed = x));
    assert.equal(s, printed);
    assert.match(s, /Objective: val_accuracy \(max\), 4 trials/);
    assert.equal(s.trim().split('\n').length, 2 + 2 + 2);
    // the same seed again (overwrite) gives the same hyperparameters in the same order
    const again = new hb.tuner.RandomSearch({ hypermodel: irisHypermodel, objective: 'val_accuracy', maxTrials: 4, seed: 3, directory: dir, projectName: 'rs', overwrite: true, log: quiet });
    await again.search(d.xTrain, d.yTrain, { epochs: 2, validationData: [d.xValid, d.yValid] });
    assert.deepEqual((await again.trials()).map((t) => t.values), trials.map((t) => t.values));
  });

  it('Hyperband promotions resume their parent checkpoint instead of building a new model', async () => {
    let builds = 0;
    const tuner = new hb.tuner.Hyperband({
      hypermodel: (hp) => {
        builds++;
        return irisHypermodel(hp);
      },
      objective: 'val_loss',
      maxEpochs: 3,
      factor: 3,
      seed: 1,
      directory: dir,
      projectName: 'hb',
      log: quiet,
    });
    await tuner.search(d.xTrain, d.yTrain, { validationData: [d.xValid, d.yValid], batchSize: 32 });
    const trials = await tuner.trials();
    // R = 3, η = 3: bracket 0 has 3 trials at 1 epoch and 1 promoted to 3; bracket 1 has 2 at 3 epochs
    assert.equal(trials.length, 6);
    const promoted = trials.filter((t) => t.info?.['parent'] !== null);
    assert.equal(promoted.length, 1);
    const p = promoted[0]!;
    assert.deepEqual(p.metrics.map((m) => m.epoch), [1, 2]);
    assert.equal(p.initialEpoch, 1);
    // one discovery run + 5 new trials; the promotion was loaded, not built
    assert.equal(builds, 1 + 5);
  });
});

describe('Tuner with a fit hook and no real model', () => {
  it('scores the mean of executionsPerTrial runs, and names the objective that was not logged', async () => {
    let run = 0;
    const tuner = new hb.tuner.GridSearch<{ x: number }>({
      hypermodel: (hp) => ({ x: hp.choice('x', [1, 2]) }),
      fit: (_hp, m) => ({ loss: m.x * 10 + run++ }),
      objective: 'loss',
      executionsPerTrial: 2,
      log: quiet,
    });
    await tuner.search(null as never, null as never);
    // trial 0 (x = 1): runs 0 and 1 → mean 10.5; trial 1 (x = 2): runs 2 and 3 → 22.5
    assert.deepEqual((await tuner.trials()).map((t) => t.score), [10.5, 22.5]);
    const bad = new hb.tuner.RandomSearch<{ x: number }>({ hypermodel: (hp) => ({ x: hp.int('x', { min: 0, max: 3 }) }), fit: () => ({ loss: 1 }), objective: 'val_accuracy', log: quiet });
    await assert.rejects(bad.search(null as never, null as never), (e: Error) => e instanceof ValueError && /"val_accuracy" was not logged; logged: loss/.test(e.message));
    await assert.rejects(
      new hb.tuner.RandomSearch<{ x: number }>({ hypermodel: (hp) => ({ x: hp.int('x', { min: 0, max: 3 }) }), log: quiet }).search(null as never, null as never),
      /not a Model; pass a fit\(hp, model, x, y, options\) hook/,
    );
  });

  it('refuses to mix two oracles in one stored search unless overwrite', async () => {
    const store = new hb.tuner.MemoryStore();
    const opts = { hypermodel: (hp: hb.tuner.HyperParameters) => ({ x: hp.int('x', { min: 0, max: 3 }) }), fit: () => 0, storage: store, log: quiet, maxTrials: 2 };
    await new hb.tuner.RandomSearch(opts).search(null as never, null as never);
    await assert.rejects(new hb.tuner.BayesianOptimization(opts).search(null as never, null as never), /holds a search "search" with oracle "RandomSearch", not "BayesianOptimization"/);
    await new hb.tuner.BayesianOptimization({ ...opts, overwrite: true }).search(null as never, null as never);
    assert.equal((await store.list()).length, 2);
  });
});
