/**
 * A hebb model → the `config.json` of a Keras 3 `.keras` file, in the schema Keras 3.10 writes
 * (the newest Keras in ../shared/fixtures/keras; 3.4 ... 3.10 differ only in details Keras
 * reads either way):
 *
 * - the model: `{module, class_name, config, registered_name, build_config, compile_config}`
 *   with `module: "keras"` for Sequential and `"keras.src.models.functional"` (registered
 *   name `"Functional"`) for a functional model;
 * - each layer: `{module: "keras.layers", class_name, config, registered_name: null,
 *   build_config: {input_shape}}`, plus `name` and `inbound_nodes` in a functional model, where
 *   a node is Keras 3's `{args: [{class_name: "__keras_tensor__", config: {shape, dtype,
 *   keras_history}}], kwargs}` (a list input such as Concatenate's is one nested list);
 * - inside a layer's config, dtype as a `DTypePolicy` object (InputLayer keeps the string),
 *   initializers, regularizers and constraints as `{module, class_name, config,
 *   registered_name}`, InputLayer's `batch_shape`, BatchNormalization's `synchronized` and
 *   Flatten's `data_format`.
 *
 * hebb's own config keys are already Keras's names in camelCase, so renaming them
 * (model_io/keras_json.ts's toKeras) gives Keras's keys. A layer class hebb does not ship (a user
 * layer) is written as a custom class, `registered_name: "Custom>Name"` (Keras's default package
 * for `register_keras_serializable`), which a reader must have registered in code.
 */
import { ValueError } from '../../core/errors.js';
import type { SymbolicShape } from '../../layers/symbolic.js';
import type { Layer } from '../../layers/layer.js';
import { isShapeList } from '../../layers/layer.js';
import { builtInLayerClasses, serializeLayer, type SerializedLayer } from '../../layers/registry.js';
import type { Node, SymbolicTensor } from '../../layers/symbolic.js';
import type { Model } from '../../models/model.js';
import { isObject, toKeras, type Json, type JsonObject } from '../model_io/keras_json.js';
import { compileToJson } from '../model_io/training_config.js';
import { kerasCompileConfig } from './save_compile.js';

const OP = 'saveKeras';
const BUILT_IN = new Set(builtInLayerClasses());

/** Keras 3's `DTypePolicy` object for a layer's dtype. */
export function dtypePolicy(dtype: string): JsonObject {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: dtype }, registered_name: null };
}

const OBJECT_MODULES: readonly [string, string][] = [
  ['_initializer', 'keras.initializers'],
  ['_regularizer', 'keras.regularizers'],
  ['_constraint', 'keras.constraints'],
];

function shapeJson(s: SymbolicShape | readonly SymbolicShape[]): Json {
  return isShapeList(s) ? s.map((x) => [...x]) : [...s];
}

/** One layer's `config` in Keras 3's form. */
function layerConfig(s: SerializedLayer, name: string): JsonObject {
  const raw = toKeras(s.config);
  if (!isObject(raw)) throw new ValueError(`${OP}: layer "${name}" (${s.className}) has a config that is not an object`);
  if (s.className === 'InputLayer') {
    // Keras 3's key order: batch_shape, dtype, sparse, ragged, name.
    return { batch_shape: raw['batch_shape'] ?? null, dtype: raw['dtype'] ?? 'float32', sparse: false, ragged: false, name: raw['name'] ?? name };
  }
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'activity_regularizer' && v === null) continue; // Keras 3 writes it only when set
    const mod = OBJECT_MODULES.find(([suffix]) => k.endsWith(suffix));
    if (k === 'dtype' && typeof v === 'string') config[k] = dtypePolicy(v);
    else if (mod && isObject(v) && typeof v['class_name'] === 'string') {
      config[k] = { module: mod[1], class_name: v['class_name'], config: isObject(v['config']) ? v['config'] : {}, registered_name: null };
    } else config[k] = v;
  }
  if (s.className === 'BatchNormalization') config['synchronized'] ??= false;
  if (s.className === 'Flatten') config['data_format'] ??= 'channels_last';
  return config;
}

/** `{module, class_name, config, registered_name}` of one layer (build_config and nodes added by the caller). */
function layerEntry(layer: Layer): JsonObject {
  if ('layers' in layer) {
    throw new ValueError(`${OP}: layer "${layer.name}" is a nested model (${layer.className}); saveKeras writes flat models only (rebuild it with the inner model's layers inline)`);
  }
  return serializedEntry(serializeLayer(layer), layer.name);
}

function serializedEntry(s: SerializedLayer, name: string): JsonObject {
  const cls = s.className;
  const builtIn = BUILT_IN.has(cls);
  return {
    module: builtIn ? 'keras.layers' : null,
    class_name: cls,
    config: layerConfig(s, name),
    registered_name: builtIn ? null : `Custom>${cls}`,
  };
}

