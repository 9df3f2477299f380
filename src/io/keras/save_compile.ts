/**
 * hebb's compile options (as model_io/training_config.ts's compileToJson stores them) → the
 * `compile_config` of a Keras 3 `config.json`, the form Keras 3.10 writes (see the
 * fixtures): the optimizer as `{module: "keras.optimizers", class_name, config,
 * registered_name}` with the keys every Keras 3 optimizer has (`use_ema`, `clipnorm`, ...),
 * losses and metrics by their snake_case names (`mean_squared_error`, `accuracy`), which
 * Keras's `losses.get` / `metrics.get` resolve.
 *
 * hebb does not read compile_config back (a loaded model comes uncompiled); this is for Python
 * Keras, which compiles the model from it on load.
 */
import { ValueError } from '../../core/errors.js';
import { camelToSnake, isObject, toKeras, type Json, type JsonObject } from '../model_io/keras_json.js';

/** hebb's optimizer names → Keras 3's class names. */
const CLASSES: Readonly<Record<string, string>> = {
  sgd: 'SGD',
  adam: 'Adam',
  adamw: 'AdamW',
  adagrad: 'Adagrad',
  adamax: 'Adamax',
  nadam: 'Nadam',
  rmsprop: 'RMSprop',
};

/** hebb's option names where Keras's are not their snake_case (beta1 → beta_1). */
const RENAMED: Readonly<Record<string, string>> = { beta1: 'beta_1', beta2: 'beta_2' };

/** The options of Keras 3's base optimizer, with its defaults, in the order Keras writes them. */
function baseOptions(name: string, c: JsonObject): JsonObject {
  return {
    name,
    learning_rate: c['learning_rate'] ?? null,
    weight_decay: c['weight_decay'] ?? null,
    clipnorm: c['clipnorm'] ?? null,
    global_clipnorm: c['global_clipnorm'] ?? null,
    clipvalue: c['clipvalue'] ?? null,
    use_ema: false,
    ema_momentum: 0.99,
    ema_overwrite_frequency: null,
    loss_scale_factor: null,
    gradient_accumulation_steps: null,
  };
}

function optimizerConfig(opt: Json): JsonObject {
  if (!isObject(opt) || typeof opt['name'] !== 'string' || !isObject(opt['config'])) throw new ValueError('saveKeras: internal: optimizer must be {name, config}');
  const cls = CLASSES[opt['name']];
  if (cls === undefined) throw new ValueError(`saveKeras: optimizer "${opt['name']}" has no Keras class`);
  const own: JsonObject = {};
  for (const [k, v] of Object.entries(opt['config'])) {
    const key = RENAMED[k] ?? camelToSnake(k);
    // A schedule is {className, config} in hebb; Keras serializes it with its module.
    own[key] = isObject(v) && typeof v['className'] === 'string' ? { module: 'keras.optimizers.schedules', ...(toKeras(v) as JsonObject), registered_name: null } : v;
  }
  const config = { ...baseOptions(opt['name'], own), ...own };
  return { module: 'keras.optimizers', class_name: cls, config, registered_name: null };
}

/** A loss or metric name in Keras's spelling; a loss object as Keras's {class_name, config}. */
function nameOf(v: Json, what: string): Json {
  if (typeof v === 'string') return camelToSnake(v);
  if (isObject(v) && typeof v['name'] === 'string') {
    const { name, ...options } = v;
    const snake = camelToSnake(name as string);
    if (Object.keys(options).length === 0) return snake;
    const cls = snake.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());
    return { module: 'keras.losses', class_name: cls, config: { name: snake, reduction: 'sum_over_batch_size', ...(toKeras(options) as JsonObject) }, registered_name: null };
  }
  throw new ValueError(`saveKeras: a ${what} that is neither a name nor {name, ...options} cannot be written`);
}

function mapSpec(v: Json | undefined, what: string): Json {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((e) => (Array.isArray(e) ? e.map((x) => nameOf(x, what)) : nameOf(e, what)));
  if (isObject(v) && typeof v['name'] !== 'string') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x.map((e) => nameOf(e, what)) : nameOf(x, what)]));
  }
  return nameOf(v, what);
}

/** `compile` as compileToJson gives it → Keras 3's compile_config. */
export function kerasCompileConfig(compile: JsonObject): JsonObject {
  return {
    optimizer: optimizerConfig(compile['optimizer'] ?? null),
    loss: mapSpec(compile['loss'], 'loss'),
    loss_weights: compile['lossWeights'] ?? null,
    metrics: mapSpec(compile['metrics'], 'metric'),
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}
