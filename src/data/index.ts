/** `hb.data`: dataset pipelines for fit, evaluate and predict (docs/DATA.md). Browser-safe; `hb.data.csv` is added in node.ts. */
export { Dataset, type Batched, type BatchOptions, type IterSource } from './dataset.js';
export type { ShuffleOptions } from './shuffle.js';
export type { HostArray, Leaf } from './structure.js';
export { fromArrays, fromGenerator, fromTensorSlices, type Sample } from './sources.js';
