/**
 * Model architectures as plain JSON (Keras's model config), for io/ to save and load:
 *
 * - Sequential: `{name, layers: [{className, config}, ...]}`, an InputLayer first when the
 *   model was given `input(...)`.
 * - Functional: `{name, layers: [{name, className, config, inboundNodes}], inputLayers,
 *   outputLayers}` where a tensor is referenced as `[layerName, nodeIndex, tensorIndex]`
 *   (Keras's triple) and nodeIndex counts only this model's calls of that layer.
 *
 * Weights are not part of the config: a rebuilt model lists its weights in the same order, so
 * `getWeights()` of the original feeds `setWeights()` of the copy.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { Layer } from '../layers/layer.js';
import type { Node, SymbolicTensor } from '../layers/symbolic.js';
import { InputLayer } from '../layers/input.js';
import { DESERIALIZE_LAYER_OPTIONS, deserializeLayer, serializeLayer, type DeserializeLayerOptions, type SerializedLayer } from '../layers/registry.js';

export type TensorRef = [layerName: string, nodeIndex: number, tensorIndex: number];

export interface NodeConfig {
  inputs: TensorRef[];
  /** The layer was given an array of inputs (Concatenate), not one tensor. */
  asList: boolean;
  /** A `training` fixed when the graph was built (Monte Carlo dropout). */
  training?: boolean;
}

export interface FunctionalLayerConfig extends SerializedLayer {
  name: string;
  inboundNodes: NodeConfig[];
}

// Type aliases rather than interfaces, so that they are also plain LayerConfig records.
export type SequentialConfig = {
  name: string;
  layers: SerializedLayer[];
};

export type FunctionalConfig = {
  name: string;
  layers: FunctionalLayerConfig[];
  inputLayers: TensorRef[];
  outputLayers: TensorRef[];
};

export type DeserializeOptions = DeserializeLayerOptions;

/** The functional config of a graph (`nodes` in execution order, inputs' nodes excluded). */
export function functionalConfig(name: string, layers: readonly Layer[], nodes: readonly Node[], inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): FunctionalConfig {
  const inGraph = new Set<Node>([...inputs.map((i) => i.node), ...nodes]);
  const nodeIndex = (n: Node): number => n.layer.inboundNodes.filter((m) => inGraph.has(m)).indexOf(n);
  const ref = (t: SymbolicTensor): TensorRef => [t.sourceLayer.name, nodeIndex(t.node), t.outputIndex];
  const names = new Set<string>();
  return {
    name,
    layers: layers.map((l) => {
      if (names.has(l.name)) throw new ValueError(`getConfig: model "${name}" has two layers named "${l.name}"; names must be unique to save a model`);
      names.add(l.name);
      const own = l.inboundNodes.filter((n) => inGraph.has(n) && n.inputs.length > 0);
      return {
        name: l.name,
        ...serializeLayer(l),
        inboundNodes: own.map((n) => ({
          inputs: n.inputs.map(ref),
          asList: n.inputsAsList,
          ...(n.callArgs.training !== undefined ? { training: n.callArgs.training } : {}),
        })),
      };
    }),
    inputLayers: inputs.map(ref),
    outputLayers: outputs.map(ref),
  };
}

function isRef(v: unknown): v is TensorRef {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
}

/**
 * Rebuilds the layers and replays their calls. A node runs once every tensor it reads exists,
 * so a shared layer's later call may wait for layers listed after it.
 */
export function rebuildGraph(config: FunctionalConfig, options: DeserializeOptions = {}): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
  checkOptions('Functional.fromConfig', options, DESERIALIZE_LAYER_OPTIONS);
  if (typeof config !== 'object' || config === null || !Array.isArray(config.layers)) {
    throw new ValueError('Functional.fromConfig: expected {name, layers, inputLayers, outputLayers}');
  }
  const layers = new Map<string, Layer>();
  /** Outputs of each layer's calls, in order: produced[layer][node][tensor]. */
  const produced = new Map<string, SymbolicTensor[][]>();
  for (const entry of config.layers) {
    const layer = deserializeLayer(entry, options);
    if (layer.name !== entry.name) throw new ValueError(`Functional.fromConfig: layer "${entry.name}" was rebuilt under the name "${layer.name}"`);
    layers.set(entry.name, layer);
    produced.set(entry.name, layer instanceof InputLayer ? [[layer.output]] : []);
  }
  const lookup = (r: unknown, where: string): SymbolicTensor | undefined => {
    if (!isRef(r)) throw new ValueError(`Functional.fromConfig: ${where} must be [layerName, nodeIndex, tensorIndex], received ${fmtReceived(r)}`);
    if (!layers.has(r[0])) throw new ValueError(`Functional.fromConfig: ${where} names unknown layer "${r[0]}"`);
    return produced.get(r[0])?.[r[1]]?.[r[2]];
  };
  const pending = config.layers.map((e) => ({ e, next: 0 }));
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      while (p.next < (p.e.inboundNodes ?? []).length) {
        const nc = (p.e.inboundNodes as NodeConfig[])[p.next] as NodeConfig;
        const ins = nc.inputs.map((r, i) => lookup(r, `layer "${p.e.name}" node ${p.next} input ${i}`));
        if (ins.some((t) => t === undefined)) break;
        const sym = ins as SymbolicTensor[];
        const layer = layers.get(p.e.name) as Layer;
        const args = nc.training !== undefined ? { training: nc.training } : {};
        const outs = nc.asList ? layer.applyAll(sym, args) : layer.applyAll(sym[0] as SymbolicTensor, args);
        (produced.get(p.e.name) as SymbolicTensor[][]).push(outs);
        p.next++;
        progress = true;
      }
    }
  }
  const stuck = pending.find((p) => p.next < (p.e.inboundNodes ?? []).length);
  if (stuck) throw new ValueError(`Functional.fromConfig: layer "${stuck.e.name}" reads tensors that no layer produces (node ${stuck.next})`);
  const resolve = (r: unknown, where: string): SymbolicTensor => {
    const t = lookup(r, where);
    if (!t) throw new ValueError(`Functional.fromConfig: ${where} ${JSON.stringify(r)} does not exist`);
    return t;
  };
  return {
    inputs: config.inputLayers.map((r, i) => resolve(r, `inputLayers[${i}]`)),
    outputs: config.outputLayers.map((r, i) => resolve(r, `outputLayers[${i}]`)),
  };
}

/** Sequential: the layers in order (an InputLayer first when the model has an input). */
export function sequentialLayersFromConfig(config: SequentialConfig, options: DeserializeOptions = {}): { input: SymbolicTensor | null; layers: Layer[] } {
  checkOptions('Sequential.fromConfig', options, DESERIALIZE_LAYER_OPTIONS);
  if (typeof config !== 'object' || config === null || !Array.isArray(config.layers)) {
    throw new ValueError('Sequential.fromConfig: expected {name, layers}');
  }
  const all = config.layers.map((l) => deserializeLayer(l, options));
  const first = all[0];
  if (first instanceof InputLayer) return { input: first.output, layers: all.slice(1) };
  return { input: null, layers: all };
}