/** The layers of a Sequential model with the input shape each is built for. */
function sequentialLayers(model: Model): { entries: JsonObject[]; inputShape: SymbolicShape } {
  const known = model.knownInputShapes();
  const first = known?.[0];
  if (!known || known.length !== 1 || !first) {
    throw new ValueError(`${OP}: Sequential model "${model.name}" has no input shape; start it with input({shape}) or give its first layer an inputShape (Keras needs the shape to rebuild it)`);
  }
  // The InputLayer is in the config but not in model.layers (as in Keras).
  const config = model.getConfig() as { layers: SerializedLayer[] };
  const entries: JsonObject[] = [];
  const input = config.layers[0];
  if (input?.className === 'InputLayer') entries.push(serializedEntry(input, model.name));
  let shape: SymbolicShape = first;
  for (const l of model.layers) {
    const e = layerEntry(l);
    e['build_config'] = { input_shape: shapeJson(shape) };
    entries.push(e);
    const out = l.computeOutputShape(shape);
    if (isShapeList(out)) throw new ValueError(`${OP}: layer "${l.name}" of Sequential model "${model.name}" has several outputs`);
    shape = out;
  }
  return { entries, inputShape: first };
}

/** Every node of a functional model's graph, found from its outputs back (as functionalConfig counts them). */
function graphNodes(outputs: readonly SymbolicTensor[]): Set<Node> {
  const seen = new Set<Node>();
  const stack = outputs.map((t) => t.node);
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const t of n.inputs) stack.push(t.node);
  }
  return seen;
}

function functionalLayers(model: Model & { inputs: readonly SymbolicTensor[]; outputs: readonly SymbolicTensor[] }): { entries: JsonObject[]; inputs: Json; outputs: Json } {
  const inGraph = graphNodes(model.outputs);
  for (const t of model.inputs) inGraph.add(t.node);
  const nodeIndex = (n: Node): number => n.layer.inboundNodes.filter((m) => inGraph.has(m)).indexOf(n);
  const ref = (t: SymbolicTensor): Json => [t.sourceLayer.name, nodeIndex(t.node), t.outputIndex];
  const tensor = (t: SymbolicTensor): Json => ({ class_name: '__keras_tensor__', config: { shape: [...t.shape], dtype: t.dtype, keras_history: ref(t) } });
  const entries = model.layers.map((l) => {
    const e = layerEntry(l);
    const own = l.inboundNodes.filter((n) => inGraph.has(n) && n.inputs.length > 0);
    const first = own[0];
    if (first) e['build_config'] = { input_shape: first.inputsAsList ? first.inputs.map((t) => [...t.shape]) : [...(first.inputs[0] as SymbolicTensor).shape] };
    e['name'] = l.name;
    e['inbound_nodes'] = own.map((n): Json => {
      const kwargs: JsonObject = n.callArgs.training !== undefined ? { training: n.callArgs.training } : {};
      return { args: n.inputsAsList ? [n.inputs.map(tensor)] : n.inputs.map(tensor), kwargs };
    });
    return e;
  });
  return { entries, inputs: model.inputs.map(ref), outputs: model.outputs.map(ref) };
}

/** The compile_config, or null (with the reason) when the model is not compiled or cannot be described. */
function compileConfig(model: Model): { config: JsonObject | null; note: string | null } {
  const compiled = model.compiled;
  if (!compiled) return { config: null, note: null };
  try {
    return { config: kerasCompileConfig(compileToJson(compiled.options, compiled.optimizer)), note: null };
  } catch (e) {
    return { config: null, note: e instanceof Error ? e.message : String(e) };
  }
}

export interface KerasModelConfig {
  /** config.json's object. */
  root: JsonObject;
  /** Why a compiled model's compile_config was left out, or null. */
  compileNote: string | null;
}

/** config.json of `model` (a Sequential or functional model). */
export function kerasModelConfig(model: Model): KerasModelConfig {
  const { config: compile, note } = compileConfig(model);
  let root: JsonObject;
  if (model.className === 'Sequential') {
    const { entries, inputShape } = sequentialLayers(model);
    root = {
      module: 'keras',
      class_name: 'Sequential',
      config: { name: model.name, trainable: model.trainable, dtype: dtypePolicy(model.dtype), layers: entries, build_input_shape: [...inputShape] },
      registered_name: null,
      build_config: { input_shape: [...inputShape] },
    };
  } else if (model.className === 'Functional' && 'inputs' in model && 'outputs' in model) {
    const f = functionalLayers(model as Model & { inputs: readonly SymbolicTensor[]; outputs: readonly SymbolicTensor[] });
    root = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: { name: model.name, trainable: model.trainable, layers: f.entries, input_layers: f.inputs, output_layers: f.outputs },
      registered_name: 'Functional',
      build_config: { input_shape: null },
    };
  } else {
    throw new ValueError(`${OP}: model "${model.name}" is a subclassed model (${model.className}); its architecture is code, not a config (save its weights with saveWeights)`);
  }
  if (compile) root['compile_config'] = compile;
  return { root, compileNote: note };
}
