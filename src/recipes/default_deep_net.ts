/**
 * The book's default deep network (Hands-On ML, ch. 11, "Summary and Practical Guidelines",
 * Table 11-3), built and compiled:
 * - He initialization (`heNormal`): keeps the variance of the activations and of the gradients
 *   about constant from layer to layer for ReLU-family activations (Glorot's condition for
 *   fan-in), which is what lets a deep stack train at all.
 * - ELU (the book's first choice; its 3rd edition prefers Swish for deep nets: `activation:
 *   'swish'`): smooth, nonzero gradient for negative inputs, mean output near 0.
 * - Batch normalization when the network is deep (`batchNormalization: 'auto'`: more than
 *   DEEP_AFTER hidden layers): after the input and after each hidden layer, as in the book's
 *   listing. It fights the vanishing/exploding gradients that initialization alone does not fix
 *   deep down, at the cost of some speed; shallow nets don't need it.
 * - Regularization: early stopping (`defaultCallbacks`), plus ℓ2 on the kernels (`l2`) or
 *   decoupled weight decay (`weightDecay`, AdamW's way) if the model overfits.
 * - Optimizer: Nadam (default) or AdamW, or Nesterov momentum (`optimizer: 'sgd'`).
 * - Schedule: performance scheduling (ReduceLROnPlateau, in `defaultCallbacks`) or 1cycle
 *   (`learningRate: hb.schedules.oneCycle({...})`).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { getActivation, type ActivationId } from '../activations.js';
import { batchNormalization, dense, flatten, input } from '../layers/index.js';
import type { Layer } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { l2 as l2Regularizer } from '../regularizers/index.js';
import { sequential, type Sequential } from '../models/sequential.js';
import { NET_OPTIONS, checkNet, recipeOptimizer, type NetOptions } from './common.js';

/** More hidden layers than this makes a net "deep" for `batchNormalization: 'auto'`. */
export const DEEP_AFTER = 5;

export interface DefaultDeepNetOptions extends NetOptions {
  /** ['elu'] the hidden layers' activation ('swish' for the 3rd edition's deep nets). */
  activation?: ActivationId;
  /** ['auto': when depth > DEEP_AFTER] batch normalization after the input and each hidden layer. */
  batchNormalization?: boolean | 'auto';
  /** [0: none] an ℓ2 penalty factor on every kernel (Keras's l2: factor·Σw²). */
  l2?: number;
  /** [AdamW: Keras's 0.004; otherwise none] decoupled weight decay, skipping biases and batch-norm weights. */
  weightDecay?: number;
}

const DEFAULT_DEEP_NET_OPTIONS: OptionKeys<DefaultDeepNetOptions> = { ...NET_OPTIONS, activation: true, batchNormalization: true, l2: true, weightDecay: true };

function nonNegative(who: string, name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValueError(`${who}: ${name} must be a finite number >= 0, received ${fmtReceived(v)}`);
  return v;
}

/**
 * A compiled Sequential: [flatten if the input has several axes], depth × Dense(units,
 * activation, heNormal) with batch normalization when deep, then Dense(outputUnits,
 * outputActivation). Train it with `fit(x, y, {validationData, callbacks: defaultCallbacks()})`.
 */
export function defaultDeepNet(options: DefaultDeepNetOptions): Sequential {
  const who = 'defaultDeepNet';
  if (options === undefined) throw new ValueError(`${who}: options are required: {inputShape, outputUnits, ...}`);
  checkOptions(who, options, DEFAULT_DEEP_NET_OPTIONS);
  const net = checkNet(who, options, 3);
  const activation = options.activation ?? 'elu';
  getActivation(activation);
  const bnOption = options.batchNormalization ?? 'auto';
  const bn = bnOption === 'auto' ? net.depth > DEEP_AFTER : boolOption(who, 'batchNormalization', bnOption, false);
  const l2 = nonNegative(who, 'l2', options.l2) ?? 0;
  const weightDecay = nonNegative(who, 'weightDecay', options.weightDecay);
  const optimizer = recipeOptimizer(who, options.optimizer, 'nadam', options.learningRate, weightDecay);
  const kernelRegularizer = l2 > 0 ? l2Regularizer(l2) : null;

  const layers: (Layer | SymbolicTensor)[] = [input({ shape: net.inputShape })];
  if (net.inputShape.length > 1) layers.push(flatten());
  if (bn) layers.push(batchNormalization());
  for (let i = 0; i < net.depth; i++) {
    layers.push(dense({ units: net.units, activation, kernelInitializer: 'heNormal', kernelRegularizer }));
    if (bn) layers.push(batchNormalization());
  }
  layers.push(dense({ units: net.outputUnits, activation: net.outputActivation, kernelRegularizer }));
  const model = sequential(layers, options.name === undefined ? {} : { name: options.name });
  model.compile({ optimizer, loss: net.loss, metrics: net.metrics });
  return model;
}
