/** Keras metrics (see metrics/ for the implementation). */
export * from './metrics/index.js';
