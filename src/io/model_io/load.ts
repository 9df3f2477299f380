/**
 * `hb.loadModel(path | handler)`: rebuilds the architecture through the closed layer registry
 * (a file can name only built-in classes and those the caller passes in `customObjects`),
 * sets the weights, and, for a hebb save, compiles with the saved options and restores the
 * optimizer state. Nothing from the file is run: it is JSON and bytes, read as data.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import { checkOptions, type OptionKeys } from '../../core/options.js';
import { globalGenerator, type GeneratorState } from '../../core/random.js';
import type { Tensor } from '../../core/tensor.js';
import { dispose } from '../../core/engine.js';
import { Functional } from '../../models/functional.js';
import type { Model } from '../../models/model.js';
import { Sequential } from '../../models/sequential.js';
import type { FunctionalConfig, SequentialConfig } from '../../models/serialization.js';
import type { LayerClass } from '../../layers/registry.js';
import type { IOHandler, ModelArtifacts } from './artifacts.js';
import { isObject, type JsonObject } from './keras_json.js';
import { assignWeights, loadArtifacts, sourceName } from './load_weights.js';
import { OPTIMIZER_PREFIX } from './save.js';
import { topologyFromKeras } from './topology.js';
import { compileFromJson } from './training_config.js';
import { checkSpecs, decodeWeights } from './weights.js';

export interface LoadOptions {
  /** User layer classes by class name, for files that name them. */
  customObjects?: Readonly<Record<string, LayerClass>>;
  /** [true] compile with the saved options and restore the optimizer state, when the file has them. */
  compile?: boolean;
  /**
   * [false] also restore the global random generator to its state at save time, so that a
   * training continued after loading shuffles (and drops out) exactly as the saved run would have.
   */
  restoreRandomState?: boolean;
}

const LOAD_OPTIONS: OptionKeys<LoadOptions> = { customObjects: true, compile: true, restoreRandomState: true };

function rebuild(a: ModelArtifacts, where: string, customObjects: LoadOptions['customObjects']): Model {
  if (a.modelTopology === null) throw new ValueError(`${where}: the file has no modelTopology (a weights-only save); build the model and call model.loadWeights`);
  return modelFromTopology(a.modelTopology, where, customObjects);
}

/**
 * A new, untrained model from a Keras/TensorFlow.js `modelTopology` (`{class_name, config}`);
 * `where` prefixes errors (loadModel's, and `hebb train --model config.json`'s).
 */
export function modelFromTopology(topology: unknown, where: string, customObjects?: LoadOptions['customObjects']): Model {
  const topo = topologyFromKeras(topology, where.replace(/^loadModel: /, ''));
  const opts = customObjects ? { customObjects } : {};
  try {
    return topo.kind === 'Sequential' ? Sequential.fromConfig(topo.config as SequentialConfig, opts) : Functional.fromConfig(topo.config as FunctionalConfig, opts);
  } catch (e) {
    if (e instanceof ValueError) throw new ValueError(`${where}: ${e.message}`);
    throw e;
  }
}

/** Compiles from hebb.compile and loads the optimizer state; everything checked before the model changes. */
function restoreTraining(model: Model, a: ModelArtifacts, hebb: JsonObject, where: string): void {
  const options = compileFromJson(hebb['compile'], where);
  const st = hebb['optimizerState'];
  let load: (() => void) | null = null;
  if (st !== undefined) {
    if (!isObject(st) || !Array.isArray(st['params']) || !isObject(st['numbers'])) throw new ValueError(`${where}: hebb.optimizerState must be {iterations, numbers, params}, received ${fmtReceived(st)}`);
    const byName = new Map(model.weights.map((w) => [w.name, w]));
    const params = st['params'].map((n) => {
      const w = typeof n === 'string' ? byName.get(n) : undefined;
      if (!w) throw new ValueError(`${where}: hebb.optimizerState.params names ${fmtReceived(n)}, which is not a weight of the model`);
      return w;
    });
    const { specs } = checkSpecs(a.optimizerSpecs, `${where}: optimizer state`);
    if (specs.some((s) => !s.name.startsWith(OPTIMIZER_PREFIX))) throw new ValueError(`${where}: optimizer state weights must be named "${OPTIMIZER_PREFIX}..."`);
    const numbers = st['numbers'] as Record<string, unknown>;
    const iterations = st['iterations'];
    load = () => {
      const tensors = decodeWeights(specs, a.optimizerData, `${where}: optimizer state`);
      try {
        const byPath: Record<string, Tensor> = {};
        for (const [k, t] of tensors) byPath[k.slice(OPTIMIZER_PREFIX.length)] = t;
        const compiled = model.compiled;
        if (!compiled) throw new ValueError(`${where}: internal: the model is not compiled`);
        // The runner fit will use is the one bound to these weights, in this order.
        compiled.runnerFor(params).loadState({ iterations: iterations as number, tensors: byPath, numbers: numbers as Record<string, number> });
      } finally {
        dispose([...tensors.values()]);
      }
    };
  }
  model.compile(options);
  load?.();
}

export async function loadModel(source: string | IOHandler, options: LoadOptions = {}): Promise<Model> {
  checkOptions('loadModel', options, LOAD_OPTIONS);
  const a = await loadArtifacts(source, 'loadModel');
  const where = `loadModel: ${a.source ?? sourceName(source)}`;
  const hebb = a.hebb;
  let random: GeneratorState | null = null;
  if (options.restoreRandomState) {
    const r = hebb?.['random'];
    if (!isObject(r)) throw new ValueError(`${where}: restoreRandomState: the file has no random state (not saved by hebb?)`);
    random = r as unknown as GeneratorState;
  }
  const model = rebuild(a, where, options.customObjects);
  try {
    assignWeights(model.weights, a, where);
    if ((options.compile ?? true) && hebb && hebb['compile'] !== undefined) {
      try {
        restoreTraining(model, a, hebb, where);
      } catch (e) {
        // compile's and loadState's own errors, said in the name of the file.
        if (e instanceof ValueError && !e.message.startsWith(where)) throw new ValueError(`${where}: ${e.message}`);
        throw e;
      }
    }
    if (random) globalGenerator().setState(random);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
