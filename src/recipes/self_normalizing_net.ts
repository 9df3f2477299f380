/**
 * The book's self-normalizing network (Hands-On ML, ch. 11, Table 11-4; Klambauer et al. 2017),
 * built and compiled. Under SELU, a plain stack of dense layers keeps each layer's outputs at
 * mean 0 and standard deviation 1 during training, so it trains at depth without batch
 * normalization, provided that:
 * - the inputs are standardized (mean 0, standard deviation 1 per feature). The recipe cannot
 *   see the data: standardize it before `fit`, or pass an adapted (or fixed mean/variance)
 *   `hb.layers.normalization()` as `normalization`, which becomes the first layer;
 * - every hidden layer is Dense with LeCun normal initialization (variance 1/fan_in) and SELU;
 * - the architecture is sequential, with no batch normalization, no ℓ1/ℓ2 penalty, no max-norm
 *   and no plain dropout, each of which breaks the fixed point (so none is offered here);
 * - regularization, when needed, is alpha dropout (`alphaDropout`), which keeps the mean and
 *   the variance of its inputs; the book puts it before the output layer, as here.
 * Optimizer: Table 11-4 lists momentum optimization, RMSProp or Nadam; the default is Nesterov
 * momentum ('sgd': momentum 0.9, nesterov), 'nadam' and 'adamw' are the alternatives.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { alphaDropout, dense, flatten, input } from '../layers/index.js';
import type { Layer } from '../layers/layer.js';
import { Normalization } from '../layers/normalization.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { sequential, type Sequential } from '../models/sequential.js';
import { NET_OPTIONS, checkNet, recipeOptimizer, type NetOptions } from './common.js';

export interface SelfNormalizingNetOptions extends NetOptions {
  /** [0: none] the rate of the alpha dropout before the output layer, in [0, 1). */
  alphaDropout?: number;
  /** [none] a Normalization layer, adapted to the training data, put first (after a flatten). */
  normalization?: Normalization;
}

const SELF_NORMALIZING_NET_OPTIONS: OptionKeys<SelfNormalizingNetOptions> = { ...NET_OPTIONS, alphaDropout: true, normalization: true };

/**
 * A compiled Sequential: [flatten], [normalization], depth × Dense(units, 'selu',
 * 'lecunNormal'), [alphaDropout], Dense(outputUnits, outputActivation).
 */
export function selfNormalizingNet(options: SelfNormalizingNetOptions): Sequential {
  const who = 'selfNormalizingNet';
  if (options === undefined) throw new ValueError(`${who}: options are required: {inputShape, outputUnits, ...}`);
  checkOptions(who, options, SELF_NORMALIZING_NET_OPTIONS);
  const net = checkNet(who, options, 5);
  const rate = options.alphaDropout ?? 0;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValueError(`${who}: alphaDropout must be a rate in [0, 1), received ${fmtReceived(rate)}`);
  const norm = options.normalization;
  if (norm !== undefined && !(norm instanceof Normalization)) {
    throw new ValueError(`${who}: normalization must be a Normalization layer (hb.layers.normalization(), adapted to the training data), received ${fmtReceived(norm)}`);
  }
  const optimizer = recipeOptimizer(who, options.optimizer, 'sgd', options.learningRate, undefined);

  const layers: (Layer | SymbolicTensor)[] = [input({ shape: net.inputShape })];
  if (net.inputShape.length > 1) layers.push(flatten());
  if (norm) layers.push(norm);
  for (let i = 0; i < net.depth; i++) layers.push(dense({ units: net.units, activation: 'selu', kernelInitializer: 'lecunNormal' }));
  if (rate > 0) layers.push(alphaDropout({ rate }));
  layers.push(dense({ units: net.outputUnits, activation: net.outputActivation }));
  const model = sequential(layers, options.name === undefined ? {} : { name: options.name });
  model.compile({ optimizer, loss: net.loss, metrics: net.metrics });
  return model;
}
