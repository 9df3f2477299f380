/** Saving and loading models in TensorFlow.js's layers-model format (docs/SAVING.md). */
export { loadModel, type LoadOptions } from './load.js';
export { modelArtifacts, type SaveOptions } from './save.js';
export { fileHandler } from './files.js';
export type { IOHandler, ModelArtifacts } from './artifacts.js';
export type { WeightSpec } from './weights.js';
export { httpHandler, type HttpOptions } from './http.js';
export { browserIndexedDB, type BrowserStorageOptions, type ModelArtifactsInfo } from './browser_indexeddb.js';
export { browserLocalStorage, type LocalStorageOptions } from './browser_local_storage.js';
export { browserDownloads, browserFiles } from './browser_files.js';
export { listModels, removeModel } from './browser_route.js';
