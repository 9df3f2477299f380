import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '../core/tensor.js';
import { resetLayerNames } from '../layers/layer.js';
import { dense, input } from '../layers/index.js';
import { Model } from './model.js';
import { Functional, model } from './functional.js';
import { Sequential, sequential } from './sequential.js';

class WideAndDeepModel extends Model {
  readonly out = dense({ units: 1 });
  override call(x: Tensor | Tensor[]): Tensor {
    return this.out.apply(x);
  }
}

describe('model names', () => {
  it('are unique by default, as in Keras 3: sequential, functional, snake_case of a subclass', () => {
    resetLayerNames();
    assert.deepEqual([sequential().name, new Sequential().name, sequential().name], ['sequential', 'sequential_1', 'sequential_2']);
    const inp = input({ shape: [2] });
    const out = dense({ units: 1 }).apply(inp);
    assert.deepEqual([model({ inputs: inp, outputs: out }).name, new Functional({ inputs: inp, outputs: out }).name], ['functional', 'functional_1']);
    assert.deepEqual([new WideAndDeepModel().name, new WideAndDeepModel().name], ['wide_and_deep_model', 'wide_and_deep_model_1']);
    // Given names are kept and do not use up a default one.
    assert.equal(sequential([], { name: 'mlp' }).name, 'mlp');
    assert.equal(model({ inputs: inp, outputs: out, name: 'head' }).name, 'head');
    assert.equal(sequential().name, 'sequential_3');
  });

  it('survive a config round trip', () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 1 })], { name: 'reg' });
    assert.equal(Sequential.fromConfig(m.getConfig()).name, 'reg');
  });
});
