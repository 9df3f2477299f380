/**
 * What a save consists of, independent of where it goes (TensorFlow.js's `ModelArtifacts` and
 * `IOHandler` idea): the JSON of `model.json` and the weight bytes. A file handler (files.ts)
 * writes them as a directory; a user's handler may send them anywhere.
 */
import type { JsonObject } from './keras_json.js';
import type { WeightSpec } from './weights.js';

/** The top-level key of hebb's own additions in model.json; tfjs reads named keys and ignores it. */
export const HEBB_KEY = 'hebb';
export const FORMAT_VERSION = 1;

export interface ModelArtifacts {
  /** Keras-style `{class_name, config, keras_version, backend}`; null for a weights-only save of a subclassed model. */
  modelTopology: JsonObject | null;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  /** Keras's training config, when the model is compiled with names tfjs knows (see training_config.ts). */
  trainingConfig: JsonObject | null;
  weightSpecs: WeightSpec[];
  /** The weights' bytes, in weightSpecs order. */
  weightData: Uint8Array;
  /** hebb's additions (compile options, optimizer state's numbers, random state); see docs/SAVING.md. */
  hebb: JsonObject | null;
  /** The optimizer state's tensors: a second manifest that tfjs never sees. */
  optimizerSpecs: WeightSpec[];
  optimizerData: Uint8Array;
  /** Where the artifacts came from (the model.json path), for error messages. */
  source?: string;
}

/** Where a save goes or a load comes from; `model.save(handler)` / `loadModel(handler)`. */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<void>;
  load?(): Promise<ModelArtifacts>;
}
