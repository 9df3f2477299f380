/**
 * AdamW, Keras 3: Adam with the decoupled weight decay (CONVENTIONS step 3, w ← w − lr·wd·w
 * before the update) on by default, weightDecay 0.004 (PyTorch's AdamW defaults to 0.01).
 * Every hebb optimizer takes `weightDecay`; AdamW only changes its default.
 */
import { adamFamily, type AdamOptimizerState, type AdamOptions } from './adam.js';
import type { RateOptimizer } from './transform.js';

export type AdamWOptions = AdamOptions;

export function adamw(options: AdamWOptions = {}): RateOptimizer<AdamOptimizerState> {
  return adamFamily('adamw', options, 0.004);
}
