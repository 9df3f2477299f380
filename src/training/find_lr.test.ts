import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertClose, lcg } from '../../test/helpers.js';

/** A small regression problem: y = x·w* + noise, 4 features. */
function data(n: number, seed = 3): { x: hb.Tensor; y: hb.Tensor } {
  const xs = lcg(n * 4, seed);
  const w = [0.5, -1, 2, 0.25];
  const ys = Array.from({ length: n }, (_, i) => w.reduce((a, wk, k) => a + wk * (xs[i * 4 + k] as number), 0) + 0.1 * Math.sin(i));
  return { x: hb.tensor(xs, [n, 4]), y: hb.tensor(ys, [n, 1]) };
}

function net(bn: boolean): hb.Sequential {
  hb.setSeed(7);
  return hb.sequential([
    hb.layers.input({ shape: [4] }),
    hb.layers.dense({ units: 8, activation: 'relu' }),
    ...(bn ? [hb.layers.batchNormalization()] : []),
    hb.layers.dense({ units: 1 }),
  ]);
}

async function snapshot(model: hb.Model): Promise<{ weights: number[][]; state: Record<string, number[]>; numbers: Record<string, number>; iterations: number }> {
  const ws = model.getWeights();
  const weights = await Promise.all(ws.map(async (w) => Array.from(await w.data())));
  hb.dispose(ws);
  const saved = model.requireCompiled('test').runnerFor(model.trainableWeights).saveState();
  const state: Record<string, number[]> = {};
  for (const [k, t] of Object.entries(saved.tensors)) state[k] = Array.from(await t.data());
  hb.dispose(Object.values(saved.tensors));
  return { weights, state, numbers: { ...saved.numbers }, iterations: saved.iterations };
}

