/**
 * Which IOHandler a string names, for model.save / saveWeights / loadModel / loadWeights (and so
 * modelCheckpoint, which calls them): tfjs's URL schemes, then HTTP, then a directory path.
 *
 *   indexeddb://name     save and load (browser_indexeddb.ts)
 *   localstorage://name  save and load (browser_local_storage.ts)
 *   downloads://name     save only: triggers downloads (browser_files.ts; load with browserFiles)
 *   http(s)://…          load only (http.ts)
 *   anything else        a directory (Node; files.ts)
 *
 * Also tfjs's `tf.io.listModels` / `removeModel` over the two browser storages.
 */
import { ValueError } from '../../core/errors.js';
import type { IOHandler } from './artifacts.js';
import { IDB_SCHEME, browserIndexedDB, listIndexedDB, removeIndexedDB, type ModelArtifactsInfo } from './browser_indexeddb.js';
import { LS_SCHEME, browserLocalStorage, listLocalStorage, removeLocalStorage } from './browser_local_storage.js';
import { DOWNLOADS_SCHEME, browserDownloads } from './browser_files.js';
import { fileHandler } from './files.js';
import { httpHandler, isHttpUrl } from './http.js';

export type IOOp = 'save' | 'saveWeights' | 'loadModel' | 'loadWeights';

/** The handler for `target`; `op` says whether it must save or load, for the error when it cannot. */
export function handlerFor(target: string, op: IOOp): IOHandler {
  const saving = op === 'save' || op === 'saveWeights';
  if (target.startsWith(IDB_SCHEME)) return browserIndexedDB(target);
  if (target.startsWith(LS_SCHEME)) return browserLocalStorage(target);
  if (target.startsWith(DOWNLOADS_SCHEME)) {
    if (!saving) throw new ValueError(`${op}: ${target}: downloads:// can only save; load the downloaded files with hb.browserFiles([jsonFile, ...binFiles])`);
    return browserDownloads(target);
  }
  if (isHttpUrl(target)) {
    if (saving) throw new ValueError(`${op}: ${target}: saving over HTTP is not supported; save to indexeddb://, downloads:// or a directory, or pass an IOHandler`);
    return httpHandler(target);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target)?.[1];
  if (scheme !== undefined && scheme.toLowerCase() !== 'file') {
    throw new ValueError(`${op}: ${target}: unknown scheme "${scheme}://" (known: indexeddb://, localstorage://, downloads://, http(s)://, or a directory path)`);
  }
  return fileHandler(target.replace(/^file:\/\//i, ''));
}

const hasIndexedDB = (): boolean => typeof (globalThis as { indexedDB?: unknown }).indexedDB === 'object';
const hasLocalStorage = (): boolean => {
  try {
    return typeof (globalThis as { localStorage?: unknown }).localStorage === 'object';
  } catch {
    // An opaque origin (a sandboxed iframe, file://) throws on the mere access.
    return false;
  }
};

/** tfjs's `tf.io.listModels()`: the models in IndexedDB and localStorage, by URL, with their info ({} where neither exists). */
export async function listModels(): Promise<Record<string, ModelArtifactsInfo>> {
  return { ...(hasIndexedDB() ? await listIndexedDB() : {}), ...(hasLocalStorage() ? listLocalStorage() : {}) };
}

/** tfjs's `tf.io.removeModel(url)`, for indexeddb:// and localstorage:// URLs; returns the removed model's info. */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  if (typeof url === 'string' && url.startsWith(IDB_SCHEME)) return removeIndexedDB(url);
  if (typeof url === 'string' && url.startsWith(LS_SCHEME)) return removeLocalStorage(url);
  throw new ValueError(`removeModel: expected an indexeddb:// or localstorage:// URL, received ${JSON.stringify(url)}`);
}
