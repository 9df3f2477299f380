/**
 * Reading a layers-model from files, trusting nothing in them: model.json's size is bounded
 * before it is read; a Keras `.keras`/`.h5` file is recognized and refused by its first bytes;
 * the manifest's groups, shard paths (plain file names beside model.json: no directories, no
 * `..`) and weight specs are checked, and every shard's size is compared with what the specs
 * need, all before any weight buffer is allocated; hebb's saves also carry each shard's
 * sha256, checked after reading. Errors name the file and what is wrong.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { ModelArtifacts } from './artifacts.js';
import { HEBB_KEY } from './artifacts.js';
import { MODEL_JSON, nodeModules, type NodeModules } from './files.js';
import { isObject, type Json, type JsonObject } from './keras_json.js';
import { checkSpecs, type WeightSpec } from './weights.js';

/** model.json holds the architecture only; real ones are kilobytes. */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;
const MAX_GROUPS = 1024;
const MAX_SHARDS = 65536;

/** The model.json to read for `path`: the file itself, `<dir>/model.json`, or the `<dir>.previous` a killed save left. */
function locate(m: NodeModules, path: string): string {
  const p = m.path.resolve(path);
  if (m.fs.existsSync(p)) return m.fs.statSync(p).isDirectory() ? m.path.join(p, MODEL_JSON) : p;
  const prev = m.path.join(`${p}.previous`, MODEL_JSON);
  if (m.fs.existsSync(prev)) return prev;
  throw new ValueError(`loadModel: ${p} does not exist`);
}

function sniff(m: NodeModules, file: string): void {
  const fd = m.fs.openSync(file, 'r');
  const head = Buffer.alloc(8);
  try {
    m.fs.readSync(fd, head, 0, 8, 0);
  } finally {
    m.fs.closeSync(fd);
  }
  if (head[0] === 0x50 && head[1] === 0x4b) throw new ValueError(`loadModel: ${file} is a zip archive (a Keras .keras file?), not a TensorFlow.js layers model (model.json)`);
  if (head.subarray(0, 4).toString('latin1') === '\x89HDF') throw new ValueError(`loadModel: ${file} is an HDF5 file (a Keras .h5 file?), not a TensorFlow.js layers model (model.json)`);
}

function readJson(m: NodeModules, file: string): JsonObject {
  const size = m.fs.statSync(file).size;
  if (size > MAX_MODEL_JSON_BYTES) throw new ValueError(`loadModel: ${file} has ${size} bytes; a model.json above ${MAX_MODEL_JSON_BYTES} is refused`);
  sniff(m, file);
  let json: unknown;
  try {
    json = JSON.parse(m.fs.readFileSync(file, 'utf8'));
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
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name) || name.includes('\0')) {
    throw new ValueError(`loadModel: ${file}: shard path ${JSON.stringify(p)} must be a file name beside model.json`);
  }
  return name;
}

/** A manifest's specs and its bytes, read from the shards after every check. */
function readManifest(m: NodeModules, file: string, manifest: Json | undefined, digests: JsonObject | null, key: string): { specs: WeightSpec[]; data: Uint8Array } {
  if (!Array.isArray(manifest)) throw new ValueError(`loadModel: ${file}: "${key}" must be a list of {paths, weights}, received ${fmtReceived(manifest)}`);
  if (manifest.length > MAX_GROUPS) throw new ValueError(`loadModel: ${file}: "${key}" has ${manifest.length} groups (at most ${MAX_GROUPS})`);
  const dir = m.path.dirname(file);
  const groups = manifest.map((g, gi) => {
    const where = `loadModel: ${file}: ${key}[${gi}]`;
    if (!isObject(g) || !Array.isArray(g['paths'])) throw new ValueError(`${where} must be {paths, weights}, received ${fmtReceived(g)}`);
    if (g['paths'].length > MAX_SHARDS) throw new ValueError(`${where}: ${g['paths'].length} shards (at most ${MAX_SHARDS})`);
    const paths = g['paths'].map((p) => checkPath(p, file));
    const { specs, bytes } = checkSpecs(g['weights'], where);
    let have = 0;
    for (const p of paths) {
      const shard = m.path.join(dir, p);
      if (!m.fs.existsSync(shard)) throw new ValueError(`loadModel: ${shard} (named in ${file}) does not exist`);
      have += m.fs.statSync(shard).size;
    }
    if (have !== bytes) throw new ValueError(`loadModel: ${file}: the shards of ${key}[${gi}] (${paths.join(', ')}) hold ${have} bytes, the weights need ${bytes} (truncated or edited?)`);
    return { paths, specs, bytes };
  });
  const total = groups.reduce((n, g) => n + g.bytes, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const g of groups) {
    for (const p of g.paths) {
      const shard = m.path.join(dir, p);
      const bytes = m.fs.readFileSync(shard);
      if (at + bytes.byteLength > total) throw new ValueError(`loadModel: ${shard} changed size while it was read`);
      const want = digests?.[p];
      if (typeof want === 'string' && m.crypto.createHash('sha256').update(bytes).digest('hex') !== want) {
        throw new ValueError(`loadModel: ${shard} does not match the sha256 recorded in ${file} (corrupted?)`);
      }
      data.set(bytes, at);
      at += bytes.byteLength;
    }
  }
  return { specs: groups.flatMap((g) => g.specs), data };
}

export function readModelJson(path: string): ModelArtifacts {
  const m = nodeModules('loadModel');
  const file = locate(m, path);
  const json = readJson(m, file);
  const rawHebb = json[HEBB_KEY];
  if (rawHebb !== undefined && !isObject(rawHebb)) throw new ValueError(`loadModel: ${file}: "${HEBB_KEY}" must be an object, received ${fmtReceived(rawHebb)}`);
  const hebb = rawHebb ?? null;
  const digests = hebb && isObject(hebb['shardDigests']) ? hebb['shardDigests'] : null;
  const weights = readManifest(m, file, json['weightsManifest'], digests, 'weightsManifest');
  const opt = hebb && hebb['optimizerManifest'] !== undefined ? readManifest(m, file, hebb['optimizerManifest'], digests, `${HEBB_KEY}.optimizerManifest`) : { specs: [], data: new Uint8Array(0) };
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
