/**
 * Where each weight of a Keras file lives, and its shape and dtype, read from HDF5 metadata
 * only. Two layouts:
 *
 * - Keras 3 (`model.weights.h5` in a `.keras`, also tf.keras 2.15): `layers/<snake_case class
 *   name>[_k]/vars/<i>`, where k counts earlier layers of the same class in `model.layers`
 *   order (not the layer's name), and `vars/<i>` are positional (fixtures/README.md, note 1-2).
 * - Legacy Keras 2 `.h5`: `model_weights/<layer>/` with the attribute `weight_names` giving
 *   the order of the datasets `<layer>/<weight name>` (note 5).
 *
 * Both are positional within a layer, as Keras's own loaders are: the i-th weight of a layer in
 * the file is the i-th weight of the same layer in hebb (Dense: kernel, bias; BatchNormalization:
 * gamma, beta, moving_mean, moving_variance; Normalization: mean, variance, count). A file weight
 * is named after the model weight it feeds (`dense/kernel`), or after its HDF5 path when it has
 * none, so the shared matchWeights (model_io/load_weights.ts) reports missing, extra and
 * misshapen weights by name before a byte of data is read.
 */
import { ValueError } from '../../core/errors.js';
import type { Layer } from '../../layers/layer.js';
import type { WeightDType, WeightSpec } from '../model_io/weights.js';
import { stringListAttr, type H5, type H5Dataset, type H5File, type H5Group } from './h5.js';

/** A weight in the file: the spec hebb checks, and where to read it. */
export interface FileWeight extends WeightSpec {
  path: string;
}

/** One layer of the model as Keras lists it, for the Keras 3 layout. */
export interface KerasLayerRef {
  className: string;
  name: string;
}

/** Keras 3's `naming.to_snake_case`: BatchNormalization → batch_normalization, PReLU → p_re_lu. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The group of each layer: `layers/dense`, `layers/dense_1`, ... in model.layers order. */
export function kerasGroupNames(layers: readonly KerasLayerRef[]): string[] {
  const used = new Map<string, number>();
  return layers.map((l) => {
    const base = toSnakeCase(l.className);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    return `layers/${n === 0 ? base : `${base}_${n}`}`;
  });
}

/** The dtype hebb reads a dataset as (float → float32, integer → int32), or why it cannot. */
function weightDType(d: H5Dataset, where: string): WeightDType {
  const m = d.metadata;
  if (m.vlen || (m.type !== 0 && m.type !== 1)) {
    const kinds: Record<number, string> = { 2: 'time', 3: 'string', 4: 'bitfield', 5: 'opaque (raw bytes, e.g. a pickle)', 6: 'compound', 7: 'reference', 8: 'enum', 9: 'variable-length', 10: 'array' };
    throw new ValueError(`${where}: dataset "${d.path}" holds ${kinds[m.type] ?? `HDF5 type class ${m.type}`} data, not numbers; weights must be numeric arrays`);
  }
  if (!m.littleEndian && m.size > 1) throw new ValueError(`${where}: dataset "${d.path}" is big-endian; only little-endian weights are read`);
  if (m.type === 1 && m.size !== 4 && m.size !== 8) throw new ValueError(`${where}: dataset "${d.path}" is a ${m.size * 8}-bit float; float32 and float64 weights are read`);
  return m.type === 1 ? 'float32' : 'int32';
}

function dataset(file: H5File, path: string, where: string): H5Dataset | null {
  const e = file.get(path);
  if (e === null) return null;
  if (!('metadata' in e) || !('shape' in e) || typeof e.slice !== 'function') throw new ValueError(`${where}: "${path}" is not a dataset`);
  return e as H5Dataset;
}

function specOf(d: H5Dataset, name: string, where: string): FileWeight {
  const shape = d.shape;
  if (shape === null) throw new ValueError(`${where}: dataset "${d.path}" has no shape (an empty dataspace)`);
  return { name, shape: [...shape], dtype: weightDType(d, where), path: d.path };
}

/** Every dataset under a group, depth first (links to other files are refused). */
function datasetsUnder(lib: H5, g: H5Group, where: string, out: H5Dataset[] = []): H5Dataset[] {
  for (const k of g.keys()) {
    const e = g.get(k);
    if (e instanceof lib.Group) datasetsUnder(lib, e, where, out);
    else if (e instanceof lib.Dataset) out.push(e);
    else if (e instanceof lib.ExternalLink || e instanceof lib.BrokenSoftLink) throw new ValueError(`${where}: "${g.path}/${k}" is a link (to another file or a missing object); refused`);
  }
  return out;
}

