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

// A layer that records a penalty frees its own from an earlier pass first, so a layer the
// clearing does not reach (one a subclassed model keeps outside its properties) holds one
// pass's penalties, never a growing list.

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
 * One layer's penalties. Each is kept (the layer owns it until the next pass or dispose):
 * regularizer(y) divided by the batch size when y has a batch axis, not divided for an empty
 * batch (Keras's divide_no_nan gives 0 there; the sum over no elements is 0 already).
 */
export class ActivityLosses {
  #list: Tensor[] = [];
  #pass = -1;

  get list(): Tensor[] {
    return [...this.#list];
  }

  clear(): void {
    for (const t of this.#list) t.dispose();
    this.#list = [];
  }

  /** Adds the penalty of each output, first freeing those of an earlier pass (stale). */
  record(reg: Regularizer, out: Tensor | readonly Tensor[]): void {
    if (this.#pass !== pass) this.clear();
    this.#pass = pass;
    for (const y of Array.isArray(out) ? out : [out]) {
      const p = reg.apply(y);
      const batch = y.rank > 0 ? (y.shape[0] as number) : 0;
      this.#list.push(keep(batch > 0 ? div(p, batch) : p));
    }
  }
}
