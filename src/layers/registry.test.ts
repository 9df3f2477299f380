import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as L from './index.js';
import { assertThrowsWith } from '../../test/helpers.js';

class Scale extends L.Layer {
  constructor(readonly factor: number, args: L.LayerArgs = {}) {
    super(args);
  }
  override call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor {
    return hb.mul(inputs as hb.Tensor, this.factor);
  }
  override getConfig(): L.LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
  static fromConfig(config: L.LayerConfig): Scale {
    return new Scale(Number(config['factor']), { name: String(config['name']) });
  }
}

describe('layer registry', () => {
  it('every built-in layer serializes under its class name and comes back equal', () => {
    const layers: L.Layer[] = [
      L.dense({ units: 2, activation: 'softmax', useBias: false }),
      L.flatten(),
      L.reshape({ targetShape: [2, -1] }),
      L.activation({ activation: 'gelu' }),
      L.leakyRelu({ alpha: 0.1 }),
      L.prelu({ sharedAxes: 1 }),
      L.elu({ alpha: 0.7 }),
      L.concatenate({ axis: 1 }),
      L.add(),
      L.normalization({ axis: [1, 2], invert: true }),
      new L.InputLayer({ shape: [3, null], dtype: 'int32' }),
      L.batchNormalization({ axis: 1, momentum: 0.9, scale: false }),
      L.dropout({ rate: 0.2, noiseShape: [null, 1], seed: 3 }),
      L.alphaDropout({ rate: 0.1 }),
      L.gaussianNoise({ stddev: 0.5 }),
      L.gaussianDropout({ rate: 0.4, seed: 1 }),
    ];
    const classes = ['Dense', 'Flatten', 'Reshape', 'Activation', 'LeakyReLU', 'PReLU', 'ELU', 'Concatenate', 'Add', 'Normalization', 'InputLayer', 'BatchNormalization', 'Dropout', 'AlphaDropout', 'GaussianNoise', 'GaussianDropout'];
    layers.forEach((l, i) => {
      const json = JSON.parse(JSON.stringify(L.serializeLayer(l))) as L.SerializedLayer;
      assert.equal(json.className, classes[i]);
      const copy = L.deserializeLayer(json);
      assert.equal(copy.constructor, l.constructor);
      assert.deepEqual(copy.getConfig(), l.getConfig(), classes[i]);
    });
  });

  it('restores user layers given in customObjects, and names unknown classes', () => {
    const s = new Scale(3, { name: 'triple' });
    const json = L.serializeLayer(s);
    assert.equal(json.className, 'Scale');
    const copy = L.deserializeLayer(json, { customObjects: { Scale } });
    assert.deepEqual(Array.from(copy.apply(hb.tensor([1, 2])).dataSync()), [3, 6]);
    assertThrowsWith(() => L.deserializeLayer(json), hb.ValueError, 'unknown layer class "Scale"', 'Dense', 'customObjects');
    const bad: unknown = { config: {} };
    assertThrowsWith(() => L.deserializeLayer(bad as L.SerializedLayer), hb.ValueError, 'expected {className, config}');
    assertThrowsWith(() => L.deserializeLayer({ className: 'Dense', config: { units: 2, dtype: 'float16' } }), hb.ValueError, '"dtype" must be one of float32, int32, bool, float64, received "float16"');
  });
});
