import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as hb from '../../index.js';
import { KERAS_FIXTURES } from '../../../testing/keras_fixtures.js';
import { configOf, h5Bytes, pack, tinyConfig, tinyDatasets, tinyKeras, unpack, withConfig } from '../../../testing/keras_craft.js';
import { kerasGroupNames, toSnakeCase } from './h5_weights.js';

async function refused(bytes: Uint8Array, why: RegExp): Promise<void> {
  await assert.rejects(hb.loadKerasModel(bytes), (e: unknown) => {
    assert.ok(e instanceof hb.ValueError, String(e));
    assert.match(e.message, /^loadKerasModel: the given bytes/);
    assert.match(e.message, why);
    return true;
  });
}

describe('Keras 3 weight paths', () => {
  it('snake_case class names as Keras 3 writes them', () => {
    assert.equal(toSnakeCase('BatchNormalization'), 'batch_normalization');
    assert.equal(toSnakeCase('InputLayer'), 'input_layer');
    assert.equal(toSnakeCase('PReLU'), 'p_re_lu');
    assert.equal(toSnakeCase('LeakyReLU'), 'leaky_re_lu');
    assert.equal(toSnakeCase('ELU'), 'elu');
    assert.equal(toSnakeCase('Dense'), 'dense');
  });
  it('counts earlier layers of the same class, not names', () => {
    const refs = [{ className: 'Dense', name: 'dense_40' }, { className: 'InputLayer', name: 'w' }, { className: 'Dense', name: 'out' }, { className: 'BatchNormalization', name: 'batch_normalization_4' }];
    assert.deepEqual(kerasGroupNames(refs), ['layers/dense', 'layers/input_layer', 'layers/dense_1', 'layers/batch_normalization']);
  });
});

