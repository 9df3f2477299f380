/**
 * BatchNormalization and the dropout family in the three model APIs: Sequential, functional and
 * a subclassed Model. Each trains, is deterministic in inference, and is active (random, or on
 * batch statistics) in `predict(x, {training: true})`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Functional } from '../models/functional.js';
import { Sequential } from '../models/sequential.js';
import { lcg, vals } from '../../test/helpers.js';

const makers: Record<string, () => hb.Layer> = {
  BatchNormalization: () => hb.layers.batchNormalization({ momentum: 0.5 }),
  Dropout: () => hb.layers.dropout({ rate: 0.5 }),
  AlphaDropout: () => hb.layers.alphaDropout({ rate: 0.3 }),
  GaussianNoise: () => hb.layers.gaussianNoise({ stddev: 0.5 }),
  GaussianDropout: () => hb.layers.gaussianDropout({ rate: 0.3 }),
};

class Sub extends hb.Model {
  readonly hidden = hb.layers.dense({ units: 8, activation: 'selu' });
  readonly out = hb.layers.dense({ units: 1 });
  constructor(readonly middle: hb.Layer) {
    super();
  }
  override call(inputs: hb.Tensor | hb.Tensor[], { training }: hb.CallArgs = {}): hb.Tensor {
    return this.out.apply(this.middle.apply(this.hidden.apply(inputs as hb.Tensor), { training }));
  }
}

function build(api: string, make: () => hb.Layer): Sequential | Functional<hb.Tensor> | Sub {
  const hidden = (): hb.Layer => hb.layers.dense({ units: 8, activation: 'selu' });
  if (api === 'sequential') return hb.sequential([hb.layers.input({ shape: [3] }), hidden(), make(), hb.layers.dense({ units: 1 })]);
  if (api === 'functional') {
    const x = hb.input({ shape: [3] });
    return hb.model({ inputs: x, outputs: hb.layers.dense({ units: 1 }).apply(make().apply(hidden().apply(x))) });
  }
  return new Sub(make());
}

describe('BatchNormalization and dropout layers in Sequential, functional and subclassed models', () => {
  const x = hb.tensor(lcg(32 * 3, 7), [32, 3]);
  const y = hb.tensor(lcg(32, 8), [32, 1]);
  for (const api of ['sequential', 'functional', 'subclassed']) {
    for (const [className, make] of Object.entries(makers)) {
      it(`${className} in a ${api} model: fit, deterministic inference, active with training: true`, async () => {
        hb.setSeed(1);
        const model = build(api, make);
        model.compile({ loss: 'mse', optimizer: 'adam' });
        const h = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
        assert.ok((h.history['loss'] as number[]).every(Number.isFinite));
        const p1 = vals(await model.predict(x));
        assert.deepEqual(vals(await model.predict(x)), p1, 'inference is deterministic');
        const t1 = vals(await model.predict(x, { training: true, batchSize: 8 }));
        assert.notDeepEqual(t1, p1, 'training: true changes the outputs');
        if (className !== 'BatchNormalization') assert.notDeepEqual(vals(await model.predict(x, { training: true, batchSize: 8 })), t1, 'a fresh mask per call');
        assert.ok(model.layers.some((l) => l.className === className));
        // Moving-statistics assigns and masks leave nothing behind between fits.
        const tensors = hb.numTensors();
        const buffers = hb.numBuffers();
        await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
        assert.equal(hb.numTensors(), tensors, 'live tensors after another fit');
        assert.equal(hb.numBuffers(), buffers, 'live buffers after another fit');
      });
    }
  }

  it('Sequential and functional models holding them round-trip through getConfig / fromConfig', async () => {
    hb.setSeed(2);
    const seq = build('sequential', () => hb.layers.batchNormalization()) as Sequential;
    const seqCopy = Sequential.fromConfig(JSON.parse(JSON.stringify(seq.getConfig())) as ReturnType<Sequential['getConfig']>);
    seqCopy.setWeights(seq.getWeights());
    assert.deepEqual(vals(await seqCopy.predict(x)), vals(await seq.predict(x)));
    const fn = build('functional', () => hb.layers.dropout({ rate: 0.5, seed: 3 })) as Functional<hb.Tensor>;
    const fnCopy = Functional.fromConfig(JSON.parse(JSON.stringify(fn.getConfig())) as ReturnType<Functional['getConfig']>);
    fnCopy.setWeights(fn.getWeights());
    const copied = await fnCopy.predict(x, { training: true });
    assert.ok(copied instanceof hb.Tensor, 'one output, restored from JSON');
    assert.deepEqual(vals(copied), vals(await fn.predict(x, { training: true })), 'same seed, same masks');
  });
});
