/** Keras initializers (see initializers/ for the implementation). */
export * from './initializers/index.js';
