/**
 * The native backend in training: a small MLP (Dense-relu, dropout, Dense-softmax, Adam) fitted
 * for a few steps on native and on cpu from the same seed ends with the same weights within
 * float32 tolerance, and two native runs end bit-identical. Skipped with the reason when the
 * addon is not built (HEBB_REQUIRE_NATIVE=1 turns that into a failure, as the conformance file).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as hb from '../../index.js';
import { nativeUnavailable } from './addon.js';

const missing = nativeUnavailable();
const skip = missing !== null && process.env['HEBB_REQUIRE_NATIVE'] !== '1' ? `native backend: ${missing}` : false;

/** 96 points in 4-D, labelled by which of three sectors their first two coordinates fall in. */
function data(): { x: number[][]; y: Int32Array } {
  const x: number[][] = [];
  const y = new Int32Array(96);
  for (let i = 0; i < 96; i++) {
    const a = (2 * Math.PI * i * 7) / 96;
    const r = 0.5 + (i % 5) / 5;
    x.push([r * Math.cos(a), r * Math.sin(a), Math.sin(3 * i), Math.cos(5 * i)]);
    y[i] = Math.floor((((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) / ((2 * Math.PI) / 3));
  }
  return { x, y };
}

/** Fits the MLP on `backend` from seed 11 for 2 epochs of 6 batches; returns its weights and losses. */
async function fitOn(backend: string): Promise<{ weights: number[][]; loss: number[] }> {
  const prev = hb.getBackend().name;
  hb.setBackend(backend);
  try {
    // Initializers and dropout draw from streams split by layer name: fixed names, same numbers.
    hb.setSeed(11);
    const m = hb.sequential([
      hb.layers.input({ shape: [4] }),
      hb.layers.dense({ units: 32, activation: 'relu', name: 'hidden' }),
      hb.layers.dropout({ rate: 0.2, name: 'drop' }),
      hb.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }),
    ]);
    m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: hb.optimizers.adam({ learningRate: 0.01 }) });
    const { x, y } = data();
    const h = await m.fit(x, { data: y, shape: [96] }, { epochs: 2, batchSize: 16, shuffle: true, verbose: 0 });
    return { weights: m.getWeights().map((t) => Array.from(t.dataSync())), loss: h.history['loss'] ?? [] };
  } finally {
    hb.setBackend(prev);
  }
}

describe('native backend: training', { skip }, () => {
  it('an MLP fit (dropout, Adam) matches cpu within float32 tolerance, and repeats bit for bit', async () => {
    const cpu = await fitOn('cpu');
    const a = await fitOn('native');
    const b = await fitOn('native');
    assert.equal(a.weights.length, cpu.weights.length);
    a.weights.forEach((w, k) => {
      const want = cpu.weights[k] as number[];
      w.forEach((v, i) => {
        const c = want[i] as number;
        assert.ok(Math.abs(v - c) <= 1e-5 + 1e-4 * Math.abs(c), `weight ${k}[${i}]: native ${v}, cpu ${c}`);
      });
    });
    a.loss.forEach((l, e) => assert.ok(Math.abs(l - (cpu.loss[e] as number)) <= 1e-5 + 1e-4 * Math.abs(l), `epoch ${e} loss: native ${l}, cpu ${cpu.loss[e]}`));
    assert.ok((a.loss[1] as number) < (a.loss[0] as number), `the loss falls: ${a.loss}`);
    assert.deepEqual(b.weights, a.weights, 'two native runs from the same seed');
  });
});
