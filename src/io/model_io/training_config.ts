/**
 * The compile configuration as JSON, both for hebb (`hebb.compile`: the optimizer by name with
 * its full config, the learning rate as a number or a schedule's `{className, config}`) and
 * for TensorFlow.js (`trainingConfig`: Keras's `{loss, metrics, optimizer_config}`, written
 * only when tfjs knows the optimizer, losses and metrics by those names, since tfjs compiles
 * the loaded model from it and fails on a name it does not know).
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import { getLoss, type Loss } from '../../losses/index.js';
import { adagrad, adam, adamax, adamw, nadam, rmsprop, sgd, type Optimizer } from '../../optimizers/index.js';
import { deserializeSchedule, isLearningRateSchedule } from '../../schedules/index.js';
import type { CompileOptions, LossId, MetricId } from '../../training/compile.js';
import { camelToSnake, isObject, type Json, type JsonObject } from './keras_json.js';

/** Optimizers a file may name (a closed list, as for layers): their factories take their getConfig(). */
const OPTIMIZERS: Readonly<Record<string, (o: Record<string, unknown>) => Optimizer>> = {
  sgd: (o) => sgd(o),
  adam: (o) => adam(o),
  adamw: (o) => adamw(o),
  adagrad: (o) => adagrad(o),
  adamax: (o) => adamax(o),
  nadam: (o) => nadam(o),
  rmsprop: (o) => rmsprop(o),
};

/** tfjs's optimizer class names (tfjs-core serialization registry) for hebb's names. */
const TFJS_OPTIMIZER: Readonly<Record<string, string>> = { sgd: 'SGD', adam: 'Adam', adagrad: 'Adagrad', adamax: 'Adamax', rmsprop: 'RMSProp' };
const TFJS_LOSSES = new Set(['mean_squared_error', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'hinge', 'squared_hinge', 'categorical_hinge', 'logcosh', 'poisson', 'cosine_proximity', 'kullback_leibler_divergence']);
const TFJS_METRICS = new Set(['mse', 'mae', 'accuracy', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'mean_squared_error', 'mean_absolute_error', 'precision', 'recall']);

function lossJson(id: LossId): Json {
  if (typeof id === 'string') return id;
  const loss: Loss = getLoss(id);
  const c = loss.getConfig();
  if (typeof id === 'function' || !isObject(c)) throw new ValueError(`save: the loss "${loss.name}" is a function; it cannot be stored (compile the loaded model yourself)`);
  return c as JsonObject;
}

function metricJson(id: MetricId): string {
  if (typeof id === 'string') return id;
  if (typeof id === 'function') throw new ValueError(`save: a metric given as a function cannot be stored (compile the loaded model yourself)`);
  return id.name;
}

function mapSpec<T, R>(spec: T | readonly T[] | Readonly<Record<string, T>>, isOne: (v: unknown) => v is T, f: (v: T) => R): R | R[] | Record<string, R> {
  if (isOne(spec)) return f(spec);
  if (Array.isArray(spec)) return (spec as readonly T[]).map(f);
  return Object.fromEntries(Object.entries(spec as Readonly<Record<string, T>>).map(([k, v]) => [k, f(v)]));
}

const isLossOne = (v: unknown): v is LossId => typeof v === 'string' || typeof v === 'function' || (isObject(v) && 'perSample' in v);
const isMetricOne = (v: unknown): v is MetricId => typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null && 'update' in v);

/** hebb's compile options as JSON; throws (the caller then writes none) for functions. */
export function compileToJson(options: CompileOptions, optimizer: Optimizer): JsonObject {
  if (!Object.hasOwn(OPTIMIZERS, optimizer.name)) throw new ValueError(`save: optimizer "${optimizer.name}" is not a built-in one; it cannot be stored`);
  const config = { ...optimizer.getConfig() } as JsonObject;
  const lr = optimizer.learningRate;
  if (isLearningRateSchedule(lr)) config['learningRate'] = lr.getConfig() as unknown as JsonObject;
  else if (typeof lr === 'function') throw new ValueError('save: the learning rate is a plain function; use a schedule from hb.schedules to store it');
  const out: JsonObject = {
    optimizer: { name: optimizer.name, config },
    loss: mapSpec(options.loss, isLossOne, lossJson) as Json,
  };
  if (options.metrics !== undefined) {
    out['metrics'] = (Array.isArray(options.metrics)
      ? options.metrics.map((m: MetricId | readonly MetricId[]) => (isMetricOne(m) ? metricJson(m) : m.map(metricJson)))
      : Object.fromEntries(Object.entries(options.metrics).map(([k, v]) => [k, isMetricOne(v) ? metricJson(v) : (v as readonly MetricId[]).map(metricJson)]))) as Json;
  }
  if (options.lossWeights !== undefined) out['lossWeights'] = (Array.isArray(options.lossWeights) ? [...options.lossWeights] : { ...options.lossWeights }) as Json;
  return out;
}

