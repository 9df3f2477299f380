/**
 * Transfer learning as the book does it: reuse model A's hidden layers in model B (shared
 * objects), freeze them, compile, train the new head; unfreeze, compile again with a lower
 * learning rate, train everything. Which weights fit updates is fixed by compile (Keras 3).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import type { Tensor } from '../core/tensor.js';
import type { Layer } from '../layers/layer.js';

const vals = (l: Layer): number[][] => {
  const ws = l.getWeights();
  const out = ws.map((t: Tensor) => Array.from(t.dataSync()));
  hb.dispose(ws);
  return out;
};
const x = [[0.5, -1, 2], [1, 0.25, -0.5], [-1.5, 1, 0], [0, 2, 1], [1, -1, -1], [2, 0.5, 0.5]];
const y3 = [0, 1, 2, 1, 0, 2];
const yBin = [0, 1, 1, 0, 0, 1];

function modelA(): hb.Sequential {
  return hb.sequential([
    hb.layers.input({ shape: [3] }),
    hb.layers.dense({ units: 5, activation: 'relu', name: 'h1' }),
    hb.layers.dense({ units: 4, activation: 'relu', name: 'h2' }),
    hb.layers.dense({ units: 3, activation: 'softmax', name: 'a_out' }),
  ], { name: 'a' });
}

async function trained(): Promise<hb.Sequential> {
  hb.setSeed(3);
  const a = modelA();
  a.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  await a.fit(x, y3, { epochs: 2, verbose: 0 });
  return a;
}

const fitB = async (b: hb.Sequential, learningRate: number): Promise<void> => {
  b.compile({ optimizer: hb.optimizers.sgd({ learningRate }), loss: 'binaryCrossentropy' });
  await b.fit(x, yBin, { epochs: 3, verbose: 0 });
};

describe('transfer learning', () => {
  it('model B built on A\'s layers shares them: training B changes A', async () => {
    const a = await trained();
    const b = hb.sequential([...a.layers.slice(0, -1), hb.layers.dense({ units: 1, activation: 'sigmoid', name: 'b_out' })]);
    assert.equal(b.layers[0], a.layers[0]);
    assert.equal(b.layers[1], a.layers[1]);
    const before = vals(a.getLayer('h1'));
    await fitB(b, 0.1);
    assert.notDeepEqual(vals(a.getLayer('h1')), before);
  });

  it('clone, copy the weights, freeze, train the head; then unfreeze, recompile with a lower rate, train all', async () => {
    const a = await trained();
    const aWeights = a.layers.map(vals);
    const aClone = hb.cloneModel(a);
    const ws = a.getWeights();
    aClone.setWeights(ws);
    hb.dispose(ws);
    assert.deepEqual(aClone.layers.map(vals), aWeights);
    const b = hb.sequential([...aClone.layers.slice(0, -1), hb.layers.dense({ units: 1, activation: 'sigmoid', name: 'b_out' })]);
    const [h1, h2, head] = b.layers as [Layer, Layer, Layer];
    h1.trainable = false;
    h2.trainable = false;
    const frozen = [vals(h1), vals(h2)];
    const head0 = vals(head);
    await fitB(b, 0.1);
    assert.deepEqual([vals(h1), vals(h2)], frozen, 'frozen layers are bit-identical');
    assert.notDeepEqual(vals(head), head0, 'the new head trained');
    h1.trainable = true;
    h2.trainable = true;
    await fitB(b, 0.01); // compile again: the unfrozen layers train now
    assert.notDeepEqual(vals(h1), frozen[0]);
    assert.notDeepEqual(vals(h2), frozen[1]);
    assert.deepEqual(a.layers.map(vals), aWeights, 'model A itself never changed');
  });

  it('the trainable set is the one at compile: a change takes effect at the next compile', async () => {
    const a = await trained();
    const h1 = a.getLayer('h1');
    a.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    h1.trainable = false; // after compile: fit still trains h1
    let before = vals(h1);
    await a.fit(x, y3, { epochs: 2, verbose: 0 });
    assert.notDeepEqual(vals(h1), before);
    a.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    h1.trainable = true; // frozen at compile: fit leaves h1 alone until the next compile
    before = vals(h1);
    const out0 = vals(a.getLayer('a_out'));
    await a.fit(x, y3, { epochs: 2, verbose: 0 });
    assert.deepEqual(vals(h1), before);
    assert.notDeepEqual(vals(a.getLayer('a_out')), out0);
  });

  it('a frozen BatchNormalization runs in inference mode in fit: moving statistics and gamma/beta unchanged', async () => {
    hb.setSeed(5);
    const bn = hb.layers.batchNormalization({ name: 'bn' });
    const m = hb.sequential([hb.layers.input({ shape: [3] }), hb.layers.dense({ units: 4, name: 'd' }), bn, hb.layers.dense({ units: 1, activation: 'sigmoid' })]);
    // Moving statistics away from their initial 0 and 1, so inference mode is not the identity.
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
    await m.fit(x, yBin, { epochs: 2, verbose: 0 });
    bn.trainable = false;
    const bn0 = vals(bn);
    const d0 = vals(m.getLayer('d'));
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
    await m.fit(x, yBin, { epochs: 2, verbose: 0 });
    assert.deepEqual(vals(bn), bn0, 'gamma, beta, moving mean and variance are bit-identical');
    assert.notDeepEqual(vals(m.getLayer('d')), d0);
    // Unfrozen, the same fit moves the moving statistics (training mode).
    bn.trainable = true;
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
    await m.fit(x, yBin, { epochs: 1, verbose: 0 });
    assert.notDeepEqual(vals(bn).slice(2), bn0.slice(2));
  });
});
