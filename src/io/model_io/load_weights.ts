/**
 * Weights from a save into a model's variables. Names in files differ by writer: hebb and
 * tfjs write `layer/weight` (`dense/kernel`); tensorflowjs_converter from Keras 3 prefixes the
 * model's name (`sequential/dense/kernel`). A model weight takes the file weight of the same
 * name, or else the one file weight whose name ends in `/<its name>`. Every model weight must
 * find exactly one, every file weight must be used, and shapes and dtypes must agree — all
 * checked before any variable changes. loadWeights alone falls back to the order of the weights
 * when the names differ but every shape and dtype agrees one for one (Keras's load_weights).
 */
import { ValueError } from '../../core/errors.js';
import type { Tensor, Variable } from '../../core/tensor.js';
import { dispose } from '../../core/engine.js';
import { fmtShape } from '../../core/errors.js';
import type { Model } from '../../models/model.js';
import type { IOHandler, ModelArtifacts } from './artifacts.js';
import { handlerFor } from './browser_route.js';
import { checkSpecs, decodeWeights, type WeightSpec } from './weights.js';

/** The file spec for each variable, in variable order; throws naming `where` on any mismatch. */
export function matchWeights(vars: readonly Variable[], specs: readonly WeightSpec[], where: string): WeightSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const used = new Set<string>();
  const out = vars.map((v) => {
    let s = byName.get(v.name);
    if (s === undefined) {
      const c = specs.filter((x) => x.name.endsWith(`/${v.name}`));
      if (c.length > 1) throw new ValueError(`${where}: weight "${v.name}" matches several weights in the file: ${c.map((x) => x.name).join(', ')}`);
      s = c[0];
    }
    if (s === undefined) throw new ValueError(`${where}: the file has no weight for "${v.name}" (it has ${specs.map((x) => x.name).join(', ') || 'none'})`);
    if (used.has(s.name)) throw new ValueError(`${where}: file weight "${s.name}" would serve two weights of the model`);
    used.add(s.name);
    if (s.shape.length !== v.shape.length || s.shape.some((d, i) => d !== v.shape[i])) {
      throw new ValueError(`${where}: weight "${s.name}" has shape ${fmtShape(s.shape)} in the file, the model's "${v.name}" has ${fmtShape(v.shape)}`);
    }
    if (s.dtype !== v.dtype) throw new ValueError(`${where}: weight "${s.name}" is ${s.dtype} in the file, the model's "${v.name}" is ${v.dtype}`);
    return s;
  });
  const extra = specs.filter((s) => !used.has(s.name));
  if (extra.length > 0) throw new ValueError(`${where}: the file has weights the model lacks: ${extra.map((s) => s.name).join(', ')}`);
  return out;
}

/** Decodes and assigns, after every check (matchWeights, byte count) has passed. */
export function assignWeights(vars: readonly Variable[], artifacts: ModelArtifacts, where: string, byPosition = false): void {
  // The specs are re-checked here, as a user IOHandler's artifacts did not pass the file checks.
  const { specs } = checkSpecs(artifacts.weightSpecs, where);
  let matched: WeightSpec[];
  try {
    matched = matchWeights(vars, specs, where);
  } catch (e) {
    // loadWeights into a model whose layers were named otherwise (dense_1 for dense): like Keras's
    // load_weights, the weights are taken in order when every shape and dtype agrees one for one.
    const fits = specs.length === vars.length && specs.every((s, i) => s.dtype === vars[i]?.dtype && s.shape.length === vars[i]?.shape.length && s.shape.every((d, k) => d === vars[i]?.shape[k]));
    if (!byPosition || !fits) throw e;
    matched = specs;
  }
  const tensors: Map<string, Tensor> = decodeWeights(specs, artifacts.weightData, where);
  try {
    vars.forEach((v, i) => v.assign(tensors.get((matched[i] as WeightSpec).name) as Tensor));
  } finally {
    dispose([...tensors.values()]);
  }
}

export function sourceName(source: string | IOHandler): string {
  return typeof source === 'string' ? source : 'the IOHandler';
}

export async function loadArtifacts(source: string | IOHandler, op: 'loadModel' | 'loadWeights'): Promise<ModelArtifacts> {
  const handler = typeof source === 'string' ? handlerFor(source, op) : source;
  if (typeof handler !== 'object' || handler === null || typeof handler.load !== 'function') {
    throw new ValueError(`${op}: the source must be a path or an IOHandler with a load() method`);
  }
  return handler.load();
}

export async function loadWeightsInto(model: Model, source: string | IOHandler): Promise<void> {
  const artifacts = await loadArtifacts(source, 'loadWeights');
  assignWeights(model.weights, artifacts, `loadWeights: ${artifacts.source ?? sourceName(source)}`, true);
}
