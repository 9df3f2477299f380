import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../../index.js';
import { Generator } from '../../core/random.js';
import { camelToSnake, layerFromKeras, layerToKeras, snakeToCamel } from './keras_json.js';
import { topologyFromKeras } from './topology.js';
import type { Model } from '../../models/model.js';

describe('Keras JSON dialects', () => {
  it('renames keys both ways', () => {
    assert.equal(camelToSnake('movingMeanInitializer'), 'moving_mean_initializer');
    assert.equal(snakeToCamel('moving_mean_initializer'), 'movingMeanInitializer');
    const k = layerToKeras({ className: 'LeakyReLU', config: { name: 'lr', negativeSlope: 0.1 } });
    assert.deepEqual(k, { class_name: 'LeakyReLU', config: { name: 'lr', negative_slope: 0.1, alpha: 0.1 } });
    const r = layerToKeras({ className: 'Dense', config: { units: 2, kernelRegularizer: { className: 'L2', config: { l2: 0.5 } } } });
    assert.deepEqual(r.config['kernel_regularizer'], { class_name: 'L1L2', config: { l1: 0, l2: 0.5 } });
  });

  it("reads Keras 3's DTypePolicy, module and registered_name, and batch_shape", () => {
    const l = layerFromKeras(
      {
        module: 'keras.layers',
        class_name: 'Dense',
        registered_name: null,
        config: { name: 'd', units: 3, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null } },
      },
      'test',
    );
    assert.deepEqual(l, { className: 'Dense', config: { name: 'd', units: 3, dtype: 'float32', kernelInitializer: { className: 'GlorotUniform', config: { seed: null } } } });
    const i = layerFromKeras({ class_name: 'InputLayer', config: { name: 'x', batch_shape: [null, 4], sparse: false, ragged: false } }, 'test');
    assert.deepEqual(i, { className: 'InputLayer', config: { name: 'x', batchShape: [null, 4] } });
  });

  it("rebuilds a Keras 3 functional topology ({args, kwargs} nodes, Concatenate's nested list) and predicts by formula", async () => {
    const dense = (name: string, units: number, x: string): object => ({
      module: 'keras.layers',
      class_name: 'Dense',
      name,
      config: { name, units, activation: 'linear', use_bias: true, kernel_initializer: 'ones', bias_initializer: 'zeros' },
      inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 2], dtype: 'float32', keras_history: [x, 0, 0] } }], kwargs: {} }],
    });
    const topology = {
      class_name: 'Functional',
      config: {
        name: 'wide_deep',
        layers: [
          { class_name: 'InputLayer', name: 'wide', config: { name: 'wide', batch_shape: [null, 2] }, inbound_nodes: [] },
          { class_name: 'InputLayer', name: 'deep', config: { name: 'deep', batch_shape: [null, 2] }, inbound_nodes: [] },
          dense('h', 3, 'deep'),
          {
            class_name: 'Concatenate',
            name: 'cat',
            config: { name: 'cat', axis: -1 },
            inbound_nodes: [{ args: [[{ class_name: '__keras_tensor__', config: { keras_history: ['wide', 0, 0] } }, { class_name: '__keras_tensor__', config: { keras_history: ['h', 0, 0] } }]], kwargs: {} }],
          },
        ],
        input_layers: [['wide', 0, 0], ['deep', 0, 0]],
        output_layers: [['cat', 0, 0]],
      },
    };
    const t = topologyFromKeras(topology, 'test.json');
    assert.equal(t.kind, 'Functional');
    const m: Model = hb.Functional.fromConfig(t.config as hb.FunctionalConfig);
    const y = (await m.predict([hb.tensor([[1, 2]]), hb.tensor([[3, 4]])])) as hb.Tensor;
    // wide passes through; h = ones(2,3)ᵀ·[3, 4] = 7 in each of 3 units.
    assert.deepEqual(Array.from(await y.data()), [1, 2, 7, 7, 7]);
    m.dispose();
  });

  it('a bare-list Sequential without an InputLayer gets <first>_input', () => {
    const t = topologyFromKeras({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'dense_Dense1', units: 2, batch_input_shape: [null, 6], dtype: 'float32' } }] }, 'old.json');
    const layers = (t.config as hb.SequentialConfig).layers;
    assert.deepEqual(layers[0], { className: 'InputLayer', config: { name: 'dense_Dense1_input', batchShape: [null, 6], dtype: 'float32' } });
    assert.equal(layers[1]?.config['batchInputShape'], undefined);
  });
});

describe('Generator state', () => {
  it('setState continues exactly where getState was taken (mid-block and with a spare normal)', () => {
    const g = new Generator(42);
    g.uint32();
    g.normal();
    const s = JSON.parse(JSON.stringify(g.getState()));
    const want = [g.normal(), g.uint32(), g.float(), g.normal()];
    const h = new Generator(7);
    h.setState(s);
    assert.deepEqual([h.normal(), h.uint32(), h.float(), h.normal()], want);
    assert.throws(() => h.setState({ words: [1, 2], pos: 0, spare: null }), /Generator\.setState: expected/);
  });
});
