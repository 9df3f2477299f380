import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { sgd } from '../optimizers/sgd.js';
import type { Optimizer } from '../optimizers/transform.js';
import type { CallbackModel, Logs } from './callback.js';
import { LearningRateScheduler } from './lr_scheduler.js';
import { ReduceLROnPlateau } from './reduce_lr_on_plateau.js';

class FakeModel implements CallbackModel {
  stopTraining = false;
  constructor(readonly optimizer: Optimizer) {}
  getWeights(): Tensor[] {
    return [];
  }
  setWeights(): void {}
}

describe('ReduceLROnPlateau', () => {
  it('follows the CONVENTIONS rule: patience, factor, cooldown, minLr (hand trace)', () => {
    const model = new FakeModel(sgd({ learningRate: 1 }));
    const cb = new ReduceLROnPlateau({ monitor: 'loss', patience: 2, factor: 0.5, cooldown: 1, minLr: 0.1 });
    cb.setModel(model);
    cb.onTrainBegin();
    const logged: number[] = [];
    for (let e = 0; e < 11; e++) {
      const logs: Logs = { loss: 1 };
      cb.onEpochEnd(e, logs);
      logged.push(logs['learning_rate']!);
    }
    assert.deepEqual(logged, [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125, 0.1, 0.1]);
    assert.equal(model.optimizer.learningRate, 0.1);
  });
  it('an improvement larger than minDelta resets the wait; a smaller one does not', () => {
    const model = new FakeModel(sgd({ learningRate: 1 }));
    const cb = new ReduceLROnPlateau({ monitor: 'val_loss', patience: 2, minDelta: 0.1 });
    cb.setModel(model);
    cb.onTrainBegin();
    const lrs = [1, 0.8, 0.75, 0.5, 0.45, 0.44].map((v, e) => {
      cb.onEpochEnd(e, { val_loss: v });
      return model.optimizer.learningRate;
    });
    // 0.75 and 0.45 improve by less than 0.1: the second of two such epochs reduces the rate
    assert.deepEqual(lrs, [1, 1, 1, 1, 1, 0.1]);
  });
  it('needs a numeric learning rate', () => {
    const cb = new ReduceLROnPlateau();
    cb.setModel(new FakeModel(sgd({ learningRate: (s) => 0.1 / (1 + s) })));
    assert.throws(() => cb.onEpochEnd(0, { val_loss: 1 }), (e: unknown) => e instanceof ValueError && /must be a number/.test(e.message));
  });
});

describe('LearningRateScheduler', () => {
  it('sets lr = schedule(epoch, lr) before each epoch and logs it', () => {
    const model = new FakeModel(sgd({ learningRate: 1 }));
    const cb = new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5));
    cb.setModel(model);
    const logged: number[] = [];
    for (let e = 0; e < 4; e++) {
      cb.onEpochBegin(e);
      const logs: Logs = {};
      cb.onEpochEnd(e, logs);
      logged.push(logs['learning_rate']!);
    }
    assert.deepEqual(logged, [1, 1, 0.5, 0.25]);
  });
  it('drives a real fit: a zero rate leaves the weights untouched, and History records it', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    m.compile({ loss: 'mse', optimizer: sgd({ learningRate: 0.5 }) });
    const before = m.getWeights();
    const h = await m.fit([[1, 2], [3, 4]], [[1], [2]], { epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler(() => 0)] });
    assert.deepEqual(h.history['learning_rate'], [0, 0, 0]);
    const after = m.getWeights();
    after.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(before[i]!.dataSync())));
    hb.dispose([before, after]);
  });
});
