/**
 * saveKeras against the real Keras 3 files: hebb models built like three fixtures are saved and
 * the two files compared structurally (zip members, config keys, classes, modules, HDF5 group
 * paths, dtypes, attribute names); and, where h5py is installed, the file is read by h5py.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import * as hb from '../../index.js';
import type { Model } from '../../models/model.js';
import { KERAS_FIXTURES } from '../../../testing/keras_fixtures.js';
import { withH5, type H5, type H5Group } from './h5.js';
import { isObject, type Json, type JsonObject } from '../model_io/keras_json.js';

const L = hb.layers;

interface KerasFileParts {
  members: string[];
  metadataKeys: string[];
  config: JsonObject;
  /** Every HDF5 object under layers/ and the root vars: path → dtype/shape or 'group', with attribute names. */
  h5: Map<string, string>;
}

function describeH5(lib: H5, g: H5Group, out: Map<string, string>): void {
  for (const k of g.keys()) {
    const e = g.get(k);
    const attrs = e && 'attrs' in e ? Object.keys(e.attrs).sort().join(',') : '';
    if (e instanceof lib.Group) {
      out.set(e.path, `group[${attrs}]`);
      describeH5(lib, e, out);
    } else if (e instanceof lib.Dataset) out.set(e.path, `${String(e.dtype)} rank ${(e.shape ?? []).length}[${attrs}]`);
  }
}

async function parts(bytes: Uint8Array): Promise<KerasFileParts> {
  const files = unzipSync(bytes);
  const text = (name: string): Json => JSON.parse(new TextDecoder().decode(files[name])) as Json;
  const h5 = new Map<string, string>();
  await withH5(files['model.weights.h5'] as Uint8Array, 'test', (file, lib) => describeH5(lib, file as unknown as H5Group, h5));
  return { members: Object.keys(files), metadataKeys: Object.keys(text('metadata.json') as JsonObject), config: text('config.json') as JsonObject, h5 };
}