describe('findLearningRate', () => {
  it('restores every weight (batch-norm statistics too), the optimizer state, its step count and its rate, bit for bit', async () => {
    const { x, y } = data(64);
    const model = net(true);
    const schedule = hb.schedules.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.9 });
    const opt = hb.optimizers.adam({ learningRate: schedule });
    model.compile({ optimizer: opt, loss: 'mse' });
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 }); // non-trivial Adam moments, iterations 8
    const before = await snapshot(model);
    assert.equal(before.iterations, 8);
    const curve = await hb.findLearningRate(model, x, y, { minLr: 1e-4, maxLr: 1, steps: 12, batchSize: 16 });
    assert.equal(curve.losses.length, 12); // 3 passes of 4 batches
    assert.deepEqual(await snapshot(model), before);
    assert.equal(opt.learningRate, schedule);
    assert.equal(model.stopTraining, false);
    x.dispose();
    y.dispose();
  });

  it('restores the initial optimizer state of a model never fitted (the next fit starts as it would have)', async () => {
    const { x, y } = data(32);
    const a = net(false);
    const b = net(false);
    const w = a.getWeights();
    b.setWeights(w);
    hb.dispose(w);
    for (const m of [a, b]) m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), loss: 'mse' });
    await hb.findLearningRate(a, x, y, { steps: 4, batchSize: 8, shuffle: false });
    await a.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    await b.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    assert.deepEqual(await snapshot(a), await snapshot(b));
  });

  it('grows the rate exponentially from minLr to maxLr, one batch per step, one pass by default', async () => {
    const { x, y } = data(100);
    const model = net(false);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const c = await hb.findLearningRate(model, x, y, { minLr: 1e-4, maxLr: 1e-2, batchSize: 10 });
    assert.equal(c.learningRates.length, 10); // ceil(100 / 10)
    assert.equal(c.diverged, false);
    const ratio = Math.pow(100, 1 / 9);
    assertClose(c.learningRates, Array.from({ length: 10 }, (_, i) => 1e-4 * ratio ** i), 1e-12, 0);
    assert.equal(c.learningRates[0], 1e-4);
    assertClose([c.learningRates[9] as number], [1e-2], 1e-14, 0);
  });

  it("records each batch's loss before its update, a short last batch included (checked against a step-by-step replay)", async () => {
    const { x, y } = data(10);
    const model = net(false);
    model.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.3 }), loss: 'mse' });
    const w0 = model.getWeights();
    const c = await hb.findLearningRate(model, x, y, { minLr: 1e-3, maxLr: 0.1, batchSize: 4, shuffle: false, smoothing: 0 });
    assert.equal(c.losses.length, 3); // batches of 4, 4, 2
    assert.deepEqual(c.smoothedLosses, c.losses); // smoothing 0: the raw losses
    // The replay: a twin evaluates batch k, then takes one SGD step on it at rate k.
    const twin = net(false);
    twin.setWeights(w0);
    hb.dispose(w0);
    const opt = hb.optimizers.sgd({ learningRate: 1 });
    twin.compile({ optimizer: opt, loss: 'mse' });
    const expected: number[] = [];
    for (const [k, [s, len]] of [[0, 4], [4, 4], [8, 2]].entries()) {
      const xb = hb.slice(x, [s as number, 0], [len as number, 4]);
      const yb = hb.slice(y, [s as number, 0], [len as number, 1]);
      expected.push((await twin.evaluate(xb, yb, { verbose: 0, batchSize: 4 })) as number);
      opt.learningRate = c.learningRates[k] as number;
      await twin.fit(xb, yb, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      hb.dispose([xb, yb]);
    }
    assertClose(c.losses, expected, 2e-5, 1e-6);
  });

  it('stops once the smoothed loss exceeds divergenceFactor times its minimum', async () => {
    const { x, y } = data(256);
    const model = net(false);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const c = await hb.findLearningRate(model, x, y, { minLr: 1e-3, maxLr: 1e4, batchSize: 4, smoothing: 0.5 });
    assert.equal(c.diverged, true);
    assert.ok(c.losses.length < 64, `ran ${c.losses.length} of 64 steps`);
    const last = c.smoothedLosses[c.smoothedLosses.length - 1] as number;
    const bestBefore = Math.min(...c.smoothedLosses.slice(0, -1));
    assert.ok(!Number.isFinite(last) || last > 4 * bestBefore, `last ${last}, best ${bestBefore}`);
    assert.ok(c.smoothedLosses.slice(0, -1).every((l, i, a) => l <= 4 * Math.min(...a.slice(0, i + 1))), 'stopped at the first divergence');
  });

  it('smooths with the bias-corrected moving average (hand-worked)', () => {
    // β = 0.5: a1 = 0.5·1 = 0.5 → 0.5/0.5 = 1; a2 = 0.25 + 0.5·2 = 1.25 → 1.25/0.75; a3 = 0.625 + 0.5·4 = 2.625 → /0.875 = 3.
    assertClose(hb.smoothLosses([1, 2, 4], 0.5), [1, 1.25 / 0.75, 3], 1e-15, 0);
    assert.deepEqual(hb.smoothLosses([3, 1, 2], 0), [3, 1, 2]);
  });

  it('suggests a tenth of the rate at the smoothed minimum (hand-made curve)', () => {
    const rates = [1e-4, 1e-3, 1e-2, 1e-1, 1];
    // Falls, bottoms at 1e-2, then shoots up; NaN never counts as the minimum.
    assert.deepEqual(hb.suggestLearningRate(rates, [2.3, 1.9, 0.8, 1.5, NaN]), { suggestion: 1e-3, minLossRate: 1e-2 });
    // Ties: the first (lower) rate.
    assert.deepEqual(hb.suggestLearningRate(rates, [2, 1, 1, 3, 9]), { suggestion: 1e-4, minLossRate: 1e-3 });
    assert.throws(() => hb.suggestLearningRate(rates, [NaN, NaN, NaN, NaN, NaN]), /no finite loss/);
    assert.throws(() => hb.suggestLearningRate(rates, [1]), /one loss per rate \(5\), received 1/);
  });

  it('checks its options and the model', async () => {
    const { x, y } = data(8);
    const model = net(false);
    await assert.rejects(hb.findLearningRate(model, x, y), /findLearningRate: model "sequential.*" must be compiled first/);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const bad: [hb.FindLearningRateOptions, RegExp][] = [
      [{ minLr: 0 }, /minLr must be a finite number > 0, received 0/],
      [{ minLr: 1, maxLr: 0.5 }, /maxLr must be greater than minLr \(1\), received 0.5/],
      [{ steps: 1 }, /steps must be an integer >= 2, received 1/],
      [{ smoothing: 1 }, /smoothing must be a number in \[0, 1\), received 1/],
      [{ divergenceFactor: 1 }, /divergenceFactor must be a finite number > 1, received 1/],
      [{ batchSize: 0 }, /findLearningRate: batchSize/],
    ];
    for (const [o, re] of bad) await assert.rejects(hb.findLearningRate(model, x, y, o), re);
    // @ts-expect-error: Keras-style snake_case is refused with a hint.
    await assert.rejects(hb.findLearningRate(model, x, y, { min_lr: 1e-4 }), /unknown option "min_lr"; did you mean "minLr"\?/);
    const unbuilt = hb.sequential([hb.layers.dense({ units: 1 })]);
    unbuilt.compile({ optimizer: 'sgd', loss: 'mse' });
    await assert.rejects(hb.findLearningRate(unbuilt, x, y), /has no weights yet; build it first/);
  });
});
