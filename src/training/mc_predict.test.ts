import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertClose, assertNoLeak, assertThrowsWith, lcg, vals } from '../../test/helpers.js';

/** A small model with seeded dropout: two of them with the same weights draw the same masks. */
function mcModel(outputs: 1 | 2): hb.Model {
  hb.setSeed(5);
  const x = hb.input({ shape: [4] });
  const h = hb.layers.dropout({ rate: 0.5, seed: 11 }).apply(hb.layers.dense({ units: 16, activation: 'relu' }).apply(x));
  const a = hb.layers.dense({ units: 2 }).apply(h);
  return outputs === 1 ? hb.model({ inputs: x, outputs: a }) : hb.model({ inputs: x, outputs: [a, hb.layers.dense({ units: 1 }).apply(h)] });
}

/** Mean and population std over samples of each element, in float64 on the host. */
function summarize(samples: readonly number[][]): { mean: number[]; std: number[] } {
  const n = samples.length;
  const len = (samples[0] as number[]).length;
  const mean = Array.from({ length: len }, (_, i) => samples.reduce((a, s) => a + (s[i] as number), 0) / n);
  const std = Array.from({ length: len }, (_, i) => Math.sqrt(samples.reduce((a, s) => a + ((s[i] as number) - (mean[i] as number)) ** 2, 0) / n));
  return { mean, std };
}

describe('mcPredict (Monte Carlo dropout)', () => {
  const x = hb.tensor(lcg(6 * 4, 3), [6, 4]);

  it('is the mean and std (÷samples) of predict(x, {training: true}) repeated, typed like predict', async () => {
    hb.setSeed(5);
    const x1 = hb.input({ shape: [4] });
    const h = hb.layers.dropout({ rate: 0.5, seed: 11 }).apply(hb.layers.dense({ units: 16, activation: 'relu' }).apply(x1));
    const m = hb.model({ inputs: x1, outputs: hb.layers.dense({ units: 2 }).apply(h) });
    const { mean, std } = await hb.mcPredict(m, x, { samples: 20, batchSize: 4 });
    // Single output: plain Tensors, no cast.
    const shape: readonly number[] = mean.shape;
    assert.deepEqual(shape, [6, 2]);
    assert.deepEqual(std.shape, [6, 2]);
    // The reference: a fresh, identical model predicting 20 times in training mode.
    const ref = mcModel(1);
    ref.setWeights(m.getWeights());
    const samples: number[][] = [];
    for (let k = 0; k < 20; k++) {
      const p = await ref.predict(x, { training: true, batchSize: 4 });
      samples.push(vals(Array.isArray(p) ? (p[0] as hb.Tensor) : p));
    }
    const want = summarize(samples);
    assertClose(vals(mean), want.mean, 1e-5, 1e-6);
    assertClose(vals(std), want.std, 1e-4, 1e-6);
    assert.ok(vals(std).some((s) => s > 0), 'dropout is active');
    const plain = summarize([vals(await m.predict(x))]);
    assert.notDeepEqual(vals(mean), plain.mean);
  });

  it('gives one mean and one std per output for a multi-output model, and leaks nothing', async () => {
    const m = mcModel(2);
    const { mean, std } = await hb.mcPredict(m, x, { samples: 5 });
    assert.ok(Array.isArray(mean) && Array.isArray(std));
    assert.deepEqual(mean.map((t) => t.shape), [[6, 2], [6, 1]]);
    assert.deepEqual(std.map((t) => t.shape), [[6, 2], [6, 1]]);
    for (const t of [...mean, ...std]) t.dispose();
    const before = hb.numTensors();
    const again = await hb.mcPredict(m, x, { samples: 3 });
    assert.equal(hb.numTensors(), before + 4, 'only the 2 means and 2 stds are left');
    for (const t of [...(again.mean as hb.Tensor[]), ...(again.std as hb.Tensor[])]) t.dispose();
    assertNoLeak(() => undefined);
  });

  it('with one sample the std is 0; bad options are named', async () => {
    const m = mcModel(1);
    const { std } = await hb.mcPredict(m, x, { samples: 1 });
    assert.ok(vals(std as hb.Tensor).every((s) => s === 0));
    await assert.rejects(hb.mcPredict(m, x, { samples: 0 }), (e: unknown) => e instanceof hb.ValueError && e.message.includes('mcPredict: samples must be a positive integer, received 0'));
    const typo: unknown = { sample: 3 };
    await assert.rejects(hb.mcPredict(m, x, typo as hb.McPredictOptions), (e: unknown) => e instanceof hb.ValueError && e.message.includes('sample'));
    assertThrowsWith(() => hb.layers.dropout({ rate: 1 }), hb.ValueError, 'rate');
  });
});
