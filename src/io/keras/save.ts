/**
 * `model.saveKeras(path)`: a Keras 3 `.keras` file of a hebb model (docs/FROM_KERAS.md), laid
 * out as Keras 3.10 writes one:
 *
 * - a zip with `metadata.json`, `config.json` and `model.weights.h5`, stored uncompressed in
 *   that order (zip.ts's writeKerasZip);
 * - config.json from save_config.ts;
 * - model.weights.h5 (written with h5wasm): `layers/<snake_case class>[_k]/vars/<i>` for each
 *   layer of `model.layers` in Keras's order (k counts earlier layers of the same class; the
 *   reader, h5_weights.ts, uses the same kerasGroupNames), each `vars` group with the layer's
 *   `name` attribute as Keras 3.10 adds it, weights positional in the layer's order as float32,
 *   integer weights (Normalization's count) as int64 as Keras keeps them; the model's own
 *   empty `vars`; and, for a compiled model with a numeric learning rate, `optimizer/vars` with
 *   the two variables an unbuilt Keras optimizer has (0: iterations, int64; 1: learning_rate,
 *   float32). hebb's moment estimates are not written (Keras's slot layout differs per
 *   optimizer), so a fit after loading in Keras starts them afresh.
 *
 * Writing a path is atomic: the bytes go to a temporary file beside it, fsync'ed, renamed over
 * the target, and the directory fsync'ed (the helpers of model_io/files.ts), so a kill leaves
 * the old file or the new one, never a partial one.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { Model } from '../../models/model.js';
import { fsyncDir, nodeModules, writeSynced } from '../model_io/files.js';
import { isObject, type JsonObject } from '../model_io/keras_json.js';
import { writeH5, type H5Group } from './h5.js';
import { kerasGroupNames } from './h5_weights.js';
import { kerasModelConfig } from './save_config.js';
import { writeKerasZip } from './zip.js';

const OP = 'saveKeras';

/** The Keras release whose file layout and config schema saveKeras follows. */
export const KERAS_SCHEMA_VERSION = '3.10.0';

interface LayerValues {
  group: string;
  name: string;
  values: { data: Float32Array | BigInt64Array; shape: number[] }[];
}

async function layerValues(model: Model, layers: readonly { className: string; name: string }[]): Promise<LayerValues[]> {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const groups = kerasGroupNames(layers);
  const out: LayerValues[] = [];
  for (const [i, ref] of layers.entries()) {
    const layer = byName.get(ref.name);
    const values: LayerValues['values'] = [];
    for (const w of layer?.weights ?? []) {
      const data = await w.data();
      if (w.dtype === 'float32') values.push({ data: Float32Array.from(data as Float32Array), shape: [...w.shape] });
      else if (w.dtype === 'int32') values.push({ data: BigInt64Array.from(data as Int32Array, (x) => BigInt(x)), shape: [...w.shape] });
      else throw new ValueError(`${OP}: weight "${w.name}" is ${w.dtype}; a .keras file holds float32 and integer weights`);
    }
    out.push({ group: groups[i] as string, name: ref.name, values });
  }
  return out;
}

function varsGroup(parent: H5Group, name: string): H5Group {
  const vars = parent.create_group('vars');
  vars.create_attribute('name', name);
  return vars;
}

/** The layers of config.json as Keras's model.layers lists them (a Sequential's without its InputLayer). */
function kerasLayerRefs(root: JsonObject): { className: string; name: string }[] {
  const body = root['config'];
  const list = isObject(body) && Array.isArray(body['layers']) ? body['layers'] : [];
  const refs = list.filter(isObject).map((l) => {
    const c = isObject(l['config']) ? l['config'] : {};
    return { className: String(l['class_name']), name: String(c['name']) };
  });
  return root['class_name'] === 'Sequential' ? refs.filter((r) => r.className !== 'InputLayer') : refs;
}

/** Keras's `date_saved`: local time as `YYYY-MM-DD@HH:MM:SS`. */
function dateSaved(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export interface KerasFile {
  /** The `.keras` file's bytes. */
  bytes: Uint8Array;
  /** Why the compile_config was left out of a compiled model's file (null: written, or not compiled). */
  compileNote: string | null;
}

/** The bytes of a `.keras` file of `model` (in Node and in a page). */
export async function kerasFileBytes(model: Model, date = new Date()): Promise<KerasFile> {
  const { root, compileNote } = kerasModelConfig(model);
  const layers = await layerValues(model, kerasLayerRefs(root));
  const compiled = model.compiled;
  const lr = compiled?.optimizer.learningRate;
  const optimizer = compiled && root['compile_config'] !== undefined && typeof lr === 'number' ? { name: compiled.optimizer.name, iterations: compiled.currentRunner?.iterations ?? 0, lr } : null;
  const weights = await writeH5((file) => {
    const top = file.create_group('layers');
    for (const l of layers) {
      const vars = varsGroup(top.create_group(l.group.slice('layers/'.length)), l.name);
      l.values.forEach((v, i) => vars.create_dataset({ name: String(i), data: v.data, shape: v.shape }));
    }
    if (optimizer) {
      const vars = varsGroup(file.create_group('optimizer'), optimizer.name);
      vars.create_dataset({ name: '0', data: BigInt64Array.of(BigInt(optimizer.iterations)), shape: [] });
      vars.create_dataset({ name: '1', data: Float32Array.of(optimizer.lr), shape: [] });
    }
    varsGroup(file, model.name);
  });
  const enc = new TextEncoder();
  const metadata = enc.encode(JSON.stringify({ keras_version: KERAS_SCHEMA_VERSION, date_saved: dateSaved(date) }));
  const bytes = writeKerasZip({ metadata, config: enc.encode(JSON.stringify(root)), weights }, date);
  return { bytes, compileNote };
}

/** Writes `bytes` to `path` atomically (temporary file, fsync, rename, fsync of the directory). */
export function writeFileAtomic(path: string, bytes: Uint8Array, op: string): void {
  const m = nodeModules(op);
  const target = m.path.resolve(path);
  if (m.fs.existsSync(target) && !m.fs.statSync(target).isFile()) throw new ValueError(`${op}: ${target} exists and is not a file; refusing to replace it`);
  const dir = m.path.dirname(target);
  m.fs.mkdirSync(dir, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${m.crypto.randomBytes(4).toString('hex')}`;
  try {
    writeSynced(m, tmp, bytes);
    m.fs.renameSync(tmp, target);
  } catch (e) {
    m.fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(m, dir);
}

/** `model.saveKeras(path)`: the path must end in `.keras`, as Keras 3's `model.save` requires. */
export async function saveKeras(model: Model, path: string): Promise<KerasFile> {
  if (typeof path !== 'string' || !path.endsWith('.keras')) {
    throw new ValueError(`${OP}: the path must end in ".keras" (Keras 3 reads the format by that extension), received ${fmtReceived(path)}`);
  }
  const file = await kerasFileBytes(model);
  writeFileAtomic(path, file.bytes, OP);
  return file;
}
