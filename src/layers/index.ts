/**
 * The layers: classes, Keras-style factories (`layers.dense({units: 10})`), and
 * (de)serialization by class name.
 */
import { Dense, type DenseArgs } from './dense.js';
import { InputLayer } from './input.js';
import { serializeLayer, deserializeLayer, type SerializedLayer, type LayerClass } from './registry.js';

export { Layer, toSnakeCase, resetLayerNames, isShapeList } from './layer.js';
export type { AddWeightOptions, CallArgs, Constraint, InitializerId, LayerArgs, LayerConfig, Regularizer } from './layer.js';
export { SymbolicTensor, Node, fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
export type { InputSpec } from './input_spec.js';
export { topologicalNodes, graphLayers, runGraph } from './graph.js';
export { input, InputLayer, type InputArgs } from './input.js';
export { Dense, type DenseArgs } from './dense.js';
export { serializeLayer, deserializeLayer, type SerializedLayer, type LayerClass };

export const dense = (args: DenseArgs): Dense => new Dense(args);
export { InputLayer as Input };