describe('loadKerasModel: hand-made weight files', () => {
  it('the tiny model loads and computes x·W + b', async () => {
    const m = await hb.loadKerasModel(await tinyKeras());
    const y = (await m.predict(hb.tensor([[1, 0, 0], [1, 1, 1]]))) as hb.Tensor;
    assert.deepEqual(Array.from(await y.data()), [1.5, 1.5, 9.5, 11.5]);
    m.dispose();
  });

  it('a weight of the wrong shape is named, with both shapes', async () => {
    const ds = tinyDatasets();
    ds['layers/dense/vars/0'] = { data: new Float32Array(9), shape: [3, 3] };
    await refused(await tinyKeras(ds), /weight "d\/kernel" has shape \[3, ?3\] in the file, the model's "d\/kernel" has \[3, ?2\]/);
  });

  it('a missing weight names the layer and the weight', async () => {
    const ds = tinyDatasets();
    delete ds['layers/dense/vars/1'];
    await refused(await tinyKeras(ds), /the file has no weight for "d\/bias"/);
  });

  it('an extra weight is named by its HDF5 path', async () => {
    const ds = tinyDatasets();
    ds['layers/dense/vars/2'] = { data: new Float32Array(2), shape: [2] };
    await refused(await tinyKeras(ds), /the file has weights the model lacks: \/layers\/dense\/vars\/2/);
    const stray = tinyDatasets();
    stray['dense/vars/0'] = { data: new Float32Array(2), shape: [2] };
    await refused(await tinyKeras(stray), /the file has weights the model lacks: \/dense\/vars\/0/);
    // use_bias off in the config: the file's bias has no weight to go to.
    const noBias = tinyConfig();
    const layers = (noBias['config'] as { layers: { config: Record<string, unknown> }[] }).layers;
    (layers[1] as { config: Record<string, unknown> }).config['use_bias'] = false;
    await refused(await tinyKeras(tinyDatasets(), noBias), /the file has weights the model lacks: \/layers\/dense\/vars\/1/);
  });

  it('shapes are checked before allocation: a dataset declaring 10^12 values is refused unread', async () => {
    const ds = tinyDatasets();
    ds['layers/dense/vars/0'] = { data: new Float32Array(6), shape: [3, 2], resizeTo: [1000000, 1000000] };
    await assert.rejects(hb.loadKerasModel(await tinyKeras(ds)), (e: unknown) => {
      assert.ok(e instanceof hb.SizeLimitError, String(e));
      assert.match(e.message, /^loadKerasModel: the given bytes: model\.weights\.h5: weight 0 \("d\/kernel"\): a float32 tensor of shape \[1000000, 1000000\]/);
      return true;
    });
  });

  it('non-numeric data (strings, as a pickle would be stored) is refused', async () => {
    const ds = tinyDatasets();
    ds['layers/dense/vars/1'] = { data: ['a', 'b'], shape: [2], dtype: 'S1' };
    await refused(await tinyKeras(ds), /dataset "\/layers\/dense\/vars\/1" holds string data, not numbers/);
  });

  it('float64 and int64 weights are converted; an int64 beyond int32 is refused', async () => {
    const ds = tinyDatasets();
    ds['layers/dense/vars/0'] = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2], dtype: '<d' };
    const m = await hb.loadKerasModel(await tinyKeras(ds));
    assert.deepEqual(Array.from(await m.getLayer('d').weights[0]!.data()), [1, 2, 3, 4, 5, 6]);
    m.dispose();
  });

  it('vars must be numbered 0, 1, 2, ...', async () => {
    const ds = tinyDatasets();
    ds['layers/dense/vars/5'] = ds['layers/dense/vars/1']!;
    delete ds['layers/dense/vars/1'];
    await refused(await tinyKeras(ds), /"layers\/dense\/vars" must hold datasets named 0, 1, 2, \.\.\.; it holds 0, 5/);
  });

  it('a truncated model.weights.h5 inside the archive', async () => {
    const m = unpack('k3_seq_houseprice_dropout_bn.keras');
    const w = m['model.weights.h5'] as Uint8Array;
    await refused(pack({ ...m, 'model.weights.h5': w.subarray(0, w.length >> 1) }), /model\.weights\.h5: not a readable HDF5 file \(truncated or corrupted\?\): truncated file: eof = \d+/);
  });

  it('a truncated legacy .h5', async () => {
    const b = new Uint8Array(readFileSync(join(KERAS_FIXTURES, 'k2.10_legacy_diabetes.h5')));
    await refused(b.subarray(0, 30000), /not a readable HDF5 file \(truncated or corrupted\?\): truncated file: eof = 30000/);
    await refused(b.subarray(0, 8), /not a readable HDF5 file/);
  });

  it('a legacy .h5 without model_config, or whose weight_names point nowhere', async () => {
    await refused(await h5Bytes({ 'model_weights/d/d/kernel:0': { data: new Float32Array(6), shape: [3, 2] } }), /no "model_config" attribute, so no architecture \(a weights-only file\?/);
    const config = JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3] } }] } });
    await refused(await h5Bytes({ 'model_weights/x/y': { data: new Float32Array(1), shape: [1] } }, { model_config: config }), /"model_weights" has no "layer_names" attribute/);
  });

  it('a layer type hebb lacks is named with the layer', async () => {
    const m = unpack('k3_functional_iris_softmax.keras');
    const c = configOf(m);
    const layers = (c['config'] as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;
    const dense = layers.find((l) => l.class_name === 'Dense');
    assert.ok(dense);
    dense.class_name = 'Conv2D';
    await refused(pack(withConfig(m, c)), new RegExp(`unknown layer class "Conv2D" \\(layer "${String(dense.config['name'])}"\\)`));
  });

  it('a class registered in Python is refused unless registered in code', async () => {
    const config = tinyConfig({ module: 'my_pkg.layers', class_name: 'MyDense', registered_name: 'my_pkg>MyDense' });
    await refused(await tinyKeras(tinyDatasets(), config), /layer "d" is class "MyDense" from Python module "my_pkg\.layers", a custom class \(registered in Python as "my_pkg>MyDense"\)\. hebb never imports a module named in a file/);
    // Registered in code: hebb's own Dense stands in for it here. Keras 3 files its weights
    // under the snake_case of the file's class name.
    const ds = Object.fromEntries(Object.entries(tinyDatasets()).map(([k, v]) => [k.replace('layers/dense/', 'layers/my_dense/'), v]));
    const m = await hb.loadKerasModel(await tinyKeras(ds, config), { customObjects: { MyDense: hb.layers.Dense } });
    assert.equal(m.getLayer('d').className, 'Dense');
    m.dispose();
  });

  it('a Lambda inside a functional model is refused naming the layer', async () => {
    const m = unpack('k3_functional_iris_softmax.keras');
    const c = configOf(m);
    const layers = (c['config'] as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;
    const last = layers[layers.length - 1];
    assert.ok(last);
    last.class_name = 'Lambda';
    last.config['function'] = { module: 'builtins', class_name: 'function', config: 'evil>fn', registered_name: 'function' };
    await refused(pack(withConfig(m, c)), new RegExp(`layer "${String(last.config['name'])}" is a Lambda layer: it carries code`));
  });
});
