/**
 * hebb's public surface: re-exports only. Everything that runs in a page lives in browser.ts
 * (the browser bundle's entry); Node adds the dataset loaders, which read files with
 * node:fs/zlib and download with node:http, and widens `callbacks` with TensorBoard (see
 * callbacks/node.ts) and `data` with the streaming CSV reader (data/node.ts); these explicit exports take precedence over browser.js's `callbacks` and `data`.
 */
export * from './browser.js';
// The native backend (a C++ addon, Node only): registered here, never in the browser bundle.
import './backends/native/register.js';
export * as datasets from './io/datasets/index.js';
export * as callbacks from './callbacks/node.js';
export * as tuner from './tuner/index.js';
// Node's plot adds the rendering (vega, resvg) and file writing to the browser's spec builders.
export * as plot from './plot/node.js';
export * as data from './data/node.js';
