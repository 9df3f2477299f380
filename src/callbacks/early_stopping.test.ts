import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import type { Tensor } from '../core/tensor.js';
import type { CallbackModel } from './callback.js';
import { EarlyStopping } from './early_stopping.js';

/** A stand-in model whose one "weight" is the epoch number it was saved at. */
class FakeModel implements CallbackModel {
  stopTraining = false;
  weight = -1;
  getWeights(): Tensor[] {
    return [hb.scalar(this.weight)];
  }
  setWeights(ws: readonly Tensor[]): void {
    this.weight = ws[0]!.item();
  }
}

/** Runs epochs with the given monitored values until the callback stops training. */
function run(cb: EarlyStopping, values: number[], key = 'val_loss'): { model: FakeModel; epochs: number } {
  const model = new FakeModel();
  cb.setModel(model);
  cb.onTrainBegin();
  let e = 0;
  for (; e < values.length && !model.stopTraining; e++) {
    model.weight = e;
    cb.onEpochEnd(e, { [key]: values[e]! });
  }
  cb.onTrainEnd();
  return { model, epochs: e };
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement (min mode)', () => {
    const cb = new EarlyStopping({ patience: 2 });
    const { epochs } = run(cb, [1, 0.8, 0.9, 0.85, 0.7, 0.6]);
    assert.equal(epochs, 4); // epochs 2 and 3 do not beat 0.8: stop at the end of epoch 3
    assert.equal(cb.stoppedEpoch, 3);
    assert.equal(cb.best, 0.8);
  });
  it('minDelta: smaller changes are not improvements', () => {
    const cb = new EarlyStopping({ patience: 1, minDelta: 0.1 });
    assert.equal(run(cb, [1, 0.95, 0.92, 0.5]).epochs, 2);
  });
  it("'auto' watches accuracy-like names in max mode", () => {
    const cb = new EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
    assert.equal(cb.mode, 'max');
    assert.equal(run(cb, [0.5, 0.6, 0.55, 0.9], 'val_accuracy').epochs, 3);
  });
  it('restoreBestWeights puts back the best epoch at the end and frees its copies', () => {
    const t0 = hb.numTensors();
    const cb = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const { model } = run(cb, [1, 0.5, 0.7, 0.8, 0.9]);
    assert.equal(model.weight, 1);
    assert.equal(cb.bestEpoch, 1);
    assert.equal(hb.numTensors(), t0);
  });
  it('with a baseline the wait only resets on epochs that beat it', () => {
    const values = [0.9, 0.95, 0.97, 0.99];
    assert.equal(run(new EarlyStopping({ patience: 2 }), values).epochs, 3);
    // 0.9 improves on the best but not on the baseline, so its epoch still counts as waiting
    assert.equal(run(new EarlyStopping({ patience: 2, baseline: 0.5 }), values).epochs, 2);
  });
  it('rejects a bad patience', () => {
    assert.throws(() => new EarlyStopping({ patience: -1 }), /patience/);
  });
});
