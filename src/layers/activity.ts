/**
 * Activity regularization (Keras 3): each call of a layer with an activityRegularizer adds
 * regularizer(output)/batchSize per output to the layer's losses, and the outermost call
 * (a model's forward pass, or a layer called on its own) first clears the penalties of the
 * previous one, in every layer it contains. So a shared layer called twice in one pass keeps
 * both penalties, and a pass never sees those of the pass before.
 */
import { keep } from '../core/engine.js';
import type { Tensor } from '../core/tensor.js';
import { div } from '../ops/elementwise.js';
import type { Regularizer } from '../regularizers/index.js';

/** Layer calls in progress (calls are synchronous, so one counter serves). */
let depth = 0;
/** Counts outermost calls: penalties recorded in an earlier pass are stale. */
let pass = 0;

/**
 * The current pass. A layer that records a penalty frees its own from an earlier pass first,
 * so a layer the clearing does not reach (one a subclassed model keeps outside its
 * properties) holds one pass's penalties, never a growing list.
 */
export function currentPass(): number {
  return pass;
}

/** Runs one layer call; `clear` runs first when no other call is in progress. */
export function layerCall<T>(clear: () => void, fn: () => T): T {
  if (depth === 0) {
    pass++;
    clear();
  }
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/**
 * The penalty of one output, kept (the layer owns it until the next outermost call): divided
 * by the batch size when the output has a batch axis, not divided for an empty batch (Keras's
 * divide_no_nan gives 0 there; the sum over no elements is 0 already).
 */
export function activityPenalty(reg: Regularizer, y: Tensor): Tensor {
  const p = reg.apply(y);
  const batch = y.rank > 0 ? (y.shape[0] as number) : 0;
  return keep(batch > 0 ? div(p, batch) : p);
}
