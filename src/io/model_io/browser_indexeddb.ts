/**
 * `indexeddb://name`: models in the browser's IndexedDB, in TensorFlow.js's schema (tfjs-core
 * io/indexed_db.ts, 4.x), so that tfjs's `tf.loadLayersModel('indexeddb://name')` loads what hebb
 * saves there and hebb loads what tfjs saves:
 *
 * - database `tensorflowjs`, version 1, object stores `models_store` and `model_info_store`,
 *   both keyed by `modelPath` (the name after `indexeddb://`);
 * - models_store: `{modelPath, modelArtifacts, modelArtifactsInfo}`, modelArtifacts being
 *   tfjs's `{modelTopology, format, generatedBy, convertedBy, trainingConfig, weightSpecs,
 *   weightData: ArrayBuffer}`; hebb adds `hebb` (model.json's hebb key: compile options,
 *   optimizer manifest, sha256 digests) and `hebbOptimizerData` (the optimizer state's bytes),
 *   which tfjs does not read;
 * - model_info_store: `{modelPath, modelArtifactsInfo: {dateSaved, modelTopologyType: 'JSON',
 *   modelTopologyBytes, weightSpecsBytes, weightDataBytes}}`.
 *
 * A save writes both records in one readwrite transaction over both stores, so a failure (quota,
 * a closed tab) leaves the previous model of that name whole; tfjs uses two transactions.
 * A load turns the record back into model.json and its shards and reads them with reader.ts.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { IOHandler, ModelArtifacts } from './artifacts.js';
import { isObject } from './keras_json.js';
import { readArtifacts } from './reader.js';
import { OPTIMIZER_SHARD, WEIGHTS_SHARD, hebbJson, jsonBytes, memorySource, specsJson, stripScheme } from './browser_source.js';

export const IDB_SCHEME = 'indexeddb://';
export const DATABASE_NAME = 'tensorflowjs';
const DATABASE_VERSION = 1;
export const MODEL_STORE = 'models_store';
export const INFO_STORE = 'model_info_store';

export interface BrowserStorageOptions {
  /** [globalThis.indexedDB] the IDBFactory to use (another realm's, or a test's). */
  indexedDB?: IDBFactory;
}

/** tfjs's ModelArtifactsInfo. */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes: number;
  weightSpecsBytes: number;
  weightDataBytes: number;
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).byteLength;

export function artifactsInfo(a: ModelArtifacts): ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: a.modelTopology === null ? 0 : utf8Length(JSON.stringify(a.modelTopology)),
    weightSpecsBytes: utf8Length(JSON.stringify(specsJson(a.weightSpecs))),
    weightDataBytes: a.weightData.byteLength,
  };
}

function factory(options: BrowserStorageOptions, op: string): IDBFactory {
  const f = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) throw new ValueError(`${op}: ${IDB_SCHEME} needs IndexedDB, which this environment lacks (Node has none: save to a directory path there)`);
  return f;
}

function describe(e: DOMException | Error | null): string {
  return e ? `${e.name}: ${e.message}` : 'unknown error';
}

export function openDatabase(f: IDBFactory, op: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = f.open(DATABASE_NAME, DATABASE_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const s of [MODEL_STORE, INFO_STORE]) if (!db.objectStoreNames.contains(s)) db.createObjectStore(s, { keyPath: 'modelPath' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new ValueError(`${op}: cannot open the IndexedDB database "${DATABASE_NAME}": ${describe(req.error)}`));
    req.onblocked = () => reject(new ValueError(`${op}: the IndexedDB database "${DATABASE_NAME}" is blocked by another connection (an older version open in another tab?)`));
  });
}

/**
 * Runs `body` in one transaction over `stores` and resolves with what it returns once the
 * transaction has committed; any failure aborts it whole.
 */
export async function transact<T>(f: IDBFactory, stores: string[], mode: IDBTransactionMode, op: string, body: (tx: IDBTransaction) => () => T): Promise<T> {
  const db = await openDatabase(f, op);
  try {
    return await new Promise<T>((resolve, reject) => {
      let tx: IDBTransaction;
      try {
        tx = db.transaction(stores, mode);
      } catch (e) {
        return reject(new ValueError(`${op}: the IndexedDB database "${DATABASE_NAME}" lacks the stores ${stores.join(', ')}: ${describe(e as Error)}`));
      }
      let result: () => T;
      let failure: Error | null = null;
      tx.oncomplete = () => (failure ? reject(failure) : resolve(result()));
      tx.onabort = () => reject(failure ?? new ValueError(`${op}: the IndexedDB transaction was aborted (${describe(tx.error)}); nothing was changed`));
      try {
        result = body(tx);
      } catch (e) {
        // A put that throws (a value that cannot be cloned, say) must not let the other puts commit.
        failure = e instanceof Error ? e : new Error(String(e));
        tx.abort();
      }
    });
  } finally {
    db.close();
  }
}

/** The stored record's buffer (tfjs writes one ArrayBuffer; older versions may write a list). */
function buffer(v: unknown, where: string): Uint8Array {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v) && v.every((b) => b instanceof ArrayBuffer)) {
    const out = new Uint8Array(v.reduce((n: number, b: ArrayBuffer) => n + b.byteLength, 0));
    let at = 0;
    for (const b of v as ArrayBuffer[]) out.set(new Uint8Array(b), at), (at += b.byteLength);
    return out;
  }
  throw new ValueError(`${where} must be an ArrayBuffer, received ${fmtReceived(v)}`);
}

