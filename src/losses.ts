/** Keras losses (see losses/ for the implementation). */
export * from './losses/index.js';
