/**
 * The layers: classes, Keras-style factories (`layers.dense({units: 10})`), the functional
 * API's `input`, graph helpers, and (de)serialization by class name.
 */
import { Activation, type ActivationArgs } from './activation.js';
import { Add } from './add.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch_normalization.js';
import { Concatenate, type ConcatenateArgs } from './concatenate.js';
import { Dense, type DenseArgs } from './dense.js';
import { AlphaDropout, Dropout, type DropoutArgs } from './dropout.js';
import { ELU, type ELUArgs } from './elu.js';
import { Flatten } from './flatten.js';
import { GaussianDropout, GaussianNoise, type GaussianDropoutArgs, type GaussianNoiseArgs } from './gaussian_noise.js';
import type { LayerArgs } from './layer.js';
import { LeakyReLU, type LeakyReLUArgs } from './leaky_relu.js';
import { Normalization, type NormalizationArgs } from './normalization.js';
import { PReLU, type PReLUArgs } from './prelu.js';
import { Reshape, type ReshapeArgs } from './reshape.js';

export { Layer, toSnakeCase, resetLayerNames, isShapeList } from './layer.js';
export type { AddWeightOptions, CallArgs, Constraint, InitializerId, LayerArgs, LayerConfig, Regularizer } from './layer.js';
export { SymbolicTensor, Node, fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
export type { InputSpec } from './input_spec.js';
export { topologicalNodes, graphLayers, runGraph } from './graph.js';
export { input, InputLayer, type InputArgs } from './input.js';
export { serializeLayer, deserializeLayer, type DeserializeLayerOptions, type SerializedLayer, type LayerClass } from './registry.js';
export type { AdaptData } from './normalization_adapt.js';
export { Activation, type ActivationArgs } from './activation.js';
export { Add } from './add.js';
export { BatchNormalization, type BatchNormalizationArgs } from './batch_normalization.js';
export { Concatenate, type ConcatenateArgs } from './concatenate.js';
export { Dense, type DenseArgs } from './dense.js';
export { AlphaDropout, Dropout, type DropoutArgs } from './dropout.js';
export { ELU, type ELUArgs } from './elu.js';
export { Flatten } from './flatten.js';
export { GaussianDropout, GaussianNoise, type GaussianDropoutArgs, type GaussianNoiseArgs } from './gaussian_noise.js';
export { LeakyReLU, type LeakyReLUArgs } from './leaky_relu.js';
export { Normalization, type NormalizationArgs } from './normalization.js';
export { PReLU, type PReLUArgs } from './prelu.js';
export { Reshape, type ReshapeArgs } from './reshape.js';

// Factories are the class name in camelCase, an acronym counting as one word (LeakyReLU ->
// leakyRelu, PReLU -> prelu, ELU -> elu), so a layer and its activation share a spelling
// (`layers.leakyRelu`, `activations.leakyRelu`); configs keep Keras's class names.
export const dense = (args: DenseArgs): Dense => new Dense(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const leakyRelu = (args: LeakyReLUArgs = {}): LeakyReLU => new LeakyReLU(args);
export const prelu = (args: PReLUArgs = {}): PReLU => new PReLU(args);
export const elu = (args: ELUArgs = {}): ELU => new ELU(args);
export const concatenate = (args: ConcatenateArgs = {}): Concatenate => new Concatenate(args);
export const add = (args: LayerArgs = {}): Add => new Add(args);
export const normalization = (args: NormalizationArgs = {}): Normalization => new Normalization(args);
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const alphaDropout = (args: DropoutArgs): AlphaDropout => new AlphaDropout(args);
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
export const gaussianDropout = (args: GaussianDropoutArgs): GaussianDropout => new GaussianDropout(args);
