import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { Functional } from './functional.js';
import { Sequential } from './sequential.js';
import type { Model } from './model.js';

/** The copy, rebuilt from JSON text, with the original's weights, predicts the same. */
async function assertSameModel(a: Model, b: Model, x: hb.ModelData): Promise<void> {
  const ws = a.getWeights();
  b.setWeights(ws);
  hb.dispose(ws);
  const pa = await a.predict(x);
  const pb = await b.predict(x);
  const flat = (p: Tensor | Tensor[]): number[] => (Array.isArray(p) ? p : [p]).flatMap((t) => Array.from(t.dataSync()));
  assert.deepEqual(flat(pb), flat(pa));
  hb.dispose([pa, pb]);
}

describe('model configs', () => {
  it('Sequential round-trips through JSON', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [2, 2] }), hb.layers.flatten(), hb.layers.dense({ units: 3, activation: 'relu' }), hb.layers.dense({ units: 2, activation: 'softmax' })], { name: 'clf' });
    const json = JSON.parse(JSON.stringify(m.getConfig()));
    assert.equal(json.name, 'clf');
    assert.deepEqual(json.layers.map((l: { className: string }) => l.className), ['InputLayer', 'Flatten', 'Dense', 'Dense']);
    const copy = Sequential.fromConfig(json);
    assert.equal(copy.countParams(), m.countParams());
    assert.equal(copy.summary(() => undefined).replace(/"clf"/, ''), m.summary(() => undefined).replace(/"clf"/, ''));
    await assertSameModel(m, copy, [[[1, 2], [3, 4]], [[0, -1], [2, 0.5]]]);
  });

  it('Wide & Deep with two outputs and a shared layer round-trips through JSON', async () => {
    const wide = hb.layers.input({ shape: [2], name: 'wide_in' });
    const deep = hb.layers.input({ shape: [2], name: 'deep_in' });
    const shared = hb.layers.dense({ units: 2, activation: 'tanh', name: 'shared' });
    const h = shared.apply(shared.apply(deep)); // the same layer called twice
    const cat = hb.layers.concatenate({ name: 'cat' }).apply([wide, h]);
    const main = hb.layers.dense({ units: 1, name: 'main_out' }).apply(cat);
    const aux = hb.layers.dense({ units: 1, name: 'aux_out' }).apply(h);
    const m = hb.model({ inputs: [wide, deep], outputs: [main, aux], name: 'wd' });
    const config = m.getConfig();
    const sharedEntry = config.layers.find((l) => l.name === 'shared');
    assert.deepEqual(sharedEntry?.inboundNodes.map((n) => n.inputs), [[['deep_in', 0, 0]], [['shared', 0, 0]]]);
    assert.deepEqual(config.outputLayers, [['main_out', 0, 0], ['aux_out', 0, 0]]);
    const copy = Functional.fromConfig(JSON.parse(JSON.stringify(config)));
    assert.deepEqual(copy.inputNames, ['wide_in', 'deep_in']);
    assert.deepEqual(copy.outputNames, ['main_out', 'aux_out']);
    assert.deepEqual(copy.layers.map((l) => l.name), m.layers.map((l) => l.name));
    await assertSameModel(m, copy, [[[1, 2], [0, 1]], [[0.5, -1], [2, 2]]]);
  });

  it('a config that references a missing tensor is a ValueError', () => {
    const a = hb.layers.input({ shape: [1], name: 'a_in' });
    const m = hb.model({ inputs: a, outputs: hb.layers.dense({ units: 1, name: 'd_out' }).apply(a) });
    const bad = JSON.parse(JSON.stringify(m.getConfig()));
    bad.layers[1].inboundNodes[0].inputs[0] = ['a_in', 3, 0];
    assert.throws(() => Functional.fromConfig(bad), (e: unknown) => e instanceof ValueError && /layer "d_out" reads tensors that no layer produces/.test(e.message));
    bad.layers[1].inboundNodes[0].inputs[0] = ['nope', 0, 0];
    assert.throws(() => Functional.fromConfig(bad), /unknown layer "nope"/);
  });
});