async function saved(model: Model): Promise<KerasFileParts> {
  const dir = mkdtempSync(join(tmpdir(), 'hebb-keras-structure-'));
  try {
    await model.saveKeras(join(dir, 'm.keras'));
    return await parts(readFileSync(join(dir, 'm.keras')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fixture = async (name: string): Promise<KerasFileParts> => parts(readFileSync(join(KERAS_FIXTURES, name)));

/** The shape of a JSON value: object keys (sorted) all the way down, class/module names kept, other leaves as their type. */
function skeleton(v: Json, key = ''): Json {
  if (Array.isArray(v)) return key === 'layers' || key === 'inbound_nodes' || key === 'args' ? v.map((e) => skeleton(e)) : 'array';
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) {
      // Python object ids (shared_object_id) are per-process and absent from a fresh save.
      if (k === 'shared_object_id') continue;
      const x = v[k] as Json;
      out[k] = k === 'module' || k === 'class_name' || k === 'registered_name' ? x : skeleton(x, k);
    }
    return out;
  }
  return v === null ? 'null' : typeof v;
}

function layerSkeletons(c: JsonObject): Json[] {
  const body = c['config'] as JsonObject;
  return (body['layers'] as Json[]).map((l) => skeleton(l));
}

/** HDF5 entries except the optimizer's (its variables depend on the optimizer and on whether it was built). */
function layerEntries(h5: Map<string, string>): [string, string][] {
  return [...h5].filter(([p]) => !p.startsWith('/optimizer')).sort(([a], [b]) => a.localeCompare(b));
}

function compareModels(ours: KerasFileParts, theirs: KerasFileParts): void {
  assert.deepEqual(ours.members, theirs.members);
  assert.deepEqual(ours.metadataKeys, theirs.metadataKeys);
  const top = (c: JsonObject): Json => skeleton({ ...c, config: { ...(c['config'] as JsonObject), layers: [] }, compile_config: null });
  assert.deepEqual(top(ours.config), top(theirs.config));
  assert.deepEqual(layerSkeletons(ours.config), layerSkeletons(theirs.config));
  assert.deepEqual(layerEntries(ours.h5), layerEntries(theirs.h5));
}

describe('saveKeras: the same structure as the real Keras 3.10 files', () => {
  it('functional wide & deep (k3_functional_wide_deep_concat.keras, Keras 3.10.0)', async () => {
    // The fixture lists deep_input, dense_40, wide_input, dense_41, concatenate_7, output_layer;
    // so does this graph (hebb orders layers as they are reached from the inputs in order).
    const deep = hb.input({ shape: [6], name: 'deep_input' });
    const d1 = L.dense({ units: 30, activation: 'relu', name: 'dense_40' }).apply(deep);
    const wide = hb.input({ shape: [5], name: 'wide_input' });
    const d2 = L.dense({ units: 30, activation: 'relu', name: 'dense_41' }).apply(d1);
    const cat = L.concatenate({ name: 'concatenate_7' }).apply([wide, d2]);
    const out = L.dense({ units: 1, name: 'output_layer' }).apply(cat) as hb.SymbolicTensor;
    const model = hb.model({ inputs: [wide, deep], outputs: out, name: 'functional_21' });
    model.compile({ optimizer: hb.optimizers.sgd({ learningRate: 1e-3 }), loss: 'mse' });
    const ours = await saved(model);
    const theirs = await fixture('k3_functional_wide_deep_concat.keras');
    // The fixture's layer order is Keras's; hebb's may put the second input elsewhere: compare by name.
    const byName = (p: KerasFileParts): Map<string, Json> => new Map(((p.config['config'] as JsonObject)['layers'] as JsonObject[]).map((l) => [String(l['name']), skeleton(l)]));
    assert.deepEqual(byName(ours), byName(theirs));
    assert.deepEqual(ours.members, theirs.members);
    assert.deepEqual(skeleton((ours.config['config'] as JsonObject)['input_layers'] as Json), skeleton((theirs.config['config'] as JsonObject)['input_layers'] as Json));
    assert.deepEqual(layerEntries(ours.h5).filter(([p]) => !p.startsWith('/layers/input_layer')), layerEntries(theirs.h5).filter(([p]) => !p.startsWith('/layers/input_layer')));
    // compile_config: the same keys, optimizer class and module.
    assert.deepEqual(skeleton(ours.config['compile_config'] as Json), skeleton(theirs.config['compile_config'] as Json));
    assert.deepEqual([...ours.h5].filter(([p]) => p.startsWith('/optimizer')), [...theirs.h5].filter(([p]) => p.startsWith('/optimizer')));
  });

  it('Sequential Dense/Dropout/BatchNormalization (k3_seq_houseprice_dropout_bn.keras, Keras 3.4.1, vars without name attributes)', async () => {
    const model = hb.sequential([
      L.input({ shape: [11] }),
      L.dense({ units: 32, activation: 'sigmoid', kernelInitializer: 'glorotNormal' }),
      L.dropout({ rate: 0.2 }),
      L.batchNormalization(),
      L.dense({ units: 16, activation: 'sigmoid', kernelInitializer: 'glorotNormal' }),
      L.dropout({ rate: 0.2 }),
      L.dense({ units: 1 }),
    ]);
    const ours = await saved(model);
    const theirs = await fixture('k3_seq_houseprice_dropout_bn.keras');
    // 3.4.1 wrote no `name` attribute on vars groups and no `ragged` in InputLayer; 3.10 does, as hebb.
    const strip = (h5: Map<string, string>): [string, string][] => layerEntries(h5).map(([p, d]) => [p, d.replace('[name]', '[]')]);
    assert.deepEqual(strip(ours.h5), strip(theirs.h5));
    const noRagged = (c: JsonObject): Json[] => layerSkeletons(c).map((l) => JSON.parse(JSON.stringify(l).replace(',"ragged":"boolean"', '')) as Json);
    assert.deepEqual(noRagged(ours.config), noRagged(theirs.config));
  });

  it('Sequential with an adapted Normalization (k3_seq_normalization_autompg.keras, Keras 3.10.0): count is int64', async () => {
    const norm = L.normalization({ axis: -1 });
    norm.adapt(hb.randomNormal([20, 9], { generator: new hb.Generator(4) }));
    const model = hb.sequential([L.input({ shape: [9] }), norm, L.dense({ units: 64, activation: 'relu' }), L.dense({ units: 64, activation: 'relu' }), L.dense({ units: 1 })]);
    const ours = await saved(model);
    const theirs = await fixture('k3_seq_normalization_autompg.keras');
    assert.deepEqual(layerEntries(ours.h5), layerEntries(theirs.h5));
    assert.match(ours.h5.get('/layers/normalization/vars/2') ?? '', /^<q rank 0/);
    // Keras wrote axis [1]; hebb writes -1 (the same axis); the rest of the layer is the same.
    const norms = [ours, theirs].map((p) => {
      const l = ((p.config['config'] as JsonObject)['layers'] as JsonObject[])[1] as JsonObject;
      return Object.keys(l['config'] as JsonObject).sort();
    });
    assert.deepEqual(norms[0], norms[1]);
    compareModels({ ...ours, config: { ...ours.config, config: { ...(ours.config['config'] as JsonObject), layers: [] } } }, { ...theirs, config: { ...theirs.config, config: { ...(theirs.config['config'] as JsonObject), layers: [] }, compile_config: null } });
  });
});

/** A python3 that has h5py: PATH's, else Debian's (python3-h5py; not installed in CI). */
function pythonWithH5py(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import h5py'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

const PY = pythonWithH5py();

describe('saveKeras: h5py reads the file', () => {
  it('h5py lists the groups and reads the weights hebb wrote', { skip: PY === null ? 'h5py is not installed (Debian: apt-get install python3-h5py); skipped' : false }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-keras-h5py-'));
    try {
      const norm = L.normalization();
      norm.adapt(hb.tensor([[1, 2], [3, 6]]));
      const model = hb.sequential([L.input({ shape: [2] }), norm, L.dense({ units: 3 }), L.batchNormalization()]);
      const file = join(dir, 'm.keras');
      await model.saveKeras(file);
      const script = join(dir, 'read.py');
      writeFileSync(
        script,
        [
          'import h5py, io, json, sys, zipfile',
          'z = zipfile.ZipFile(sys.argv[1])',
          'f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")',
          'out = {}',
          'f.visititems(lambda n, o: out.__setitem__(n, [str(o.dtype), list(o.shape), o[()].reshape(-1).tolist()] if isinstance(o, h5py.Dataset) else dict(o.attrs)))',
          'print(json.dumps({"members": z.namelist(), "h5": out}))',
        ].join('\n'),
      );
      const r = spawnSync(PY as string, [script, file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const got = JSON.parse(r.stdout) as { members: string[]; h5: Record<string, Json> };
      assert.deepEqual(got.members, ['metadata.json', 'config.json', 'model.weights.h5']);
      assert.deepEqual(got.h5['layers/dense/vars'], { name: model.layers[1]?.name });
      assert.deepEqual(got.h5['vars'], { name: model.name });
      const kernel = model.layers[1]?.weights[0];
      assert.deepEqual(got.h5['layers/dense/vars/0'], ['float32', [2, 3], Array.from(await (kernel as hb.Tensor).data())]);
      assert.deepEqual(got.h5['layers/normalization/vars/0'], ['float32', [2], [2, 4]]);
      assert.deepEqual(got.h5['layers/normalization/vars/1'], ['float32', [2], [1, 4]]);
      assert.deepEqual(got.h5['layers/normalization/vars/2'], ['int64', [], [2]]);
      assert.deepEqual((got.h5['layers/batch_normalization/vars/3'] as Json[])[2], [1, 1, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
