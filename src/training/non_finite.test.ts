/**
 * Non-finite steps never reach the weights: fit skips a step whose loss or gradients hold NaN
 * or Infinity (decided on the backend), counts it in the logs, stops after maxConsecutiveSkips
 * in a row with an error naming the epoch and batch, and terminateOnNaN stops at the first.
 * The model is y = w·x + b (one Dense unit, w = 1, b = 0); the loss (yTrue − yPred)²/yTrue is
 * Infinity on a sample whose label is 0, so such a batch has an infinite loss and gradients.
 * Expected weights come from SGD worked on the host in float64 over the finite batches only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertClose } from '../../test/helpers.js';
import type { LazyLogs } from '../callbacks/callback.js';

const ratioLoss = (yt: hb.Tensor, yp: hb.Tensor): hb.Tensor => hb.mean(hb.div(hb.square(hb.sub(yt, yp)), yt), -1);

function model(optimizer: hb.optimizers.Optimizer): hb.Sequential {
  const m = hb.sequential([hb.layers.input({ shape: [1] }), hb.layers.dense({ units: 1, kernelInitializer: 'ones' })]);
  m.compile({ optimizer, loss: ratioLoss });
  return m;
}

/** SGD with batch size 1 over the samples whose label is 1 (loss (1 − yp)²), in float64. */
function reference(xs: readonly number[], ys: readonly number[], lr: number, steps = xs.length): [number, number] {
  let w = 1;
  let b = 0;
  for (let i = 0; i < steps; i++) {
    if (ys[i] === 0) continue;
    const g = 2 * (w * (xs[i] as number) + b - 1);
    w -= lr * g * (xs[i] as number);
    b -= lr * g;
  }
  return [w, b];
}

function weights(m: hb.Sequential): number[] {
  return m.getWeights().flatMap((t) => {
    const v = Array.from(t.dataSync());
    t.dispose();
    return v;
  });
}

const XS = [0.5, -1, 1.5, 2, -0.5, 1, 0.25, -2];

describe('non-finite steps are skipped', () => {
  for (const [name, opt] of [['plain sgd', () => hb.optimizers.sgd({ learningRate: 0.05 })], ['sgd with globalClipnorm', () => hb.optimizers.sgd({ learningRate: 0.05, globalClipnorm: 100 })]] as const) {
    it(`${name}: an infinite batch leaves the weights finite and is counted in the logs`, async () => {
      const ys = [1, 1, 0, 1, 1, 1, 1, 1];
      const m = model(opt());
      const t0 = hb.numTensors();
      const h = await m.fit(XS.map((v) => [v]), ys.map((v) => [v]), { epochs: 2, batchSize: 1, shuffle: false, verbose: 0 });
      assert.equal(hb.numTensors(), t0, 'fit leaves no tensor behind');
      const w = weights(m);
      assert.ok(w.every(Number.isFinite), `weights ${w}`);
      const [w1, b1] = reference([...XS, ...XS], [...ys, ...ys], 0.05);
      assertClose(w, [w1, b1], 1e-5);
      assert.deepEqual(h.history['skipped_steps'], [1, 1]);
      m.dispose();
    });
  }

  it('fit stops after maxConsecutiveSkips in a row, naming the epoch and batch; the weights are those before the run', async () => {
    // Batches 2..5 are infinite: the third in a row is batch 4 (the 5th of 8); 6 and 7 are
    // finite again but are not applied once the limit is reached, whenever the host notices.
    const ys = [1, 1, 0, 0, 0, 0, 1, 1];
    for (const readEveryBatch of [false, true]) {
      const m = model(hb.optimizers.sgd({ learningRate: 0.05 }));
      let batchEnds = 0;
      const reader = { onTrainBatchEnd: async (_b: number, logs: LazyLogs) => { batchEnds++; await logs.read(); } };
      await assert.rejects(
        m.fit(XS.map((v) => [v]), ys.map((v) => [v]), { epochs: 2, batchSize: 1, shuffle: false, verbose: 0, maxConsecutiveSkips: 3, callbacks: readEveryBatch ? [reader] : [] }),
        (e: unknown) => {
          assert.ok(e instanceof hb.ValueError);
          assert.match(e.message, /stopped after 3 consecutive training steps with a non-finite loss or gradient \(NaN or Infinity\), the last at epoch 1\/2, batch 5\/8;/);
          return true;
        },
      );
      if (readEveryBatch) assert.equal(batchEnds, 5, 'detected at the read right after batch 5');
      assertClose(weights(m), reference(XS, ys, 0.05, 2), 1e-6);
      m.dispose();
    }
  });

  it('a run of skips shorter than the limit, spanning epochs, does not stop fit', async () => {
    const ys = [1, 1, 1, 1, 1, 1, 0, 0];
    const m = model(hb.optimizers.sgd({ learningRate: 0.05 }));
    // Batches 6, 7, then (epoch 2) 0..5 finite, 6, 7: runs of 2 < 3.
    const h = await m.fit(XS.map((v) => [v]), ys.map((v) => [v]), { epochs: 2, batchSize: 1, shuffle: false, verbose: 0, maxConsecutiveSkips: 3 });
    assert.deepEqual(h.history['skipped_steps'], [2, 2]);
    m.dispose();
  });

  it('terminateOnNaN stops at the first non-finite step, keeping the last finite weights', async () => {
    const ys = [1, 1, 0, 1, 1, 1, 1, 1];
    const m = model(hb.optimizers.adam({ learningRate: 0.05 }));
    // Keras's Adam (CONVENTIONS) on the host over the two batches before the bad one.
    const p = [1, 0];
    const mo = [0, 0];
    const ve = [0, 0];
    for (let t = 1; t <= 2; t++) {
      const x = XS[t - 1] as number;
      const e = 2 * ((p[0] as number) * x + (p[1] as number) - 1);
      const g = [e * x, e];
      const alpha = (0.05 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      for (let k = 0; k < 2; k++) {
        mo[k] = (mo[k] as number) + 0.1 * ((g[k] as number) - (mo[k] as number));
        ve[k] = (ve[k] as number) + 0.001 * ((g[k] as number) ** 2 - (ve[k] as number));
        p[k] = (p[k] as number) - (alpha * (mo[k] as number)) / (Math.sqrt(ve[k] as number) + 1e-7);
      }
    }
    let text = '';
    const stream = { write: (s: string) => ((text += s), true) };
    const h = await m.fit(XS.map((v) => [v]), ys.map((v) => [v]), { epochs: 3, batchSize: 1, shuffle: false, verbose: 0, callbacks: [hb.callbacks.terminateOnNaN({ stream })] });
    assert.equal(text, 'Batch 2: Invalid loss, terminating training\n');
    assert.deepEqual(h.epoch, [0], 'stopped in the first epoch');
    assertClose(weights(m), p, 1e-5);
    m.dispose();
  });

  it('maxConsecutiveSkips must be a positive integer or Infinity', async () => {
    const m = model(hb.optimizers.sgd());
    for (const bad of [0, 1.5, -1, NaN]) {
      await assert.rejects(m.fit([[1]], [[1]], { verbose: 0, maxConsecutiveSkips: bad }), /fit: maxConsecutiveSkips must be a positive integer or Infinity, received/);
    }
    await m.fit([[1]], [[1]], { verbose: 0, maxConsecutiveSkips: Infinity });
    m.dispose();
  });
});
