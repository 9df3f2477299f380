/**
 * What the browser handlers (IndexedDB, localStorage, downloads, browserFiles) share: the
 * model.json a save writes (files.ts writes the same keys for a directory), and a ModelSource
 * over bytes already in memory, so that a stored record is read by reader.ts with every check a
 * file gets (sizes, shard counts, specs, sha256 digests) and nothing is validated twice over.
 */
import { ValueError } from '../../core/errors.js';
import { HEBB_KEY, type ModelArtifacts } from './artifacts.js';
import type { JsonObject } from './keras_json.js';
import type { ModelSource } from './reader.js';

/** A storage's one "shard" of weights and of optimizer state: records hold one buffer each. */
export const WEIGHTS_SHARD = 'weights.bin';
export const OPTIMIZER_SHARD = 'optimizer.bin';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * hebb's key of model.json for artifacts whose weights lie in `weightsPath` and optimizer state
 * in `optimizerPath`: the optimizer manifest and both digests (reader.ts checks them on load).
 */
export async function hebbJson(a: ModelArtifacts, weightsPath: string, optimizerPath: string): Promise<JsonObject> {
  const hebb: JsonObject = { ...(a.hebb ?? {}) };
  const digests: JsonObject = { [weightsPath]: await sha256Hex(a.weightData) };
  if (a.optimizerSpecs.length > 0) {
    hebb['optimizerManifest'] = [{ paths: [optimizerPath], weights: specsJson(a.optimizerSpecs) }];
    digests[optimizerPath] = await sha256Hex(a.optimizerData);
  }
  hebb['shardDigests'] = digests;
  return hebb;
}

export function specsJson(specs: ModelArtifacts['weightSpecs']): JsonObject[] {
  return specs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype }));
}

/**
 * model.json (as tfjs's getModelJSONForModelArtifacts writes it, plus hebb's key) with one
 * weights shard; manifest paths get `prefix` ('./', as tfjs's downloads write), digests do not
 * (reader.ts looks them up by the bare file name).
 */
export async function modelJson(a: ModelArtifacts, weightsFile: string, optimizerFile: string, prefix = ''): Promise<JsonObject> {
  const json: JsonObject = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: [{ paths: [prefix + weightsFile], weights: specsJson(a.weightSpecs) }],
  };
  if (a.trainingConfig) json['trainingConfig'] = a.trainingConfig;
  const hebb = await hebbJson(a, weightsFile, optimizerFile);
  if (Array.isArray(hebb['optimizerManifest'])) hebb['optimizerManifest'] = [{ paths: [prefix + optimizerFile], weights: specsJson(a.optimizerSpecs) }];
  json[HEBB_KEY] = hebb;
  return json;
}

/** A ModelSource over model.json's bytes and named in-memory shards; `name` is used in errors. */
export function memorySource(name: string, json: Uint8Array, shards: ReadonlyMap<string, Uint8Array>): ModelSource {
  const shard = (p: string): Uint8Array => {
    const b = shards.get(p);
    if (b === undefined) throw new ValueError(`loadModel: ${name} names weights "${p}", which it does not hold (it has ${[...shards.keys()].join(', ') || 'none'})`);
    return b;
  };
  return {
    name,
    readJson: async (max) => {
      if (json.byteLength > max) throw new ValueError(`loadModel: ${name}: its model JSON has ${json.byteLength} bytes; above ${max} is refused`);
      return json;
    },
    shardName: (p) => `${name} (${p})`,
    size: async (p) => shard(p).byteLength,
    read: async (p, max) => shard(p).subarray(0, max + 1),
  };
}

/** The bytes of a JSON value, for memorySource. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** Base64 (localStorage holds strings), in chunks: String.fromCharCode(...all) overflows the stack on megabytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string, where: string): Uint8Array {
  let s: string;
  try {
    s = atob(text);
  } catch {
    throw new ValueError(`${where} is not valid base64 (corrupted?)`);
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A path after its scheme ('indexeddb://my-model' → 'my-model'), which must not be empty. */
export function stripScheme(url: string, scheme: string, op: string): string {
  const path = url.startsWith(scheme) ? url.slice(scheme.length) : url;
  if (path === '') throw new ValueError(`${op}: ${scheme} needs a model name after it (${scheme}my-model), received ${JSON.stringify(url)}`);
  return path;
}
