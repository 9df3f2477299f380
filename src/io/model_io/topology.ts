/**
 * Model architectures between hebb's model configs (models/serialization.ts) and the
 * `modelTopology` of a TensorFlow.js layers model: `{class_name: 'Sequential' | 'Functional' |
 * 'Model', config: {name, layers, input_layers, output_layers}, keras_version, backend}`.
 *
 * Functional graphs are written in the Keras 2 node form that tfjs reads,
 * `inbound_nodes: [[[layer, nodeIndex, tensorIndex, kwargs], ...], ...]` (one list per call);
 * reading also takes Keras 3's `{args: [{class_name: '__keras_tensor__', config: {keras_history}}],
 * kwargs}` form. A Sequential config may be a bare list of layers (Keras ≤ 2.2, tfjs 1.x); a
 * first layer with `batch_input_shape` and no InputLayer gets one named `<layer>_input`, the
 * name Keras 2 used.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { FunctionalConfig, FunctionalLayerConfig, NodeConfig, SequentialConfig, TensorRef } from '../../models/serialization.js';
import { isObject, layerFromKeras, layerToKeras, type Json, type JsonObject } from './keras_json.js';

export type ModelKind = 'Sequential' | 'Functional';

export interface HebbTopology {
  kind: ModelKind;
  config: SequentialConfig | FunctionalConfig;
}

const refToKeras = (r: TensorRef): Json => [r[0], r[1], r[2]];

/** hebb's config of a Sequential or functional model → Keras's `modelTopology`. */
export function topologyToKeras(kind: ModelKind, config: SequentialConfig | FunctionalConfig, version: string): JsonObject {
  let body: JsonObject;
  if (kind === 'Sequential') {
    body = { name: config.name, layers: config.layers.map((l) => layerToKeras(l)) };
  } else {
    const f = config as FunctionalConfig;
    body = {
      name: f.name,
      layers: f.layers.map((l) => ({
        name: l.name,
        ...layerToKeras(l),
        inbound_nodes: l.inboundNodes.map((n) => n.inputs.map((r): Json => [r[0], r[1], r[2], n.training !== undefined ? { training: n.training } : {}])),
      })),
      input_layers: f.inputLayers.map(refToKeras),
      output_layers: f.outputLayers.map(refToKeras),
    };
  }
  return { class_name: kind, config: body, keras_version: `hebb ${version}`, backend: 'hebb' };
}

function fail(file: string, what: string, got: unknown): never {
  throw new ValueError(`loadModel: ${file}: ${what}, received ${fmtReceived(got)}`);
}

function readRef(v: Json, file: string, where: string): TensorRef {
  if (!Array.isArray(v) || v.length < 3 || typeof v[0] !== 'string' || !Number.isInteger(v[1]) || !Number.isInteger(v[2])) {
    fail(file, `${where} must be [layerName, nodeIndex, tensorIndex]`, v);
  }
  return [v[0], v[1] as number, v[2] as number];
}

/** A list of refs, or one bare ref (Keras 3 writes a single input that way). */
function readRefs(v: Json | undefined, file: string, where: string): TensorRef[] {
  if (!Array.isArray(v)) fail(file, `${where} must be a list`, v);
  if (v.length >= 3 && typeof v[0] === 'string') return [readRef(v, file, where)];
  return v.map((r, i) => readRef(r, file, `${where}[${i}]`));
}

/** One call of a layer, in Keras 2's list form or Keras 3's {args, kwargs}. */
function readNode(v: Json, file: string, where: string): NodeConfig {
  if (Array.isArray(v)) {
    const inputs = v.map((r, i) => readRef(r, file, `${where} input ${i}`));
    const first = v[0];
    const kw = Array.isArray(first) && first.length > 3 ? first[3] : undefined;
    const training = isObject(kw) && typeof kw['training'] === 'boolean' ? kw['training'] : undefined;
    return { inputs, asList: inputs.length > 1, ...(training !== undefined ? { training } : {}) };
  }
  if (isObject(v) && Array.isArray(v['args'])) {
    const args = v['args'];
    const one = args.length === 1 && Array.isArray(args[0]);
    const tensors = one ? (args[0] as Json[]) : args;
    const inputs = tensors.map((t, i) => {
      const hist = isObject(t) && isObject(t['config']) ? t['config']['keras_history'] : undefined;
      return readRef(hist ?? null, file, `${where} input ${i} (keras_history)`);
    });
    const kw = v['kwargs'];
    const training = isObject(kw) && typeof kw['training'] === 'boolean' ? kw['training'] : undefined;
    return { inputs, asList: one, ...(training !== undefined ? { training } : {}) };
  }
  fail(file, `${where} must be a list of input tensors or {args, kwargs}`, v);
}

/** `modelTopology` (or its `model_config`) → hebb's model config, layer keys renamed. */
export function topologyFromKeras(topology: unknown, file: string): HebbTopology {
  const t = isObject(topology) && isObject(topology['model_config']) ? topology['model_config'] : topology;
  if (!isObject(t) || typeof t['class_name'] !== 'string') fail(file, 'modelTopology must be {class_name, config}', t);
  const cls = t['class_name'];
  const body = t['config'];
  if (cls === 'Sequential') {
    const list = Array.isArray(body) ? body : isObject(body) ? body['layers'] : undefined;
    if (!Array.isArray(list)) fail(file, 'a Sequential config must hold a list of layers', body);
    const name = isObject(body) && typeof body['name'] === 'string' ? body['name'] : 'sequential';
    const layers = list.map((l, i) => layerFromKeras(l, `loadModel: ${file}: layer ${i}`));
    const first = layers[0];
    const out: SequentialConfig = { name, layers: layers.map(({ className, config }) => ({ className, config })) };
    if (first && first.className !== 'InputLayer' && Array.isArray(first.batchInputShape)) {
      const inputName = `${typeof first.config['name'] === 'string' ? first.config['name'] : 'layer'}_input`;
      const dtype = typeof first.config['dtype'] === 'string' ? first.config['dtype'] : 'float32';
      out.layers.unshift({ className: 'InputLayer', config: { name: inputName, batchShape: first.batchInputShape as Json[], dtype } });
    }
    return { kind: 'Sequential', config: out };
  }
  if (cls === 'Functional' || cls === 'Model') {
    if (!isObject(body) || !Array.isArray(body['layers'])) fail(file, `a ${cls} config must be {name, layers, input_layers, output_layers}`, body);
    const layers: FunctionalLayerConfig[] = body['layers'].map((l, i) => {
      const where = `loadModel: ${file}: layer ${i}`;
      const { className, config } = layerFromKeras(l, where);
      const lo = l as JsonObject;
      const name = typeof lo['name'] === 'string' ? lo['name'] : config['name'];
      if (typeof name !== 'string') fail(file, `layer ${i} must have a name`, name);
      config['name'] = name;
      const nodes = lo['inbound_nodes'] ?? [];
      if (!Array.isArray(nodes)) fail(file, `layer "${name}": inbound_nodes must be a list`, nodes);
      return { name, className, config, inboundNodes: nodes.map((n, j) => readNode(n, file, `layer "${name}" node ${j}`)) };
    });
    return {
      kind: 'Functional',
      config: {
        name: typeof body['name'] === 'string' ? body['name'] : 'functional',
        layers,
        inputLayers: readRefs(body['input_layers'], file, 'input_layers'),
        outputLayers: readRefs(body['output_layers'], file, 'output_layers'),
      },
    };
  }
  fail(file, 'modelTopology.class_name must be Sequential, Functional or Model (a subclassed model cannot be loaded from a file)', cls);
}
