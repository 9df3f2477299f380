/**
 * `hb.loadKerasModel(pathOrUrlOrBytes)`: a model saved by Python Keras, read as data.
 *
 * - A `.keras` archive (Keras 3, tf.keras 2.15): zip.ts checks the archive, config.ts the
 *   config.json, and the weights come from model.weights.h5 in the Keras 3 layout.
 * - A legacy full-model `.h5` (Keras 2.0 ... 2.x, and Keras 3's `save("x.h5")`): the
 *   `model_config` attribute and the `model_weights` group.
 *
 * The architecture is rebuilt through hebb's closed layer registry; the weights' shapes and
 * dtypes (HDF5 metadata) are matched against the model by the shared matchWeights before any
 * weight data is read, then the shared assignWeights sets them. The model comes back
 * uncompiled (Keras's compile config names Python objects; compile it in TypeScript).
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import { checkOptions, type OptionKeys } from '../../core/options.js';
import type { Layer } from '../../layers/layer.js';
import { Functional } from '../../models/functional.js';
import type { Model } from '../../models/model.js';
import { Sequential } from '../../models/sequential.js';
import type { FunctionalConfig, SequentialConfig } from '../../models/serialization.js';
import type { ModelArtifacts } from '../model_io/artifacts.js';
import { isObject, type Json } from '../model_io/keras_json.js';
import { assignWeights, matchWeights } from '../model_io/load_weights.js';
import type { HebbTopology } from '../model_io/topology.js';
import { checkSpecs } from '../model_io/weights.js';
import { kerasTopology, parseJson, type CustomObjects } from './config.js';
import { stringAttr, withH5, type H5File } from './h5.js';
import { keras3Weights, legacyWeights, type FileWeight, type KerasLayerRef } from './h5_weights.js';
import { readKerasSource, type KerasSource } from './source.js';
import { readKerasZip } from './zip.js';

export interface LoadKerasOptions {
  /** Layer classes by class name (or Keras registered name), for files that name them. */
  customObjects?: CustomObjects;
  /** [globalThis.fetch] the fetch for a URL source. */
  fetch?: typeof fetch;
}

const OPTIONS: OptionKeys<LoadKerasOptions> = { customObjects: true, fetch: true };
const OP = 'loadKerasModel';

function build(topo: HebbTopology, where: string, customObjects: CustomObjects): Model {
  const opts = { customObjects };
  try {
    return topo.kind === 'Sequential' ? Sequential.fromConfig(topo.config as SequentialConfig, opts) : Functional.fromConfig(topo.config as FunctionalConfig, opts);
  } catch (e) {
    if (e instanceof ValueError) throw new ValueError(`${where}: ${e.message}`);
    throw e;
  }
}

/** The layers of the model as Keras lists them (`model.layers`): a Sequential's without its InputLayer. */
function kerasLayers(root: Json): KerasLayerRef[] {
  const t = isObject(root) ? root : {};
  const body = t['config'];
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body['layers']) ? body['layers'] : [];
  const refs = list.filter(isObject).map((l) => {
    const c = isObject(l['config']) ? l['config'] : {};
    const name = typeof l['name'] === 'string' ? l['name'] : typeof c['name'] === 'string' ? c['name'] : '';
    return { className: typeof l['class_name'] === 'string' ? l['class_name'] : '', name };
  });
  return t['class_name'] === 'Sequential' ? refs.filter((r) => r.className !== 'InputLayer') : refs;
}

function layersByName(model: Model): Map<string, Layer> {
  return new Map(model.layers.map((l) => [l.name, l]));
}