/** Keras's trainingConfig for tfjs, or null when tfjs could not compile from it. */
export function tfjsTrainingConfig(compile: JsonObject): JsonObject | null {
  const opt = compile['optimizer'] as JsonObject;
  const cls = TFJS_OPTIMIZER[String(opt['name'])];
  const c = opt['config'] as JsonObject;
  const loss = compile['loss'];
  const metrics = compile['metrics'] ?? [];
  if (cls === undefined || typeof c['learningRate'] !== 'number' || typeof loss !== 'string' || compile['lossWeights'] !== undefined) return null;
  // tfjs knows the full names only ('mse' is meanSquaredError there).
  const lossName = camelToSnake(getLoss(loss as LossId).name);
  if (!TFJS_LOSSES.has(lossName)) return null;
  if (!Array.isArray(metrics) || !metrics.every((m) => typeof m === 'string' && TFJS_METRICS.has(camelToSnake(m)))) return null;
  // Only the hyperparameters tfjs's optimizers take: its Adam has no amsgrad, its SGD no momentum.
  if (c['clipnorm'] !== undefined || c['clipvalue'] !== undefined || c['globalClipnorm'] !== undefined || c['momentum'] || c['amsgrad'] || c['centered']) return null;
  const optimizerConfig: JsonObject = { learning_rate: c['learningRate'] };
  if (cls === 'Adam' || cls === 'Adamax') Object.assign(optimizerConfig, { beta1: c['beta1'] ?? null, beta2: c['beta2'] ?? null, epsilon: c['epsilon'] ?? null });
  if (cls === 'RMSProp') Object.assign(optimizerConfig, { decay: c['rho'] ?? null, momentum: 0, epsilon: c['epsilon'] ?? null, centered: false });
  if (cls === 'Adagrad') optimizerConfig['initial_accumulator_value'] = c['initialAccumulatorValue'] ?? null;
  return { loss: lossName, metrics: (metrics as string[]).map(camelToSnake), optimizer_config: { class_name: cls, config: optimizerConfig } };
}

/** hebb.compile from a file → compile options; every name goes through the closed look-ups. */
export function compileFromJson(json: unknown, file: string): CompileOptions {
  const fail = (what: string, got: unknown): never => {
    throw new ValueError(`loadModel: ${file}: hebb.compile: ${what}, received ${fmtReceived(got)}`);
  };
  if (!isObject(json)) fail('must be an object', json);
  const j = json as JsonObject;
  const opt = j['optimizer'];
  if (!isObject(opt) || typeof opt['name'] !== 'string' || !isObject(opt['config'])) fail('optimizer must be {name, config}', opt);
  const o = opt as { name: string; config: JsonObject };
  const make = Object.hasOwn(OPTIMIZERS, o.name) ? OPTIMIZERS[o.name] : undefined;
  if (!make) fail(`optimizer.name must be one of ${Object.keys(OPTIMIZERS).join(', ')}`, o.name);
  const config: Record<string, unknown> = { ...o.config };
  if (isObject(config['learningRate'])) config['learningRate'] = deserializeSchedule(config['learningRate']);
  let optimizer: Optimizer;
  try {
    optimizer = (make as (c: Record<string, unknown>) => Optimizer)(config);
  } catch (e) {
    throw new ValueError(`loadModel: ${file}: hebb.compile.optimizer: ${e instanceof Error ? e.message : String(e)}`);
  }
  // A loss stored as its config ({name, fromLogits}) becomes a Loss again through the closed look-up.
  const lossOf = (v: Json): LossId => {
    if (typeof v === 'string') return v as LossId;
    if (isObject(v) && typeof v['name'] === 'string') return getLoss(v);
    return fail('each loss must be a name or {name, ...options}', v);
  };
  const rawLoss = j['loss'];
  if (rawLoss === undefined || rawLoss === null) fail('loss is required', rawLoss);
  const loss = typeof rawLoss === 'string' || (isObject(rawLoss) && typeof rawLoss['name'] === 'string')
    ? lossOf(rawLoss as Json)
    : Array.isArray(rawLoss)
      ? rawLoss.map(lossOf)
      : isObject(rawLoss)
        ? Object.fromEntries(Object.entries(rawLoss).map(([k, v]) => [k, lossOf(v)]))
        : fail('loss must be a name, a list or an object keyed by output', rawLoss);
  const out: CompileOptions = { optimizer, loss };
  if (j['metrics'] !== undefined) out.metrics = j['metrics'] as CompileOptions['metrics'];
  if (j['lossWeights'] !== undefined) out.lossWeights = j['lossWeights'] as CompileOptions['lossWeights'];
  return out;
}
