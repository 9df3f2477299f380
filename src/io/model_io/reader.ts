/**
 * Reading a layers model, wherever its files live (a folder, a web server), trusting nothing in
 * it: model.json's size is bounded before it is parsed; a Keras `.keras`/`.h5` file is recognized
 * and refused by its first bytes; the manifest's groups, shard paths (plain file names beside
 * model.json: no directories, no `..`) and weight specs are checked, and the shards' sizes are
 * compared with what the specs need before their bytes are kept — a shard is never read past
 * the bytes the specs allow. hebb's saves also carry each shard's sha256, checked after reading.
 * Errors name the file and what is wrong.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { ModelArtifacts } from './artifacts.js';
import { HEBB_KEY } from './artifacts.js';
import { isObject, type Json, type JsonObject } from './keras_json.js';
import { checkSpecs, type WeightSpec } from './weights.js';

/** model.json holds the architecture only; real ones are kilobytes. */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;
const MAX_GROUPS = 1024;
const MAX_SHARDS = 65536;

/** Where the files are: model.json and the shards beside it. */
export interface ModelSource {
  /** model.json's name in errors (a path or a URL). */
  readonly name: string;
  /** model.json's bytes; more than `max` is an error (thrown here, naming the file). */
  readJson(max: number): Promise<Uint8Array>;
  /** A shard's name in errors. */
  shardName(path: string): string;
  /** A shard's size when it can be known without reading it (a file); null otherwise. */
  size(path: string): Promise<number | null>;
  /** A shard's bytes, at most `max + 1` of them (a longer shard is detected, not read whole). */
  read(path: string, max: number): Promise<Uint8Array>;
}

function sniff(head: Uint8Array, file: string): void {
  if (head[0] === 0x50 && head[1] === 0x4b) throw new ValueError(`loadModel: ${file} is a zip archive (a Keras .keras file?), not a TensorFlow.js layers model (model.json)`);
  if (head[0] === 0x89 && head[1] === 0x48 && head[2] === 0x44 && head[3] === 0x46) {
    throw new ValueError(`loadModel: ${file} is an HDF5 file (a Keras .h5 file?), not a TensorFlow.js layers model (model.json)`);
  }
}

async function readJson(src: ModelSource): Promise<JsonObject> {
  const file = src.name;
  const bytes = await src.readJson(MAX_MODEL_JSON_BYTES);
  sniff(bytes.subarray(0, 8), file);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ValueError(`loadModel: ${file} is not valid JSON (truncated or corrupted?): ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(json) || !('modelTopology' in json) || !('weightsManifest' in json)) {
    throw new ValueError(`loadModel: ${file} is not a TensorFlow.js layers model: it needs "modelTopology" and "weightsManifest"`);
  }
  const format = json['format'];
  if (format !== undefined && format !== null && format !== 'layers-model') {
    throw new ValueError(`loadModel: ${file}: format is ${fmtReceived(format)}; only "layers-model" files can be loaded (a graph model has no layers)`);
  }
  return json;
}

function checkPath(p: unknown, file: string): string {
  if (typeof p !== 'string') throw new ValueError(`loadModel: ${file}: a shard path must be a string, received ${fmtReceived(p)}`);
  const name = p.startsWith('./') ? p.slice(2) : p;
  if (name === '' || name === '.' || name === '..' || /[/\\?#%:]/.test(name) || name.includes('\0')) {
    throw new ValueError(`loadModel: ${file}: shard path ${JSON.stringify(p)} must be a file name beside model.json`);
  }
  return name;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A manifest's specs and its bytes, read from the shards after every check. */
async function readManifest(src: ModelSource, manifest: Json | undefined, digests: JsonObject | null, key: string): Promise<{ specs: WeightSpec[]; data: Uint8Array }> {
  const file = src.name;
  if (!Array.isArray(manifest)) throw new ValueError(`loadModel: ${file}: "${key}" must be a list of {paths, weights}, received ${fmtReceived(manifest)}`);
  if (manifest.length > MAX_GROUPS) throw new ValueError(`loadModel: ${file}: "${key}" has ${manifest.length} groups (at most ${MAX_GROUPS})`);
  const groups = [];
  for (const [gi, g] of manifest.entries()) {
    const where = `loadModel: ${file}: ${key}[${gi}]`;
    if (!isObject(g) || !Array.isArray(g['paths'])) throw new ValueError(`${where} must be {paths, weights}, received ${fmtReceived(g)}`);
    if (g['paths'].length > MAX_SHARDS) throw new ValueError(`${where}: ${g['paths'].length} shards (at most ${MAX_SHARDS})`);
    const paths = g['paths'].map((p) => checkPath(p, file));
    const { specs, bytes } = checkSpecs(g['weights'], where);
    let have = 0;
    let known = true;
    for (const p of paths) {
      const s = await src.size(p);
      if (s === null) known = false;
      else have += s;
    }
    const mismatch = (n: number): never => {
      throw new ValueError(`loadModel: ${file}: the shards of ${key}[${gi}] (${paths.join(', ')}) hold ${n} bytes, the weights need ${bytes} (truncated or edited?)`);
    };
    if (known && have !== bytes) mismatch(have);
    groups.push({ paths, specs, bytes, mismatch });
  }
  const total = groups.reduce((n, g) => n + g.bytes, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const g of groups) {
    const start = at;
    for (const p of g.paths) {
      const left = start + g.bytes - at;
      const bytes = await src.read(p, left);
      if (bytes.byteLength > left) g.mismatch(at - start + bytes.byteLength);
      const want = digests?.[p];
      if (typeof want === 'string' && (await sha256(bytes)) !== want) {
        throw new ValueError(`loadModel: ${src.shardName(p)} does not match the sha256 recorded in ${file} (corrupted?)`);
      }
      data.set(bytes, at);
      at += bytes.byteLength;
    }
    if (at - start !== g.bytes) g.mismatch(at - start);
  }
  return { specs: groups.flatMap((g) => g.specs), data };
}

export async function readArtifacts(src: ModelSource): Promise<ModelArtifacts> {
  const file = src.name;
  const json = await readJson(src);
  const rawHebb = json[HEBB_KEY];
  if (rawHebb !== undefined && !isObject(rawHebb)) throw new ValueError(`loadModel: ${file}: "${HEBB_KEY}" must be an object, received ${fmtReceived(rawHebb)}`);
  const hebb = rawHebb ?? null;
  const digests = hebb && isObject(hebb['shardDigests']) ? hebb['shardDigests'] : null;
  const weights = await readManifest(src, json['weightsManifest'], digests, 'weightsManifest');
  const opt = hebb && hebb['optimizerManifest'] !== undefined ? await readManifest(src, hebb['optimizerManifest'], digests, `${HEBB_KEY}.optimizerManifest`) : { specs: [], data: new Uint8Array(0) };
  const topology = json['modelTopology'];
  const training = json['trainingConfig'];
  return {
    modelTopology: isObject(topology) ? topology : null,
    format: 'layers-model',
    generatedBy: typeof json['generatedBy'] === 'string' ? json['generatedBy'] : '',
    convertedBy: typeof json['convertedBy'] === 'string' ? json['convertedBy'] : null,
    trainingConfig: isObject(training) ? training : null,
    weightSpecs: weights.specs,
    weightData: weights.data,
    hebb,
    optimizerSpecs: opt.specs,
    optimizerData: opt.data,
    source: file,
  };
}
