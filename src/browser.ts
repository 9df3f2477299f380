/**
 * hebb's browser surface: everything src/index.ts exports except the dataset loaders
 * (src/io/datasets reads files with node:fs/zlib and downloads with node:http, so it cannot run
 * in a page). scripts/build-browser.mjs bundles this file into dist/browser/hebb.js.
 *
 * Re-exports only. src/index.ts re-exports this file and adds the Node-only modules, so a new
 * export belongs here unless it needs Node; test/browser/exports.test.ts checks the split.
 */
export { VERSION } from './version.js';
export type { DType, TypedArray } from './core/dtype.js';
export { HebbError, ShapeError, DTypeError, ValueError, DisposedError, BackendError, SizeLimitError } from './core/errors.js';
export { Tensor, Variable, type NestedArray, type VariableOptions } from './core/tensor.js';
export {
  dispose,
  getBackend,
  keep,
  listBackends,
  maxTensorBytes,
  numBuffers,
  numTensors,
  registerBackend,
  scope,
  scopeAsync,
  setBackend,
  setMaxTensorBytes,
} from './core/engine.js';
export type { Backend, BackendBuffer, View, UnaryOp, BinaryOp, ReduceOp } from './backends/backend.js';

export * from './ops/creation.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export * from './ops/movement.js';
export * from './ops/linalg.js';
export * from './ops/nn.js';
export * from './ops/random.js';
export { Generator, setSeed, globalGenerator, philox4x32 } from './core/random.js';
export { valueAndGrad, grad, grads, customGrad, type ValueAndGrad, type ValueAndGradAux, type ValueAndGradOptions, type Aux } from './autodiff/grad.js';
export { checkGradients, GradientCheckError, type GradCheckOptions, type GradCheckReport } from './autodiff/gradcheck.js';
export * as activations from './activations.js';
export { getActivation, activationName, type ActivationFn, type ActivationId } from './activations.js';
export * as losses from './losses/index.js';
export { getLoss, computeLoss, type Loss } from './losses/index.js';
export * as metrics from './metrics/index.js';
export { getMetric, type Metric } from './metrics/index.js';
export * as optimizers from './optimizers/index.js';
export { getOptimizer, type Optimizer, type GradientTransformation, type LearningRate, type Schedule } from './optimizers/index.js';
export * as schedules from './schedules/index.js';
export * as callbacks from './callbacks/index.js';
export * as data from './data/index.js';
export { History, type Callback, type Logs } from './callbacks/index.js';
export { Model, type ModelArgs, type ModelOutput, type OutputOf } from './models/model.js';
export { captureReport, type CaptureEntry } from './capture/capture.js';
export { onHost } from './capture/host.js';
export { Sequential, sequential } from './models/sequential.js';
export { Functional, model, type FunctionalArgs } from './models/functional.js';
export { cloneModel, type CloneModelOptions } from './models/clone.js';
export { httpHandler, loadModel, modelArtifacts, type HttpOptions, type IOHandler, type LoadOptions, type ModelArtifacts, type SaveOptions, type WeightSpec } from './io/model_io/index.js';
export {
  browserDownloads,
  browserFiles,
  browserIndexedDB,
  browserLocalStorage,
  listModels,
  removeModel,
  type BrowserStorageOptions,
  type LocalStorageOptions,
  type ModelArtifactsInfo,
} from './io/model_io/index.js';
export { loadKerasModel, type KerasSource, type LoadKerasOptions } from './io/keras/index.js';
export type { SequentialConfig, FunctionalConfig, TensorRef } from './models/serialization.js';
export type { CompileOptions, LossId, MetricId } from './training/compile.js';
export type { FitOptions, EvaluateOptions, PredictOptions } from './training/trainer.js';
export type { StepData, StepLosses } from './training/step.js';
export { mcPredict, type McPredictOptions, type McPrediction } from './training/mc_predict.js';
export { findLearningRate, suggestLearningRate, smoothLosses, type FindLearningRateOptions, type LearningRateCurve } from './training/find_lr.js';
export type { ArrayWithShape, InputData, ModelData } from './training/data.js';
export * as initializers from './initializers/index.js';
export { getInitializer, serializeInitializer, type Initializer } from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export { getRegularizer, serializeRegularizer, type RegularizerId } from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export { getConstraint, serializeConstraint, type ConstraintId } from './constraints/index.js';
export * as layers from './layers/index.js';
export { Layer, SymbolicTensor, InputLayer, input, serializeLayer, deserializeLayer } from './layers/index.js';
export type { CallArgs, LayerArgs, LayerConfig, SymbolicShape, Regularizer, Constraint } from './layers/index.js';
export * as recipes from './recipes/index.js';
export * as plot from './plot/index.js';
export { Perceptron, type PerceptronOptions, type PerceptronX, type PerceptronY } from './estimators/perceptron.js';
