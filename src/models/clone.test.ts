import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { DisposedError, ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { CallArgs } from '../layers/layer.js';
import { Model } from './model.js';

const flat = (ts: readonly Tensor[]): number[][] => ts.map((t) => Array.from(t.dataSync()));
const predictFlat = async (m: Model, x: hb.ModelData): Promise<number[]> => {
  const p = await m.predict(x);
  const out = (Array.isArray(p) ? p : [p]).flatMap((t) => Array.from(t.dataSync()));
  hb.dispose(p);
  return out;
};

describe('cloneModel', () => {
  it('Sequential: the same config and names, new layer objects, fresh weights, flags kept', () => {
    const a = hb.sequential([hb.layers.input({ shape: [3] }), hb.layers.dense({ units: 4, activation: 'relu', name: 'h' }), hb.layers.dense({ units: 2, name: 'out' })], { name: 'a' });
    a.getLayer('h').trainable = false;
    const c = hb.cloneModel(a);
    assert.ok(c instanceof hb.Sequential);
    assert.deepEqual(c.getConfig(), a.getConfig());
    assert.equal(c.name, 'a');
    assert.equal(c.getLayer('h').trainable, false);
    assert.deepEqual(c.layers.map((l) => l.name), ['h', 'out']);
    c.layers.forEach((l, i) => assert.notEqual(l, a.layers[i]));
    const shared = new Set(a.weights);
    assert.ok(c.weights.every((w) => !shared.has(w)), 'no Variable is shared');
  });

  it('Functional: a shared layer and two outputs; the output structure and the graph are kept', async () => {
    const x = hb.layers.input({ shape: [2], name: 'x' });
    const shared = hb.layers.dense({ units: 2, activation: 'tanh', name: 'shared' });
    const h = shared.apply(shared.apply(x));
    const o1 = hb.layers.dense({ units: 1, name: 'o1' }).apply(h);
    const o2 = hb.layers.dense({ units: 3, name: 'o2' }).apply(h);
    const two = hb.model({ inputs: x, outputs: [o1, o2], name: 'two' });
    const one = hb.model({ inputs: x, outputs: o1, name: 'one' });
    const c2 = hb.cloneModel(two);
    const c1 = hb.cloneModel(one);
    assert.deepEqual(c2.getConfig(), two.getConfig());
    assert.deepEqual(c2.outputNames, ['o1', 'o2']);
    // The recipe: clone, then copy the weights, gives the same predictions.
    const ws = two.getWeights();
    c2.setWeights(ws);
    hb.dispose(ws);
    const data = [[0.5, -1], [2, 0.25]];
    assert.deepEqual(await predictFlat(c2, data), await predictFlat(two, data));
    const p1 = await c1.predict(data);
    assert.ok(!Array.isArray(p1), 'one output tensor stays a Tensor');
    assert.deepEqual(p1.shape, [2, 1]);
    hb.dispose(p1);
  });

  it('fresh weights are re-initialized: the original\'s initial values under the same seed, not its trained ones', async () => {
    // Each weight draws from globalGenerator().split(layerName).split(weightName), so a clone
    // (same names) made from the same seed state draws exactly what the original drew.
    hb.setSeed(7);
    const a = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 3, activation: 'relu' }), hb.layers.dense({ units: 1 })]);
    const initial = flat(a.getWeights());
    a.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    await a.fit([[1, 2], [3, -1], [0, 1]], [1, 0, 2], { epochs: 3, verbose: 0 });
    const trained = flat(a.getWeights());
    assert.notDeepEqual(trained, initial);
    hb.setSeed(7);
    const c = hb.cloneModel(a);
    assert.deepEqual(flat(c.getWeights()), initial);
    assert.deepEqual(flat(a.getWeights()), trained);
    hb.setSeed(8);
    assert.notDeepEqual(flat(hb.cloneModel(a).getWeights()), initial, 'another seed, another draw');
  });

  it('training the clone leaves the original bit-identical', async () => {
    const a = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 3, activation: 'relu' }), hb.layers.dense({ units: 1 })]);
    const before = flat(a.getWeights());
    const c = hb.cloneModel(a);
    const ws = a.getWeights();
    c.setWeights(ws);
    hb.dispose(ws);
    c.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    await c.fit([[1, 2], [3, -1], [0, 1]], [1, 0, 2], { epochs: 3, verbose: 0 });
    assert.deepEqual(flat(a.getWeights()), before);
    assert.notDeepEqual(flat(c.getWeights()), before);
  });

  it('refuses a subclassed model, a non-model and a disposed model', () => {
    class Mine extends Model {
      readonly d = hb.layers.dense({ units: 1 });
      call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
        return this.d.applyAll(inputs, args)[0] as Tensor;
      }
    }
    const m = new Mine({ name: 'mine' });
    const notAModel: unknown = hb.layers.dense({ units: 1 });
    assert.throws(() => hb.cloneModel(m), (e: unknown) => e instanceof ValueError && /cloneModel: model "mine" is a subclassed model \(Mine\); only Sequential and functional models can be cloned/.test(e.message));
    assert.throws(() => hb.cloneModel(notAModel as Model), (e: unknown) => e instanceof ValueError && /cloneModel: expected a Sequential or functional Model, received/.test(e.message));
    const s = hb.sequential([hb.layers.input({ shape: [1] }), hb.layers.dense({ units: 1 })], { name: 'gone' });
    s.dispose();
    assert.throws(() => hb.cloneModel(s), (e: unknown) => e instanceof DisposedError && /cloneModel: model "gone" was disposed/.test(e.message));
  });
});