function layerOf(byName: ReadonlyMap<string, Layer>, name: string): Layer | undefined {
  return byName.get(name);
}

/** The positional weights of one layer: file datasets in order → the layer's weights. */
function assign(datasets: readonly H5Dataset[], layer: Layer | undefined, where: string): FileWeight[] {
  const vars = layer?.weights ?? [];
  return datasets.map((d, i) => specOf(d, vars[i]?.name ?? d.path, where));
}

/** Keras 3 layout; `layers` in Keras's model.layers order. */
export function keras3Weights(lib: H5, file: H5File, layers: readonly KerasLayerRef[], byName: ReadonlyMap<string, Layer>, where: string): FileWeight[] {
  const out: FileWeight[] = [];
  const planned = new Set<string>();
  const groups = kerasGroupNames(layers);
  layers.forEach((l, i) => {
    const group = groups[i] as string;
    planned.add(`/${group}`);
    const g = file.get(group);
    if (g === null) return; // a weightless layer may have no group; a missing weight is reported by name later
    if (!(g instanceof lib.Group)) throw new ValueError(`${where}: "${group}" must be a group`);
    const vars = g.get('vars');
    const own: H5Dataset[] = [];
    if (vars instanceof lib.Group) {
      const keys = vars.keys();
      const idx = keys.map((k) => (/^(0|[1-9]\d*)$/.test(k) ? Number(k) : -1)).sort((a, b) => a - b);
      if (idx.some((n, j) => n !== j)) throw new ValueError(`${where}: "${group}/vars" must hold datasets named 0, 1, 2, ...; it holds ${keys.join(', ')}`);
      for (const n of idx) {
        const d = dataset(file, `${group}/vars/${n}`, where);
        if (d) own.push(d);
      }
    }
    out.push(...assign(own, layerOf(byName, l.name), where));
    // Anything else under the group (beyond a seed generator's state, which hebb keeps its own way) is unexpected.
    for (const d of datasetsUnder(lib, g, where)) {
      if (!d.path.startsWith(`/${group}/vars/`) && !/\/seed_generator[^/]*\//.test(d.path)) out.push(specOf(d, d.path, where));
    }
  });
  for (const top of file.keys()) {
    if (top === 'optimizer' || top === 'metrics') continue; // training state Keras keeps; hebb's fit starts its own
    const g = file.get(top);
    if (g instanceof lib.Dataset) out.push(specOf(g, g.path, where));
    if (!(g instanceof lib.Group)) continue;
    for (const d of datasetsUnder(lib, g, where)) {
      const inPlanned = [...planned].some((p) => d.path.startsWith(`${p}/`));
      if (!inPlanned) out.push(specOf(d, d.path, where));
    }
  }
  return out;
}

/** Legacy Keras 2 layout (`model_weights` with `layer_names` / `weight_names`). */
export function legacyWeights(lib: H5, file: H5File, byName: ReadonlyMap<string, Layer>, where: string): FileWeight[] {
  const root = file.get('model_weights');
  if (!(root instanceof lib.Group)) throw new ValueError(`${where}: the file has no "model_weights" group (a legacy Keras .h5 full model has one)`);
  const names = stringListAttr(root, 'layer_names', where);
  if (names === null) throw new ValueError(`${where}: "model_weights" has no "layer_names" attribute`);
  const out: FileWeight[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ValueError(`${where}: "model_weights" lists layer "${name}" twice`);
    seen.add(name);
    const g = root.get(name);
    if (!(g instanceof lib.Group)) throw new ValueError(`${where}: "model_weights" lists layer "${name}" but has no group for it`);
    const weightNames = stringListAttr(g, 'weight_names', where) ?? [];
    const ds = weightNames.map((w) => {
      const d = dataset(file, `${g.path}/${w}`, where);
      if (d === null) throw new ValueError(`${where}: layer "${name}" lists weight "${w}", but "${g.path}/${w}" does not exist (truncated or edited?)`);
      return d;
    });
    out.push(...assign(ds, layerOf(byName, name), where));
  }
  return out;
}
