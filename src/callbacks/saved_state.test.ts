/**
 * The get/set-state protocol (core/saved_state.ts): each stateful piece, handed the state of
 * another mid-run, continues exactly as that one does. Expected verdicts come from the
 * callbacks' rules worked by hand, not from running them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import type { Tensor } from '../core/tensor.js';
import { decodeState, encodeState, type SavedState, type StateValue } from '../core/saved_state.js';
import { sgd } from '../optimizers/sgd.js';
import type { Optimizer } from '../optimizers/transform.js';
import { MeanTracker } from '../training/trackers.js';
import { SkipMonitor } from '../training/finite.js';
import { getMetric } from '../metrics/index.js';
import type { CallbackModel } from './callback.js';
import { EarlyStopping } from './early_stopping.js';
import { History } from './history.js';
import { ReduceLROnPlateau } from './reduce_lr_on_plateau.js';

class FakeModel implements CallbackModel {
  stopTraining = false;
  weight = -1;
  constructor(readonly optimizer: Optimizer | null = null) {}
  getWeights(): Tensor[] {
    return [hb.scalar(this.weight)];
  }
  setWeights(ws: readonly Tensor[]): void {
    this.weight = ws[0]!.item();
  }
}

/** The state as it comes back from a backup file: values through JSON, tensors copied. */
function viaFile(s: SavedState): SavedState {
  const values = decodeState(JSON.parse(JSON.stringify(encodeState({ ...s.values } as StateValue))), 'test') as SavedState['values'];
  return { values, tensors: Object.fromEntries(Object.entries(s.tensors).map(([k, t]) => [k, hb.add(t, 0)])) };
}

describe('saved state: encodeState / decodeState', () => {
  it('keeps ±Infinity, NaN and −0 through JSON, and refuses an unknown special', () => {
    const v: StateValue = { best: Infinity, worst: -Infinity, nan: NaN, zero: -0, list: [1.5, -Infinity], s: 'x', b: true, n: null };
    const back = decodeState(JSON.parse(JSON.stringify(encodeState(v))), 'test') as Record<string, StateValue>;
    assert.equal(back['best'], Infinity);
    assert.equal(back['worst'], -Infinity);
    assert.ok(Number.isNaN(back['nan']));
    assert.ok(Object.is(back['zero'], -0));
    assert.deepEqual(back['list'], [1.5, -Infinity]);
    assert.deepEqual([back['s'], back['b'], back['n']], ['x', true, null]);
    assert.throws(() => decodeState({ $num: '1e999' }, 'the backup'), /the backup: \{"\$num": \.\.\.\} must hold Infinity, -Infinity, NaN or -0, received "1e999"/);
  });
});

