/**
 * The file handler behind `model.save(dir)` / `loadModel(dir)` (Node only: it reaches node:fs
 * through process.getBuiltinModule, so the browser bundle carries it without importing Node).
 *
 * A save is a directory: `model.json`, `group1-shardKofN.bin` (4 MiB shards, as tfjs writes
 * them) and, for the optimizer state, `optimizer-shardKofN.bin`. It is written atomically:
 *
 * 1. everything goes into a new sibling `<dir>.tmp-<pid>-<random>`, each file fsync'ed, then
 *    the directory itself;
 * 2. the previous save (if any) is renamed to `<dir>.previous`, the new one renamed to `<dir>`,
 *    the parent directory fsync'ed, and `<dir>.previous` removed.
 *
 * A kill at any point leaves a complete save: `<dir>` (old or new), or, between the two renames
 * of step 2, only `<dir>.previous`, which loadModel then reads. Stale `.tmp-` folders of a
 * killed save are removed by the next save. One writer at a time per directory.
 */
import { ValueError } from '../../core/errors.js';
import type { IOHandler, ModelArtifacts } from './artifacts.js';
import { HEBB_KEY } from './artifacts.js';
import { readModelJson } from './read_files.js';
import type { JsonObject } from './keras_json.js';
import type { WeightSpec } from './weights.js';
import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import type * as Crypto from 'node:crypto';

export const SHARD_BYTES = 4 * 1024 * 1024;
export const MODEL_JSON = 'model.json';

export interface NodeModules {
  fs: typeof Fs;
  path: typeof Path;
  crypto: typeof Crypto;
}

export function nodeModules(op: string): NodeModules {
  const get = typeof process !== 'undefined' ? process.getBuiltinModule : undefined;
  if (typeof get !== 'function') throw new ValueError(`${op}: a file path needs Node (20.16 or later); in a browser pass an IOHandler`);
  return { fs: get('node:fs') as typeof Fs, path: get('node:path') as typeof Path, crypto: get('node:crypto') as typeof Crypto };
}

function shardNames(prefix: string, bytes: number): string[] {
  const n = Math.max(1, Math.ceil(bytes / SHARD_BYTES));
  return Array.from({ length: n }, (_, i) => `${prefix}-shard${i + 1}of${n}.bin`);
}

export function writeSynced(m: NodeModules, file: string, data: Uint8Array | string): void {
  const fd = m.fs.openSync(file, 'w');
  try {
    if (typeof data === 'string') m.fs.writeSync(fd, data);
    else m.fs.writeSync(fd, data);
    m.fs.fsyncSync(fd);
  } finally {
    m.fs.closeSync(fd);
  }
}

export function fsyncDir(m: NodeModules, dir: string): void {
  const fd = m.fs.openSync(dir, 'r');
  try {
    m.fs.fsyncSync(fd);
  } finally {
    m.fs.closeSync(fd);
  }
}

/** Writes `data` as shards into `dir`; returns the manifest group and each shard's sha256. */
function writeShards(m: NodeModules, dir: string, prefix: string, specs: WeightSpec[], data: Uint8Array, digests: JsonObject): JsonObject {
  const names = shardNames(prefix, data.byteLength);
  names.forEach((name, i) => {
    const part = data.subarray(i * SHARD_BYTES, Math.min(data.byteLength, (i + 1) * SHARD_BYTES));
    writeSynced(m, m.path.join(dir, name), part);
    digests[name] = m.crypto.createHash('sha256').update(part).digest('hex');
  });
  return { paths: names, weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype })) };
}

/** The JSON of model.json and the files it names, written into `dir` (which exists, empty). */
function writeSave(m: NodeModules, dir: string, a: ModelArtifacts): void {
  const digests: JsonObject = {};
  const weightsManifest = [writeShards(m, dir, 'group1', a.weightSpecs, a.weightData, digests)];
  const hebb: JsonObject = { ...(a.hebb ?? {}) };
  if (a.optimizerSpecs.length > 0) hebb['optimizerManifest'] = [writeShards(m, dir, 'optimizer', a.optimizerSpecs, a.optimizerData, digests)];
  hebb['shardDigests'] = digests;
  const json: JsonObject = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest,
  };
  if (a.trainingConfig) json['trainingConfig'] = a.trainingConfig;
  json[HEBB_KEY] = hebb;
  writeSynced(m, m.path.join(dir, MODEL_JSON), JSON.stringify(json));
  fsyncDir(m, dir);
}

export function saveToDirectory(dir: string, a: ModelArtifacts): void {
  const m = nodeModules('save');
  const target = m.path.resolve(dir);
  const parent = m.path.dirname(target);
  const base = m.path.basename(target);
  m.fs.mkdirSync(parent, { recursive: true });
  const exists = m.fs.existsSync(target);
  if (exists && (!m.fs.statSync(target).isDirectory() || !m.fs.existsSync(m.path.join(target, MODEL_JSON)))) {
    throw new ValueError(`save: ${target} exists and is not a saved model (no ${MODEL_JSON} in it); refusing to replace it`);
  }
  // Leftovers of a killed save: never a complete save, so never needed.
  for (const e of m.fs.readdirSync(parent)) if (e.startsWith(`${base}.tmp-`)) m.fs.rmSync(m.path.join(parent, e), { recursive: true, force: true });
  const tmp = m.path.join(parent, `${base}.tmp-${process.pid}-${m.crypto.randomBytes(4).toString('hex')}`);
  m.fs.mkdirSync(tmp);
  try {
    writeSave(m, tmp, a);
  } catch (e) {
    m.fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const previous = `${target}.previous`;
  if (exists) {
    // `target` is complete, so an older `.previous` is not needed any more.
    m.fs.rmSync(previous, { recursive: true, force: true });
    m.fs.renameSync(target, previous);
  }
  m.fs.renameSync(tmp, target);
  fsyncDir(m, parent);
  m.fs.rmSync(previous, { recursive: true, force: true });
}

/** The IOHandler for a path: save to a directory; load from a directory or a model.json file. */
export function fileHandler(path: string): IOHandler {
  if (typeof path !== 'string' || path === '') throw new ValueError(`model files: the path must be a non-empty string`);
  return {
    save: async (a) => saveToDirectory(path, a),
    load: async () => readModelJson(path),
  };
}
