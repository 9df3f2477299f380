/**
 * hebb's public surface: re-exports only. Everything that runs in a page lives in browser.ts
 * (the browser bundle's entry); Node adds the dataset loaders, which read files with
 * node:fs/zlib and download with node:http.
 */
export * from './browser.js';
export * as datasets from './io/datasets/index.js';
