/**
 * What a layer is given: the options every layer takes (LayerArgs), the option names each
 * layer checks unknown keys against (checkOptions), call arguments, addWeight's options, and
 * the regularizer and constraint interfaces weights carry. Split from layer.ts, which
 * re-exports all of it.
 */
import type { DType } from '../core/dtype.js';
import type { OptionKeys } from '../core/options.js';
import type { getInitializer } from '../initializers/index.js';
import type { ConstraintId } from '../constraints/index.js';
import type { RegularizerId } from '../regularizers/index.js';
import type { SymbolicShape } from './symbolic.js';

/** Anything `getInitializer` resolves: 'glorotUniform', an Initializer, `{className, config}`. */
export type InitializerId = Parameters<typeof getInitializer>[0];

export type { Regularizer, RegularizerId } from '../regularizers/index.js';
export type { Constraint, ConstraintId } from '../constraints/index.js';

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
  /**
   * [null] A penalty on the layer's output, added to the loss: regularizer(output)/batchSize
   * for each output of each call (Keras 3 divides by the batch size so that the penalty's
   * weight does not change with it). `layer.losses` holds the last call's.
   */
  activityRegularizer?: RegularizerId | null;
}

/** The names in LayerArgs, which every layer accepts (checkOptions). */
export const LAYER_ARGS: OptionKeys<LayerArgs> = { name: true, trainable: true, dtype: true, inputShape: true, batchInputShape: true, activityRegularizer: true };

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
  /** [null] its penalty enters the loss while the weight is trainable */
  regularizer?: RegularizerId | null;
  /** [null] applied after each optimizer update */
  constraint?: ConstraintId | null;
  /** [true] */
  trainable?: boolean;
  /** [the layer's dtype] */
  dtype?: DType;
}

export const ADD_WEIGHT_OPTIONS: OptionKeys<AddWeightOptions> = { name: true, shape: true, initializer: true, regularizer: true, constraint: true, trainable: true, dtype: true };