describe('saved state: callbacks', () => {
  it('EarlyStopping continues a run from its state: best, wait, best weights', () => {
    const values = [1, 0.5, 0.6, 0.7, 0.8];
    const a = new EarlyStopping({ patience: 3, restoreBestWeights: true });
    const ma = new FakeModel();
    a.setModel(ma);
    a.onTrainBegin();
    for (let e = 0; e < 4; e++) {
      ma.weight = e;
      a.onEpochEnd(e, { val_loss: values[e]! });
    }
    // A fresh callback in a "new process" (onTrainBegin resets it), then given a's state.
    const b = new EarlyStopping({ patience: 3, restoreBestWeights: true });
    const mb = new FakeModel();
    b.setModel(mb);
    b.onTrainBegin();
    b.setState(viaFile(a.getState()));
    assert.deepEqual([b.best, b.wait, b.bestEpoch], [0.5, 2, 1]);
    mb.weight = 4;
    b.onEpochEnd(4, { val_loss: 0.8 });
    // By hand: epochs 2, 3, 4 do not beat 0.5, so wait reaches patience 3 at epoch 4.
    assert.equal(mb.stopTraining, true);
    assert.equal(b.stoppedEpoch, 4);
    b.onTrainEnd();
    assert.equal(mb.weight, 1, 'the best weights (epoch 1) came through the state');
    // Without the state, the same epoch would not stop (the test can fail).
    const c = new EarlyStopping({ patience: 3 });
    const mc = new FakeModel();
    c.setModel(mc);
    c.onTrainBegin();
    c.onEpochEnd(4, { val_loss: 0.8 });
    assert.equal(mc.stopTraining, false);
    a.onTrainEnd();
  });

  it('EarlyStopping.setState checks the state before changing anything', () => {
    const es = new EarlyStopping({ patience: 1 });
    assert.throws(() => es.setState({ values: { wait: -1, stoppedEpoch: 0, best: 1, bestEpoch: 0, bestWeights: null }, tensors: {} }), /EarlyStopping\.setState: "wait" must be an integer >= 0, received -1/);
    assert.throws(() => es.setState({ values: { wait: 0, stoppedEpoch: 0, best: 1, bestEpoch: 0, bestWeights: 2 }, tensors: {} }), /EarlyStopping\.setState: the state lacks some of its 2 best weights/);
    assert.equal(es.wait, 0);
  });

  it('ReduceLROnPlateau continues from wait, cooldown and best', () => {
    // loss 1, 1, 1 with patience 3, factor 0.5: the third non-improving epoch after the best cuts the rate.
    const a = new ReduceLROnPlateau({ monitor: 'loss', patience: 3, factor: 0.5, cooldown: 2 });
    const oa = sgd({ learningRate: 1 });
    a.setModel(new FakeModel(oa));
    a.onTrainBegin();
    for (let e = 0; e < 3; e++) a.onEpochEnd(e, { loss: 1 }); // best 1 at epoch 0, wait 2
    const b = new ReduceLROnPlateau({ monitor: 'loss', patience: 3, factor: 0.5, cooldown: 2 });
    const ob = sgd({ learningRate: 1 });
    b.setModel(new FakeModel(ob));
    b.onTrainBegin();
    b.setState(viaFile(a.getState()));
    assert.deepEqual([b.wait, b.cooldownCounter, b.best], [2, 0, 1]);
    b.onEpochEnd(3, { loss: 1 });
    assert.equal(ob.learningRate, 0.5);
    assert.deepEqual([b.wait, b.cooldownCounter], [0, 2]);
    assert.throws(() => b.setState({ values: { wait: 1.5, cooldownCounter: 0, best: 1 }, tensors: {} }), /ReduceLROnPlateau\.setState: "wait" must be an integer >= 0, received 1\.5/);
  });

  it('History carries the epochs run before, and appends after them', () => {
    const a = new History();
    a.onEpochEnd(0, { loss: 2 });
    a.onEpochEnd(1, { loss: 1, val_loss: 3 });
    const b = new History();
    b.setState(viaFile(a.getState()));
    b.onEpochEnd(2, { loss: 0.5, val_loss: 2 });
    assert.deepEqual(b.epoch, [0, 1, 2]);
    assert.deepEqual(b.history, { loss: [2, 1, 0.5], val_loss: [3, 2] });
    assert.deepEqual(a.epoch, [0, 1], 'the state is a copy');
    assert.throws(() => b.setState({ values: { epoch: ['x'], history: {} }, tensors: {} }), /History\.setState: expected/);
  });
});

describe('saved state: running totals', () => {
  it('a metric given another one\'s totals mid-epoch reports the mean over both parts', async () => {
    const yTrue = hb.tensor([[0], [1], [1], [0]]);
    const yPred = hb.tensor([[0.1], [0.9], [0.2], [0.3]]); // binary accuracy: right, right, wrong, right
    const a = getMetric('accuracy');
    a.update(yTrue, yPred);
    const b = getMetric('accuracy');
    b.setState!(viaFile(a.getState!()));
    b.update(hb.tensor([[1], [1]]), hb.tensor([[0.8], [0.4]])); // right, wrong
    // (3 + 1) right out of 6
    assert.ok(Math.abs((await b.result().data())[0]! - 4 / 6) < 1e-7);
    const mse = getMetric('mse');
    assert.throws(() => mse.setState!({ values: {}, tensors: { total: hb.tensor([1, 2]), count: hb.scalar(1) } }), /metric "mse"\.setState: expected float32 scalars "total" and "count"/);
    assert.throws(() => getMetric('accuracy').setState!({ values: { kind: 'fuzzy' }, tensors: {} }), /"kind" must be binary, categorical, sparse or null, received "fuzzy"/);
  });

  it('MeanTracker and SkipMonitor round-trip their totals and counters', async () => {
    const t = new MeanTracker();
    t.update(hb.scalar(2), 3);
    t.update(hb.scalar(4), 1);
    const u = new MeanTracker();
    u.setState(viaFile(t.getState()));
    u.update(hb.scalar(1), 4);
    // (2·3 + 4·1 + 1·4) / 8
    assert.equal((await u.result().data())[0], 14 / 8);
    const s = new SkipMonitor(5);
    s.guard(hb.scalar(0));
    s.guard(hb.scalar(0));
    const r = new SkipMonitor(5);
    r.setState(viaFile(s.getState()));
    assert.equal(r.steps, 2);
    assert.deepEqual(Array.from(await hb.concat(r.tensors().map((x) => hb.reshape(x, [1])), 0).data()), [2, 2]);
    assert.throws(() => r.setState({ values: { steps: 1 }, tensors: {} }), /SkipMonitor\.setState: expected float32 scalars "run" and "skipped"/);
    t.reset();
    u.reset();
    s.dispose();
    r.dispose();
  });
});
