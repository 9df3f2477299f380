/**
 * What a layer is given: the options every layer takes (LayerArgs), the option names each
 * layer checks unknown keys against (checkOptions), call arguments, addWeight's options, and
 * the regularizer and constraint interfaces weights carry. Split from layer.ts, which
 * re-exports all of it.
 */
import type { DType } from '../core/dtype.js';
import type { OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import type { getInitializer } from '../initializers/index.js';
import type { SymbolicShape } from './symbolic.js';

/** Anything `getInitializer` resolves: 'glorotUniform', an Initializer, `{className, config}`. */
export type InitializerId = Parameters<typeof getInitializer>[0];

/**
 * A weight penalty added to the loss (the regularizers module implements it: l1, l2, l1l2).
 * `apply(w)` returns a scalar.
 */
export interface Regularizer {
  readonly className: string;
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** A projection applied to a weight after each optimizer update (maxNorm, nonNeg...). */
export interface Constraint {
  readonly className: string;
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** A layer's configuration: plain JSON. */
export type LayerConfig = Record<string, unknown>;

export interface LayerArgs {
  /** Unique by default: `dense`, `dense_1`, ... per class, as in Keras. */
  name?: string;
  /** [true] false freezes the layer: its weights move to nonTrainableWeights. */
  trainable?: boolean;
  /** ['float32'] dtype of the weights and of the computation; float inputs are cast to it. */
  dtype?: DType;
  /**
   * Keras's shortcut for a model's first layer: the shape of one sample, without the batch
   * dimension. `sequential([flatten({inputShape: [28, 28]}), ...])` starts with an implicit
   * `input({shape: [28, 28]})`, so the model is built at once. A Sequential rejects it on
   * any later layer; the functional API and direct calls do not use it (input(...) and the
   * tensors give the shapes there).
   */
  inputShape?: SymbolicShape;
  /** inputShape with the batch dimension in front (`[32, 28, 28]`, or null for any batch size). */
  batchInputShape?: SymbolicShape;
}

/** The names in LayerArgs, which every layer accepts (checkOptions). */
export const LAYER_ARGS: OptionKeys<LayerArgs> = { name: true, trainable: true, dtype: true, inputShape: true, batchInputShape: true };

/** A layer's own option names: those of its Args type beyond LayerArgs. */
export type OwnArgs<A extends LayerArgs> = OptionKeys<Omit<A, keyof LayerArgs>>;

/** What a layer that takes only LayerArgs passes as its own names (Flatten, Add). */
export const NO_OWN_ARGS: OwnArgs<LayerArgs> = {};

export interface CallArgs {
  /** [false] training mode (dropout active, batch statistics). */
  training?: boolean;
}

export const CALL_ARGS: OptionKeys<CallArgs> = { training: true };

export interface AddWeightOptions {
  name: string;
  shape: readonly number[];
  /** ['glorotUniform' for float weights, 'zeros' otherwise, as Keras's add_weight]. */
  initializer?: InitializerId;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  /** [true] */
  trainable?: boolean;
  /** [the layer's dtype] */
  dtype?: DType;
}

export const ADD_WEIGHT_OPTIONS: OptionKeys<AddWeightOptions> = { name: true, shape: true, initializer: true, regularizer: true, constraint: true, trainable: true, dtype: true };
