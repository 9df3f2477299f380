/**
 * The MLP benchmark's workload on a few batches (seconds, cpu backend): the model is the book's
 * (266,610 parameters), each timed epoch is recorded, training leaves no tensors behind, and the
 * extrapolation scales by samples; predict returns one timing per rep.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as hb from '../src/index.js';
import { labelData, measurePredict, measureTrain, median, uniformData } from './mlp_workload.js';

describe('bench mlp workload', () => {
  it('trains the 784-300-100-10 MLP with flat tensor and buffer counts', async () => {
    hb.setBackend('cpu');
    const before = hb.numTensors();
    const res = await measureTrain({ opt: 'adam', batch: 32, epochs: 3, samples: 96, fullSamples: 960, warmupBatches: 1, accuracy: false });
    assert.equal(res.params, 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
    assert.equal(res.epochSeconds.length, 3);
    assert.equal(res.perEpoch.length, 3);
    res.epochSeconds.forEach((s, i) => assert.ok(Math.abs((res.epochSecondsFull[i] as number) - 10 * s) < 1e-9));
    // Live tensors are the same at every epoch end (fit's own trackers live until it returns) and
    // back to the count before fit afterwards: nothing accumulates per step or per epoch.
    for (const e of res.perEpoch) assert.equal(e.tensors, res.perEpoch[0]?.tensors);
    for (const e of res.perEpoch) assert.equal(e.buffers, res.perEpoch[0]?.buffers);
    assert.equal(res.tensorsBefore, res.tensorsAfter);
    assert.ok(Number.isFinite(res.finalLoss) && res.finalLoss > 0);
    // Data, weights and Adam's moment estimates are all freed with the model. (Without the
    // accuracy metric: Compiled.dispose does not free metric totals, 2 scalars per model.)
    assert.equal(hb.numTensors(), before);
  });

  it('predict times each rep', async () => {
    // 3 passes over 10,000 images: ~3 s on cpu, a fraction of a second on the default backend.
    hb.setBackend(hb.listBackends().includes('wasm') ? 'wasm' : 'cpu');
    const res = await measurePredict(1);
    assert.equal(res.seconds.length, 1);
    assert.ok((res.seconds[0] as number) > 0);
  });

  it('synthetic data: pixels in [0, 1), labels 0..9, deterministic', () => {
    const x = uniformData(10000, 1);
    assert.ok(x.every((v) => v >= 0 && v < 1));
    assert.deepEqual(uniformData(5, 7), uniformData(5, 7));
    const y = labelData(10000, 2);
    const seen = new Set(y);
    assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});
