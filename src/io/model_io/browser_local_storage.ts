/**
 * `localstorage://name`: models in the page's localStorage, in TensorFlow.js's schema (tfjs-core
 * io/local_storage.ts), so that either library loads what the other saved. Five string items
 * under `tensorflowjs_models/<name>/`: `info` (ModelArtifactsInfo as JSON), `model_topology`,
 * `weight_specs` (JSON), `weight_data` (base64) and `model_metadata` (JSON: format,
 * generatedBy, convertedBy, trainingConfig; hebb adds its `hebb` key there, the optimizer
 * state's bytes in base64 as `hebb.optimizerData`).
 *
 * localStorage has no transactions: a save that fails part way (the quota, mostly: a few MB per
 * origin) puts back every item it had replaced, so the previous model of that name stays whole.
 * A tab killed between two setItem calls can still leave a mix; IndexedDB has no such window.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { IOHandler } from './artifacts.js';
import { artifactsInfo, readStoredArtifacts, type ModelArtifactsInfo } from './browser_indexeddb.js';
import { OPTIMIZER_SHARD, WEIGHTS_SHARD, fromBase64, hebbJson, specsJson, stripScheme, toBase64 } from './browser_source.js';
import { isObject } from './keras_json.js';

export const LS_SCHEME = 'localstorage://';
const PREFIX = 'tensorflowjs_models';
const SUFFIXES = ['info', 'model_topology', 'weight_specs', 'weight_data', 'model_metadata'] as const;
type Suffix = (typeof SUFFIXES)[number];

export interface LocalStorageOptions {
  /** [globalThis.localStorage] the Storage to use. */
  localStorage?: Storage;
}

function storage(options: LocalStorageOptions, op: string): Storage {
  const s = options.localStorage ?? (globalThis as { localStorage?: Storage }).localStorage;
  if (!s) throw new ValueError(`${op}: ${LS_SCHEME} needs localStorage, which this environment lacks (Node has none: save to a directory path there)`);
  return s;
}

const key = (path: string, suffix: Suffix): string => `${PREFIX}/${path}/${suffix}`;

function parse(s: Storage, path: string, suffix: Suffix, name: string): unknown {
  const text = s.getItem(key(path, suffix));
  if (text === null) throw new ValueError(`loadModel: ${name}: the item "${key(path, suffix)}" is missing from localStorage`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValueError(`loadModel: ${name}: the item "${key(path, suffix)}" is not valid JSON (corrupted?)`);
  }
}

/** tfjs's `tf.io.browserLocalStorage(name)`: the IOHandler behind `localstorage://name`. */
export function browserLocalStorage(modelPath: string, options: LocalStorageOptions = {}): IOHandler {
  const path = stripScheme(String(modelPath), LS_SCHEME, 'browserLocalStorage');
  const name = LS_SCHEME + path;
  return {
    save: async (a) => {
      const s = storage(options, 'save');
      const hebb = await hebbJson(a, WEIGHTS_SHARD, OPTIMIZER_SHARD);
      if (a.optimizerSpecs.length > 0) hebb['optimizerData'] = toBase64(a.optimizerData);
      const metadata: Record<string, unknown> = { format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, hebb };
      if (a.trainingConfig) metadata['trainingConfig'] = a.trainingConfig;
      const items: Record<Suffix, string> = {
        info: JSON.stringify(artifactsInfo(a)),
        model_topology: JSON.stringify(a.modelTopology),
        weight_specs: JSON.stringify(specsJson(a.weightSpecs)),
        weight_data: toBase64(a.weightData),
        model_metadata: JSON.stringify(metadata),
      };
      const before = SUFFIXES.map((x) => [key(path, x), s.getItem(key(path, x))] as const);
      try {
        for (const x of SUFFIXES) s.setItem(key(path, x), items[x]);
      } catch (e) {
        for (const [k, v] of before) v === null ? s.removeItem(k) : s.setItem(k, v);
        const bytes = Object.values(items).reduce((n, v) => n + v.length * 2, 0);
        throw new ValueError(`save: ${name}: localStorage refused about ${bytes} bytes (${e instanceof Error ? e.name : String(e)}; its quota is a few MB per origin, use indexeddb:// for larger models); the previous model of that name is unchanged`);
      }
    },
    load: async () => {
      const s = storage(options, 'loadModel');
      if (s.getItem(key(path, 'info')) === null) throw new ValueError(`loadModel: ${name}: no model of that name in localStorage`);
      const metadata = s.getItem(key(path, 'model_metadata')) === null ? {} : parse(s, path, 'model_metadata', name);
      if (!isObject(metadata)) throw new ValueError(`loadModel: ${name}: model_metadata must be an object, received ${fmtReceived(metadata)}`);
      const weights = s.getItem(key(path, 'weight_data'));
      if (weights === null) throw new ValueError(`loadModel: ${name}: the item "${key(path, 'weight_data')}" is missing from localStorage`);
      const hebb = metadata['hebb'];
      const shards = new Map<string, Uint8Array>();
      let storedHebb: unknown = hebb;
      if (isObject(hebb) && typeof hebb['optimizerData'] === 'string') {
        shards.set(OPTIMIZER_SHARD, fromBase64(hebb['optimizerData'], `loadModel: ${name}: hebb.optimizerData`));
        const { optimizerData: _, ...rest } = hebb;
        storedHebb = rest;
      }
      return readStoredArtifacts(
        name,
        {
          modelTopology: parse(s, path, 'model_topology', name),
          weightSpecs: parse(s, path, 'weight_specs', name),
          weightData: fromBase64(weights, `loadModel: ${name}: ${key(path, 'weight_data')}`),
          format: metadata['format'],
          generatedBy: metadata['generatedBy'],
          convertedBy: metadata['convertedBy'],
          trainingConfig: metadata['trainingConfig'],
          hebb: storedHebb,
        },
        shards,
      );
    },
  };
}

/** Every model in localStorage, by `localstorage://` URL, with its info. */
export function listLocalStorage(options: LocalStorageOptions = {}): Record<string, ModelArtifactsInfo> {
  const s = storage(options, 'listModels');
  const out: Record<string, ModelArtifactsInfo> = {};
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    const m = k === null ? null : /^tensorflowjs_models\/(.+)\/info$/.exec(k);
    if (!m || k === null) continue;
    try {
      out[LS_SCHEME + (m[1] as string)] = JSON.parse(s.getItem(k) ?? 'null') as ModelArtifactsInfo;
    } catch {
      // A corrupted info item is still a model there; loading it says what is wrong.
      out[LS_SCHEME + (m[1] as string)] = null as unknown as ModelArtifactsInfo;
    }
  }
  return out;
}

export function removeLocalStorage(url: string, options: LocalStorageOptions = {}): ModelArtifactsInfo {
  const path = stripScheme(url, LS_SCHEME, 'removeModel');
  const s = storage(options, 'removeModel');
  const info = s.getItem(key(path, 'info'));
  if (info === null) throw new ValueError(`removeModel: ${LS_SCHEME}${path}: no model of that name in localStorage`);
  for (const x of SUFFIXES) s.removeItem(key(path, x));
  try {
    return JSON.parse(info) as ModelArtifactsInfo;
  } catch {
    return null as unknown as ModelArtifactsInfo;
  }
}
