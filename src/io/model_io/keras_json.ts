/**
 * Layer configs between hebb's camelCase JSON (`getConfig`) and the snake_case JSON that Keras
 * and TensorFlow.js write in `model.json` (`{class_name, config: {use_bias, kernel_initializer:
 * {class_name, config}}}`).
 *
 * Writing aims at what both tfjs-layers and Keras read: `batch_input_shape` for InputLayer
 * (tfjs does not know Keras 3's `batch_shape`; Keras 3 still accepts the old key), LeakyReLU's
 * `alpha` (tfjs's name) beside Keras 3's `negative_slope`, and L1/L2 regularizers as `L1L2`
 * (the one regularizer class tfjs registers).
 *
 * Reading accepts the dialects found in real files (../shared/fixtures/README.md, "Format
 * notes"): Keras 3's `DTypePolicy` objects, `module`/`registered_name`, `batch_shape`; Keras 2's
 * and tfjs's `batch_input_shape` and string dtypes. A file is data: only keys are renamed and
 * known wrappers unwrapped here; every value is then checked by the layer's own `fromConfig`.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { LayerConfig } from '../../layers/layer.js';
import type { SerializedLayer } from '../../layers/registry.js';

/** A JSON value as read from a file. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** useBias → use_bias, movingMeanInitializer → moving_mean_initializer. */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** use_bias → useBias; a key without underscores is left as it is. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Keys that hold data, not nested configs: their array entries are copied as they are. */
const SHAPE_KEYS = new Set(['batch_input_shape', 'batch_shape', 'target_shape', 'shared_axes', 'noise_shape', 'axis', 'mean', 'variance']);

/** hebb → Keras: keys to snake_case and `className` to `class_name`, all the way down (also io/keras/save_config.ts). */
export function toKeras(v: unknown, key = ''): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((e) => (SHAPE_KEYS.has(key) ? (e as Json) : toKeras(e, key)));
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      const sk = k === 'className' ? 'class_name' : camelToSnake(k);
      out[sk] = toKeras(x, sk);
    }
    return out;
  }
  throw new ValueError(`save: a layer config holds ${fmtReceived(v)}, which JSON cannot store`);
}

/** Keras → hebb: the reverse renaming; Keras 3's `module` and `registered_name` are dropped. */
function fromKeras(v: Json, key = ''): unknown {
  if (Array.isArray(v)) return v.map((e) => (SHAPE_KEYS.has(key) ? e : fromKeras(e, key)));
  if (!isObject(v)) return v;
  // Keras 3 writes dtype as {module, class_name: 'DTypePolicy', config: {name: 'float32'}}.
  if (v['class_name'] === 'DTypePolicy' && isObject(v['config'])) return v['config']['name'];
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'module' || k === 'registered_name' || k === 'shared_object_id') continue;
    out[k === 'class_name' ? 'className' : snakeToCamel(k)] = fromKeras(x, k);
  }
  return out;
}

/** Regularizer objects as tfjs's L1L2 (the only class it registers). */
function tfjsRegularizers(config: JsonObject): void {
  for (const [k, v] of Object.entries(config)) {
    if (!k.endsWith('_regularizer') || !isObject(v)) continue;
    const c = isObject(v['config']) ? v['config'] : {};
    if (v['class_name'] === 'L1') config[k] = { class_name: 'L1L2', config: { l1: c['l1'] ?? 0, l2: 0 } };
    if (v['class_name'] === 'L2') config[k] = { class_name: 'L1L2', config: { l1: 0, l2: c['l2'] ?? 0 } };
  }
}

/** One layer as `{class_name, config}` in Keras's JSON. */
export function layerToKeras(layer: SerializedLayer): { class_name: string; config: JsonObject } {
  const config = toKeras(layer.config);
  if (!isObject(config)) throw new ValueError(`save: layer class ${layer.className} has a config that is not an object`);
  if (layer.className === 'InputLayer' && 'batch_shape' in config) {
    config['batch_input_shape'] = config['batch_shape'] ?? null;
    delete config['batch_shape'];
  }
  if (layer.className === 'LeakyReLU' && typeof config['negative_slope'] === 'number') config['alpha'] = config['negative_slope'];
  tfjsRegularizers(config);
  return { class_name: layer.className, config };
}

/** `{class_name, config}` from a file → hebb's `{className, config}` (checked later by fromConfig). */
export function layerFromKeras(json: Json, where: string): SerializedLayer & { batchInputShape?: unknown } {
  if (!isObject(json) || typeof json['class_name'] !== 'string') {
    throw new ValueError(`${where}: expected a layer as {class_name, config}, received ${fmtReceived(json)}`);
  }
  const raw = json['config'] ?? {};
  if (!isObject(raw)) throw new ValueError(`${where}: layer ${json['class_name']}: "config" must be an object, received ${fmtReceived(raw)}`);
  const config = fromKeras(raw) as LayerConfig;
  const className = json['class_name'];
  // The input shape a layer without an InputLayer before it carries (Keras 2, tfjs).
  const batchInputShape = config['batchInputShape'] ?? (className === 'InputLayer' ? undefined : config['batchShape']);
  if (className === 'InputLayer') {
    if (config['batchShape'] === undefined) config['batchShape'] = config['batchInputShape'];
    delete config['batchInputShape'];
    // Keras 3 may write `shape` without the batch dimension instead.
    if (config['batchShape'] === undefined && Array.isArray(config['shape'])) config['batchShape'] = [null, ...config['shape']];
    for (const k of ['sparse', 'ragged', 'shape', 'optional', 'batchSize']) delete config[k];
  } else {
    delete config['batchInputShape'];
    delete config['batchShape'];
    delete config['inputShape'];
  }
  return batchInputShape === undefined ? { className, config } : { className, config, batchInputShape };
}
