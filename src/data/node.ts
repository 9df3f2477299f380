/** `hb.data` under Node: the browser-safe pipeline (index.ts) plus the streaming CSV reader. */
export * from './index.js';
export { csv, type CsvDatasetOptions } from './csv.js';
