/**
 * A Keras model config (`config.json` of a `.keras`, the `model_config` attribute of a legacy
 * `.h5`) → hebb's model config, after a scan that refuses what would carry code:
 *
 * - a `Lambda` layer (its `function` is marshalled bytecode, Python source, or a reference to a
 *   function in some module: CVE-2024-3660, CVE-2025-1550, CVE-2025-9905), anywhere in the
 *   tree, nested models included, and Keras 3's serialized lambdas (`__lambda__`);
 * - a class registered by user code in Python (`registered_name: "package>Class"`) or a model
 *   class other than Sequential/Functional (a subclassed model is code), unless the caller
 *   registered a class of that name in `customObjects`. A `module` in the file is never
 *   imported or looked up: classes come from hebb's closed layer registry.
 *
 * Key renaming and dialects (Keras 3's `batch_shape`, DTypePolicy objects, `{args, kwargs}`
 * nodes; Keras 2's `batch_input_shape`, bare Sequential lists) are the tfjs loader's
 * (model_io/keras_json.ts, topology.ts): a Keras 2 `model_config` is the schema tfjs files carry.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { LayerClass } from '../../layers/registry.js';
import { isObject, type Json, type JsonObject } from '../model_io/keras_json.js';
import { topologyFromKeras, type HebbTopology } from '../model_io/topology.js';

export type CustomObjects = Readonly<Record<string, LayerClass>>;

const CODE_LAYERS = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda']);
const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** JSON text from a file, named in errors. */
export function parseJson(bytes: Uint8Array | string, where: string): Json {
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new ValueError(`${where} is not valid JSON (truncated or corrupted?): ${e instanceof Error ? e.message : String(e)}`);
  }
}

function layerLabel(v: JsonObject, path: string): string {
  const c = isObject(v['config']) ? v['config'] : {};
  const name = typeof v['name'] === 'string' ? v['name'] : typeof c['name'] === 'string' ? c['name'] : null;
  return name !== null ? `layer "${name}"` : `${path} (unnamed)`;
}

function describeFunction(c: JsonObject): string {
  const f = c['function'];
  if (Array.isArray(f) || c['function_type'] === 'lambda') return 'marshalled Python bytecode';
  if (typeof f === 'string') return 'Python source';
  if (isObject(f)) return `a reference to a Python function (${typeof f['config'] === 'string' ? f['config'] : 'in a module'})`;
  return 'a Python function';
}

/** Throws on anything in the config tree that carries code (see the header). */
export function checkNoCode(root: Json, where: string, customObjects: CustomObjects = {}): void {
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(customObjects, name);
  const walk = (v: Json, path: string): void => {
    if (Array.isArray(v)) {
      v.forEach((e, i) => walk(e, `${path}[${i}]`));
      return;
    }
    if (!isObject(v)) return;
    const cls = v['class_name'];
    if (typeof cls === 'string') {
      const c = isObject(v['config']) ? v['config'] : {};
      if (CODE_LAYERS.has(cls)) {
        throw new ValueError(
          `${where}: ${layerLabel(v, path)} is a ${cls} layer: it carries code (${describeFunction(c)}), which hebb never runs. ` +
            'Rebuild that computation with hebb layers (or a layer class you register in customObjects) and load the weights into it',
        );
      }
      if (cls === '__lambda__') throw new ValueError(`${where}: ${path} is a serialized Python lambda (code), which hebb never runs`);
      const reg = v['registered_name'];
      const custom = typeof reg === 'string' && reg.includes('>');
      const topModel = path === 'config' && !MODEL_CLASSES.has(cls);
      if ((custom || topModel) && !has(cls) && !(typeof reg === 'string' && has(reg))) {
        const mod = typeof v['module'] === 'string' ? ` from Python module "${v['module']}"` : '';
        const what = topModel ? 'a subclassed model (its architecture is Python code, not a config)' : `a custom class (registered in Python as "${reg as string}")`;
        throw new ValueError(
          `${where}: ${path === 'config' ? 'the model' : layerLabel(v, path)} is class "${cls}"${mod}, ${what}. hebb never imports a module named in a file; ` +
            `only its own layers and classes registered in code (customObjects: {${cls}: ...}) are built`,
        );
      }
    }
    for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(root, 'config');
}

/** The model's `{class_name, config}` → hebb's topology; errors in the name of `op` and the file. */
export function kerasTopology(root: Json, where: string, customObjects: CustomObjects = {}): HebbTopology {
  checkNoCode(root, where, customObjects);
  if (!isObject(root)) throw new ValueError(`${where}: the model config must be {class_name, config}, received ${fmtReceived(root)}`);
  try {
    return topologyFromKeras(root, where.replace(/^[A-Za-z]+: /, ''));
  } catch (e) {
    // topology.ts says "loadModel: <file>: ..."; here the call was loadKerasModel.
    if (e instanceof ValueError) throw new ValueError(e.message.replace(/^loadModel: /, `${where.split(':')[0]}: `));
    throw e;
  }
}
