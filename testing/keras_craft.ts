/**
 * Hand-made variants of the real Keras fixtures for the loader's error tests: a `.keras`
 * unpacked into its members (fflate), edited, and packed again; raw zip entries renamed in
 * place (a duplicate name fflate's writer would never produce).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync, strToU8, strFromU8, type Zippable } from 'fflate';
import { KERAS_FIXTURES } from './keras_fixtures.js';
import { writeH5, type H5Group } from '../src/io/keras/h5.js';

export type Members = Record<string, Uint8Array>;

export function unpack(file: string): Members {
  return unzipSync(new Uint8Array(readFileSync(join(KERAS_FIXTURES, file))));
}

/** Members → a zip; `level` 0 stores them (as Keras does), 6 deflates. */
export function pack(members: Members, level: 0 | 6 = 0): Uint8Array {
  const z: Zippable = {};
  for (const [k, v] of Object.entries(members)) z[k] = [v, { level }];
  return zipSync(z);
}

export function configOf(m: Members): Record<string, unknown> {
  return JSON.parse(strFromU8(m['config.json'] as Uint8Array)) as Record<string, unknown>;
}

export function withConfig(m: Members, config: unknown): Members {
  return { ...m, 'config.json': strToU8(JSON.stringify(config)) };
}

/** Every occurrence of the name `from` in the zip's headers becomes `to` (same length). */
export function renameEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new Error('renameEntry: names must have the same length');
  const out = zip.slice();
  const a = strToU8(from);
  const b = strToU8(to);
  for (let i = 0; i + a.length <= out.length; i++) {
    if (a.every((x, k) => out[i + k] === x)) out.set(b, i);
  }
  return out;
}

/** One dataset of a hand-made weights file: values, shape and HDF5 dtype ('<f' float32 by default). */
export interface DatasetSpec {
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | string[];
  shape: number[];
  dtype?: string;
  /** Resize (chunked, unlimited) to this shape after writing: a huge shape without its bytes. */
  resizeTo?: number[];
}

/** A Keras 3 config.json for Input(3) → Dense(2, name "d") as Keras 3.10 writes it. */
export function tinyConfig(dense: Record<string, unknown> = {}): Record<string, unknown> {
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype: policy,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: { name: 'd', trainable: true, dtype: policy, units: 2, activation: 'linear', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null },
          registered_name: null,
          build_config: { input_shape: [null, 3] },
          ...dense,
        },
      ],
      build_input_shape: [null, 3],
    },
    registered_name: null,
    build_config: { input_shape: [null, 3] },
  };
}

/** The datasets of tinyConfig's weights: kernel [[1,2],[3,4],[5,6]], bias [0.5, -0.5]. */
export function tinyDatasets(): Record<string, DatasetSpec> {
  return {
    'layers/dense/vars/0': { data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] },
    'layers/dense/vars/1': { data: Float32Array.from([0.5, -0.5]), shape: [2] },
  };
}

/** An HDF5 file holding `datasets` (groups made as needed), written with h5wasm. */
export async function h5Bytes(datasets: Record<string, DatasetSpec>, attrs: Record<string, string> = {}): Promise<Uint8Array> {
  return writeH5((file, lib) => {
    for (const [k, v] of Object.entries(attrs)) file.create_attribute(k, v);
    for (const [path, d] of Object.entries(datasets)) {
      const parts = path.split('/');
      const name = parts.pop() as string;
      let g: H5Group = file;
      for (const p of parts) {
        const e = g.get(p);
        g = e instanceof lib.Group ? e : g.create_group(p);
      }
      const chunked = d.resizeTo ? { maxshape: d.shape.map(() => null), chunks: d.shape.map(() => 1) } : {};
      const ds = g.create_dataset({ name, data: d.data, shape: d.shape, dtype: d.dtype ?? '<f', ...chunked });
      if (d.resizeTo) ds.resize(d.resizeTo);
    }
  });
}

/** A `.keras` of tinyConfig (or `config`) with `datasets` as its weights. */
export async function tinyKeras(datasets: Record<string, DatasetSpec> = tinyDatasets(), config: unknown = tinyConfig()): Promise<Uint8Array> {
  return pack({ 'metadata.json': strToU8('{"keras_version": "3.10.0"}'), 'config.json': strToU8(JSON.stringify(config)), 'model.weights.h5': await h5Bytes(datasets) });
}
