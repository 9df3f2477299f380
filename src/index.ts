/**
 * hebb's public surface: re-exports only. Everything that runs in a page lives in browser.ts
 * (the browser bundle's entry); Node adds the dataset loaders, which read files with
 * node:fs/zlib and download with node:http, and widens `callbacks` with TensorBoard (see
 * callbacks/node.ts); this explicit export takes precedence over browser.js's `callbacks`.
 */
export * from './browser.js';
export * as datasets from './io/datasets/index.js';
export * as callbacks from './callbacks/node.js';
export * as tuner from './tuner/index.js';
// Node's plot adds the rendering (vega, resvg) and file writing to the browser's spec builders.
export * as plot from './plot/node.js';
