/**
 * A model → its artifacts (architecture, weights, compile options, optimizer state, the global
 * random generator's state), handed to an IOHandler or to the file handler for a path.
 */
import { ValueError } from '../../core/errors.js';
import { globalGenerator } from '../../core/random.js';
import type { Tensor } from '../../core/tensor.js';
import type { Model } from '../../models/model.js';
import type { FunctionalConfig, SequentialConfig } from '../../models/serialization.js';
import { VERSION } from '../../version.js';
import { FORMAT_VERSION, type IOHandler, type ModelArtifacts } from './artifacts.js';
import { handlerFor } from './browser_route.js';
import type { JsonObject } from './keras_json.js';
import { topologyToKeras, type ModelKind } from './topology.js';
import { compileToJson, tfjsTrainingConfig } from './training_config.js';
import { encodeWeights } from './weights.js';

export interface SaveOptions {
  /** [true] write the compile options and the optimizer state (when the model is compiled). */
  includeOptimizer?: boolean;
  /** @internal saveWeights: no compile options, no optimizer state; subclassed models allowed. */
  weightsOnly?: boolean;
}

/** The prefix of the optimizer state's tensor names ('optimizer/adam/m/0'). */
export const OPTIMIZER_PREFIX = 'optimizer/';

export async function modelArtifacts(model: Model, options: SaveOptions = {}): Promise<ModelArtifacts> {
  const weightsOnly = options.weightsOnly ?? false;
  const includeOptimizer = !weightsOnly && (options.includeOptimizer ?? true);
  const kind: ModelKind | null = model.className === 'Sequential' ? 'Sequential' : model.className === 'Functional' ? 'Functional' : null;
  if (kind === null && !weightsOnly) {
    throw new ValueError(`save: model "${model.name}" is a subclassed model (${model.className}); its architecture is code, not a config: save its weights with saveWeights`);
  }
  const topology = kind === null ? null : topologyToKeras(kind, model.getConfig() as unknown as SequentialConfig | FunctionalConfig, VERSION);
  const weights = model.weights;
  const seen = new Set<string>();
  for (const w of weights) {
    if (seen.has(w.name)) throw new ValueError(`save: model "${model.name}" has two weights named "${w.name}"; layer names must be unique to save`);
    seen.add(w.name);
  }
  const { specs, data } = await encodeWeights(weights.map((w) => ({ name: w.name, value: w })));
  const hebb: JsonObject = { formatVersion: FORMAT_VERSION, version: VERSION, random: { ...globalGenerator().getState() } };
  let trainingConfig: JsonObject | null = null;
  let optimizerSpecs: ModelArtifacts['optimizerSpecs'] = [];
  let optimizerData: Uint8Array = new Uint8Array(0);
  const compiled = model.compiled;
  if (includeOptimizer && compiled) {
    let compile: JsonObject | null = null;
    try {
      compile = compileToJson(compiled.options, compiled.optimizer);
    } catch (e) {
      // A loss or metric that is a function cannot be stored: the save says so and goes on.
      hebb['compileNotSaved'] = e instanceof Error ? e.message : String(e);
    }
    if (compile) {
      hebb['compile'] = compile;
      trainingConfig = tfjsTrainingConfig(compile);
      const runner = compiled.currentRunner;
      if (runner) {
        const state = runner.saveState();
        try {
          const named = Object.entries(state.tensors).map(([path, value]: [string, Tensor]) => ({ name: OPTIMIZER_PREFIX + path, value }));
          ({ specs: optimizerSpecs, data: optimizerData } = await encodeWeights(named));
        } finally {
          for (const t of Object.values(state.tensors)) t.dispose();
        }
        // Which weights the state belongs to, in order: loading binds the optimizer to them.
        hebb['optimizerState'] = {
          iterations: state.iterations,
          numbers: { ...state.numbers },
          params: runner.params.map((p) => p.name),
        };
      }
    }
  }
  return {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: `hebb v${VERSION}`,
    convertedBy: null,
    trainingConfig,
    weightSpecs: specs,
    weightData: data,
    hebb,
    optimizerSpecs,
    optimizerData,
  };
}

export async function saveModel(model: Model, target: string | IOHandler, options: SaveOptions = {}): Promise<void> {
  const handler = typeof target === 'string' ? handlerFor(target, options.weightsOnly ? 'saveWeights' : 'save') : target;
  if (typeof handler !== 'object' || handler === null || typeof handler.save !== 'function') {
    throw new ValueError('save: the target must be a directory path, an indexeddb:// / localstorage:// / downloads:// URL or an IOHandler with a save(artifacts) method');
  }
  await handler.save(await modelArtifacts(model, options));
}