/** A stored `modelArtifacts` (tfjs's or hebb's) through reader.ts, as if it were model.json and its shards. */
export async function readStoredArtifacts(name: string, stored: unknown, extraShards: ReadonlyMap<string, Uint8Array> = new Map()): Promise<ModelArtifacts> {
  if (!isObject(stored)) throw new ValueError(`loadModel: ${name}: the stored model must be an object of tfjs ModelArtifacts, received ${fmtReceived(stored)}`);
  const ma = stored as Record<string, unknown>;
  if (ma['modelTopology'] instanceof ArrayBuffer) throw new ValueError(`loadModel: ${name} holds a binary (graph) topology; only layers models can be loaded`);
  const shards = new Map(extraShards);
  shards.set(WEIGHTS_SHARD, buffer(ma['weightData'] ?? new ArrayBuffer(0), `loadModel: ${name}: weightData`));
  if (ma['hebbOptimizerData'] !== undefined) shards.set(OPTIMIZER_SHARD, buffer(ma['hebbOptimizerData'], `loadModel: ${name}: hebbOptimizerData`));
  const json = {
    modelTopology: ma['modelTopology'] ?? null,
    format: ma['format'],
    generatedBy: ma['generatedBy'],
    convertedBy: ma['convertedBy'],
    trainingConfig: ma['trainingConfig'],
    weightsManifest: [{ paths: [WEIGHTS_SHARD], weights: ma['weightSpecs'] }],
    hebb: ma['hebb'],
  };
  let bytes: Uint8Array;
  try {
    bytes = jsonBytes(json);
  } catch (e) {
    throw new ValueError(`loadModel: ${name}: the stored model is not plain JSON data: ${e instanceof Error ? e.message : String(e)}`);
  }
  return readArtifacts(memorySource(name, bytes, shards));
}

/** The record hebb stores: tfjs's fields, then hebb's, with exact-length copies of the buffers. */
export async function storedArtifacts(a: ModelArtifacts): Promise<Record<string, unknown>> {
  const record: Record<string, unknown> = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightSpecs: specsJson(a.weightSpecs),
    weightData: a.weightData.slice().buffer,
    hebb: await hebbJson(a, WEIGHTS_SHARD, OPTIMIZER_SHARD),
  };
  if (a.trainingConfig) record['trainingConfig'] = a.trainingConfig;
  if (a.optimizerSpecs.length > 0) record['hebbOptimizerData'] = a.optimizerData.slice().buffer;
  return record;
}

/** tfjs's `tf.io.browserIndexedDB(name)`: the IOHandler behind `indexeddb://name`. */
export function browserIndexedDB(modelPath: string, options: BrowserStorageOptions = {}): IOHandler {
  const path = stripScheme(String(modelPath), IDB_SCHEME, 'browserIndexedDB');
  const name = IDB_SCHEME + path;
  return {
    save: async (a) => {
      const f = factory(options, 'save');
      const modelArtifacts = await storedArtifacts(a);
      const modelArtifactsInfo = artifactsInfo(a);
      await transact(f, [MODEL_STORE, INFO_STORE], 'readwrite', `save: ${name}`, (tx) => {
        tx.objectStore(MODEL_STORE).put({ modelPath: path, modelArtifacts, modelArtifactsInfo });
        tx.objectStore(INFO_STORE).put({ modelPath: path, modelArtifactsInfo });
        return () => undefined;
      });
    },
    load: async () => {
      const f = factory(options, 'loadModel');
      const record = await transact(f, [MODEL_STORE], 'readonly', `loadModel: ${name}`, (tx) => {
        const req = tx.objectStore(MODEL_STORE).get(path);
        return () => req.result as unknown;
      });
      if (record === undefined || record === null) throw new ValueError(`loadModel: ${name}: no model of that name in IndexedDB (database "${DATABASE_NAME}", store "${MODEL_STORE}")`);
      if (!isObject(record)) throw new ValueError(`loadModel: ${name}: the stored record must be {modelPath, modelArtifacts}, received ${fmtReceived(record)}`);
      return readStoredArtifacts(name, (record as Record<string, unknown>)['modelArtifacts']);
    },
  };
}

/** Every model in IndexedDB, by `indexeddb://` URL, with its info (tfjs's listModels). */
export async function listIndexedDB(options: BrowserStorageOptions = {}): Promise<Record<string, ModelArtifactsInfo>> {
  const f = factory(options, 'listModels');
  const rows = await transact(f, [INFO_STORE], 'readonly', 'listModels', (tx) => {
    const req = tx.objectStore(INFO_STORE).getAll();
    return () => req.result as unknown[];
  });
  const out: Record<string, ModelArtifactsInfo> = {};
  for (const r of rows) if (isObject(r)) out[IDB_SCHEME + String((r as Record<string, unknown>)['modelPath'])] = (r as Record<string, unknown>)['modelArtifactsInfo'] as ModelArtifactsInfo;
  return out;
}

/** Deletes both records of `indexeddb://name` in one transaction; returns its info (tfjs's removeModel). */
export async function removeIndexedDB(url: string, options: BrowserStorageOptions = {}): Promise<ModelArtifactsInfo> {
  const path = stripScheme(url, IDB_SCHEME, 'removeModel');
  const f = factory(options, 'removeModel');
  const info = await transact(f, [MODEL_STORE, INFO_STORE], 'readwrite', `removeModel: ${IDB_SCHEME}${path}`, (tx) => {
    const req = tx.objectStore(INFO_STORE).get(path);
    tx.objectStore(INFO_STORE).delete(path);
    tx.objectStore(MODEL_STORE).delete(path);
    return () => req.result as unknown;
  });
  if (!isObject(info)) throw new ValueError(`removeModel: ${IDB_SCHEME}${path}: no model of that name in IndexedDB`);
  return (info as Record<string, unknown>)['modelArtifactsInfo'] as ModelArtifactsInfo;
}