/** One dataset's values as the bytes of its spec's dtype, counts and ranges checked. */
function readValues(file: H5File, w: FileWeight, where: string): Uint8Array {
  const d = file.get(w.path);
  const v = d !== null && 'value' in d ? d.value : null;
  const n = w.shape.reduce((a, b) => a * b, 1);
  const isArray = ArrayBuffer.isView(v) && !(v instanceof DataView);
  const values = isArray ? v : typeof v === 'number' || typeof v === 'bigint' ? [v] : null;
  if (values === null || values.length !== n) {
    throw new ValueError(`${where}: dataset "${w.path}" (weight "${w.name}") holds ${values === null ? fmtReceived(v) : `${values.length} values`}, its shape needs ${n}`);
  }
  if (w.dtype === 'float32') {
    const out = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>, Number);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = Number((values as ArrayLike<number | bigint>)[i]);
    if (!Number.isInteger(x) || x < -2147483648 || x > 2147483647) throw new ValueError(`${where}: dataset "${w.path}" (weight "${w.name}") holds ${x}, outside int32`);
    out[i] = x;
  }
  return new Uint8Array(out.buffer);
}

/** Checks every file weight against the model, then reads and assigns them (nothing changes on an error). */
function setWeights(model: Model, file: H5File, weights: FileWeight[], where: string): void {
  const { specs, bytes } = checkSpecs(weights.map(({ name, shape, dtype }) => ({ name, shape, dtype })), where);
  // Names, shapes and dtypes against the model, before a single value is read.
  matchWeights(model.weights, specs, where);
  const data = new Uint8Array(bytes);
  let at = 0;
  const byName = new Map(weights.map((w) => [w.name, w]));
  for (const s of specs) {
    const part = readValues(file, byName.get(s.name) as FileWeight, where);
    data.set(part, at);
    at += part.byteLength;
  }
  const artifacts: ModelArtifacts = {
    modelTopology: null,
    format: 'layers-model',
    generatedBy: 'keras',
    convertedBy: null,
    trainingConfig: null,
    weightSpecs: specs,
    weightData: data,
    hebb: null,
    optimizerSpecs: [],
    optimizerData: new Uint8Array(0),
    source: where,
  };
  assignWeights(model.weights, artifacts, where);
}

function isZip(b: Uint8Array): boolean {
  return b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);
}

function isHdf5(b: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return sig.every((x, i) => b[i] === x);
}

async function fromKerasZip(bytes: Uint8Array, where: string, custom: CustomObjects): Promise<Model> {
  const archive = readKerasZip(bytes, where);
  if (archive.metadata) {
    const meta = parseJson(archive.metadata, `${where}: metadata.json`);
    if (!isObject(meta)) throw new ValueError(`${where}: metadata.json must be an object, received ${fmtReceived(meta)}`);
  }
  const root = parseJson(archive.config, `${where}: config.json`);
  const model = build(kerasTopology(root, `${where}: config.json`, custom), where, custom);
  try {
    await withH5(archive.weights, `${where}: model.weights.h5`, (file, lib) => {
      const w = `${where}: model.weights.h5`;
      setWeights(model, file, keras3Weights(lib, file, kerasLayers(root), layersByName(model), w), w);
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

async function fromLegacyH5(bytes: Uint8Array, where: string, custom: CustomObjects): Promise<Model> {
  return withH5(bytes, where, (file, lib) => {
    const text = stringAttr(file, 'model_config');
    if (text === null) {
      const hint = file.get('model_weights') !== null || file.keys().length > 0 ? ' (a weights-only file? build the model in hebb and set its weights)' : '';
      throw new ValueError(`${where}: the HDF5 file has no "model_config" attribute, so no architecture${hint}`);
    }
    const root = parseJson(text, `${where}: model_config`);
    const model = build(kerasTopology(root, `${where}: model_config`, custom), where, custom);
    try {
      setWeights(model, file, legacyWeights(lib, file, layersByName(model), where), where);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  });
}

export async function loadKerasModel(source: KerasSource, options: LoadKerasOptions = {}): Promise<Model> {
  checkOptions(OP, options, OPTIONS);
  const custom = options.customObjects ?? {};
  const { bytes, name } = await readKerasSource(source, OP, options.fetch);
  const where = `${OP}: ${name}`;
  if (isZip(bytes)) return fromKerasZip(bytes, where, custom);
  if (isHdf5(bytes)) return fromLegacyH5(bytes, where, custom);
  const json = bytes[0] === 0x7b;
  throw new ValueError(`${where}: the file is neither a .keras archive (zip) nor a legacy Keras .h5 (HDF5)${json ? '; a TensorFlow.js model.json is read by loadModel' : ''}`);
}
