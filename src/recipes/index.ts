/**
 * `hb.recipes`: the two default configurations that close the book's chapter 11, as functions
 * that build and compile a model (docs/RECIPES.md gives the reasoning).
 */
export { defaultDeepNet, DEEP_AFTER, type DefaultDeepNetOptions } from './default_deep_net.js';
export { selfNormalizingNet, type SelfNormalizingNetOptions } from './self_normalizing_net.js';
export { defaultCallbacks, type DefaultCallbacksOptions } from './callbacks.js';
export type { NetOptions, RecipeOptimizer } from './common.js';
