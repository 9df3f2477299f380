/** Python Keras files: `.keras` archives and legacy `.h5` full models (docs/FROM_KERAS.md). */
export { loadKerasModel, type LoadKerasOptions } from './load.js';
export type { KerasSource } from './source.js';
