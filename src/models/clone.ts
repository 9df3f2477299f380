/**
 * cloneModel: Keras's clone_model. The same architecture with new layer objects and freshly
 * initialized weights, rebuilt from the model's config (each layer through its class's
 * fromConfig, as Keras rebuilds each layer from its get_config). Layer names, the layers'
 * `trainable` flags (part of their configs) and the model's name and `trainable` are kept;
 * no weight, optimizer or compile state is shared or copied, so training the clone leaves the
 * original alone. "Fresh" means drawn again by each layer's initializer: hebb draws a weight
 * from globalGenerator().split(layerName).split(weightName), so under the same seed state a
 * clone gets exactly the original's initial values (hb.setSeed(...) first for another draw).
 * To start from the original's values (the book's recipe before reusing
 * layers): `const c = cloneModel(a); c.setWeights(a.getWeights())`.
 *
 * Only Sequential and functional models have a config; a subclassed model's architecture is
 * its code, so cloning one is an error, as in Keras.
 */
import { DisposedError, ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { DESERIALIZE_LAYER_OPTIONS, type DeserializeLayerOptions } from '../layers/registry.js';
import { Functional } from './functional.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';
import { rebuildGraph, sequentialLayersFromConfig } from './serialization.js';

export type CloneModelOptions = DeserializeLayerOptions;

/** A model of the same class as `model`: Sequential gives Sequential, Functional gives Functional. */
export function cloneModel<M extends Sequential | Functional>(model: M, options?: CloneModelOptions): M;
export function cloneModel(model: Model, options?: CloneModelOptions): Sequential | Functional;
export function cloneModel(model: Model, options: CloneModelOptions = {}): Sequential | Functional {
  checkOptions('cloneModel', options, DESERIALIZE_LAYER_OPTIONS);
  if (!(model instanceof Model)) throw new ValueError(`cloneModel: expected a Sequential or functional Model, received ${fmtReceived(model)}`);
  if (model.isDisposed) throw new DisposedError(`cloneModel: model "${model.name}" was disposed; clone it before disposing it`);
  const args = { name: model.name, trainable: model.trainable };
  if (model instanceof Sequential) {
    const { input, layers } = sequentialLayersFromConfig(model.getConfig(), options);
    return new Sequential([...(input ? [input] : []), ...layers], args);
  }
  if (model instanceof Functional) {
    const { inputs, outputs } = rebuildGraph(model.getConfig(), options);
    // The same structure as the original's outputs, so predict returns what it returned.
    const out = model.singleOutput ? (outputs[0] as SymbolicTensor) : outputs;
    return new Functional({ ...args, inputs: inputs.length === 1 ? (inputs[0] as SymbolicTensor) : inputs, outputs: out });
  }
  throw new ValueError(
    `cloneModel: model "${model.name}" is a subclassed model (${model.className}); only Sequential and functional models can be cloned, ` +
      'because their architecture is a config (a subclass\'s is its code): construct a new instance of the subclass instead',
  );
}
