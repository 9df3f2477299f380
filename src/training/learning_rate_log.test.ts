import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';

function close(a: number | undefined, b: number, what: string): void {
  assert.ok(a !== undefined && Math.abs(a - b) <= 1e-15 * Math.abs(b), `${what}: ${a} vs ${b}`);
}

function data(n: number): { x: number[][]; y: number[][] } {
  const x = Array.from({ length: n }, (_, i) => [i / n, 1 - i / n]);
  return { x, y: x.map(([a, b]) => [2 * (a ?? 0) - (b ?? 0)]) };
}

describe('fit logs learning_rate each epoch', () => {
  it('a schedule: the rate after the updates of the epoch, lr(iterations), decaying under exponentialDecay', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    const lr = hb.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5 });
    m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: lr }) });
    const { x, y } = data(10); // batch 4: 3 steps per epoch
    const h = await m.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, shuffle: false });
    const got = h.history['learning_rate'] ?? [];
    assert.equal(got.length, 3);
    // after epoch e, 3·(e + 1) updates: 0.1·0.5^(3(e+1)/3)
    [0.05, 0.025, 0.0125].forEach((want, e) => close(got[e], want, `epoch ${e}`));
    // the step count carries over to the next fit, as Keras's optimizer.iterations does
    const h2 = await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    close(h2.history['learning_rate']?.[0], 0.00625, 'a second fit, 12 updates');
  });
  it('the first update uses lr(0): a schedule that is 0 at step 0 leaves the first epoch (one step) without effect', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    const lr = hb.schedules.piecewiseConstantDecay({ boundaries: [0], values: [0, 0.1] });
    m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: lr }) });
    const { x, y } = data(4);
    const w0 = m.getWeights().map((w) => Array.from(w.dataSync()));
    const h = await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const w1 = m.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(w1, w0, 'step 0 ran at rate 0');
    assert.deepEqual(h.history['learning_rate'], [0.1], 'the next update (step 1) will use 0.1');
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    assert.notDeepEqual(m.getWeights().map((w) => Array.from(w.dataSync())), w0, 'step 1 ran at rate 0.1');
  });
  it('oneCycle over a whole fit: logged at 3, 6, 9 of 9 iterations', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    // iterations 9: last = 1, half = 4; lr(3) = 0.01 + 0.09·3/4, lr(6) = 0.1 − 0.09·2/4, lr(9) = 1e-5 (held)
    m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: hb.schedules.oneCycle({ maxLearningRate: 0.1, iterations: 9 }) }) });
    const { x, y } = data(9);
    const h = await m.fit(x, y, { epochs: 3, batchSize: 3, verbose: 0 });
    const got = h.history['learning_rate'] ?? [];
    close(got[0], 0.01 + (0.09 * 3) / 4, 'epoch 0');
    close(got[1], 0.1 - (0.09 * 2) / 4, 'epoch 1');
    close(got[2], 0.01 / 1000, 'epoch 2');
  });
  it('a constant rate is logged as it is, next to the losses', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    const { x, y } = data(8);
    const h = await m.fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.25 });
    assert.deepEqual(h.history['learning_rate'], [0.01, 0.01]);
    assert.deepEqual(Object.keys(h.history).sort(), ['learning_rate', 'loss', 'val_loss']);
  });
  it('an optimizer without a learningRate logs none', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    const fixed: hb.Optimizer = { name: 'fixed', ...hb.optimizers.chain(hb.optimizers.scaleByLearningRate(0.1)), getConfig: () => ({}) };
    m.compile({ loss: 'mse', optimizer: fixed });
    const { x, y } = data(4);
    const h = await m.fit(x, y, { epochs: 2, verbose: 0 });
    assert.deepEqual(Object.keys(h.history), ['loss']);
  });
});
