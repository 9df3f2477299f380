import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../../index.js';
import { SizeLimitError, ValueError } from '../../core/errors.js';
import type { Model } from '../../models/model.js';

const MALICIOUS = join(process.cwd(), '..', 'shared', 'fixtures', 'malicious');

/** A trained-looking saved model in a fresh folder; returns its directory. */
async function savedModel(): Promise<string> {
  hb.layers.resetLayerNames();
  hb.setSeed(1);
  const m = hb.sequential([hb.input({ shape: [3] }), hb.layers.dense({ units: 4, activation: 'relu' }), hb.layers.dense({ units: 2 })]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  await m.fit(hb.ones([4, 3]), hb.zeros([4, 2]), { epochs: 1, verbose: 0 });
  const dir = join(mkdtempSync(join(tmpdir(), 'hebb-bad-')), 'model');
  await m.save(dir);
  m.dispose();
  return dir;
}

// Hand-editing parsed JSON in tests: any nested key may be written.
type J = Record<string, any>;

function edit(dir: string, f: (j: J) => void): string {
  const file = join(dir, 'model.json');
  const j = JSON.parse(readFileSync(file, 'utf8')) as J;
  f(j);
  writeFileSync(file, JSON.stringify(j));
  return file;
}

async function rejects(dir: string, pattern: RegExp, type: new (...a: never[]) => Error = ValueError): Promise<void> {
  await assert.rejects(hb.loadModel(dir), (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, received ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe('loadModel refuses bad files, naming the file and the problem', () => {
  it('a truncated model.json', async () => {
    const dir = await savedModel();
    const file = join(dir, 'model.json');
    truncateSync(file, Math.floor(readFileSync(file).byteLength / 2));
    await rejects(dir, /model\.json is not valid JSON \(truncated or corrupted\?\)/);
  });

  it('a truncated shard, a missing shard, a corrupted shard (same size, one bit flipped)', async () => {
    const dir = await savedModel();
    const shard = join(dir, 'group1-shard1of1.bin');
    const bytes = readFileSync(shard);
    truncateSync(shard, bytes.byteLength - 4);
    await rejects(dir, /model\.json: the shards of weightsManifest\[0\] \(group1-shard1of1\.bin\) hold \d+ bytes, the weights need \d+/);
    const flipped = Buffer.from(bytes);
    flipped[5] = (flipped[5] as number) ^ 1;
    writeFileSync(shard, flipped);
    await rejects(dir, /group1-shard1of1\.bin does not match the sha256 recorded in .*model\.json \(corrupted\?\)/);
    const opt = join(dir, 'optimizer-shard1of1.bin');
    writeFileSync(shard, bytes);
    writeFileSync(opt, Buffer.alloc(0));
    await rejects(dir, /the shards of hebb\.optimizerManifest\[0\]/);
    edit(dir, (j) => (j['weightsManifest'][0].paths = ['gone.bin']));
    await rejects(dir, /gone\.bin \(named in .*model\.json\) does not exist/);
  });

  it('absurd shapes and sizes are refused before anything is allocated', async () => {
    const dir = await savedModel();
    edit(dir, (j) => (j['weightsManifest'][0].weights[0].shape = [1 << 30, 1 << 30]));
    await rejects(dir, /weight 0 \("dense\/kernel"\).*too large|above/, SizeLimitError);
    edit(dir, (j) => (j['weightsManifest'][0].weights[0].shape = [3, -4]));
    await rejects(dir, /weight 0 \("dense\/kernel"\): shape must be a list of at most 8 non-negative integers/);
    edit(dir, (j) => (j['weightsManifest'][0].weights[0].shape = [3, 4.5]));
    await rejects(dir, /non-negative integers, received \[3, 4\.5\]/);
    // Specs that claim more bytes than the shards hold (the file is not read into a buffer that size).
    edit(dir, (j) => (j['weightsManifest'][0].weights[0].shape = [3000, 4000]));
    await rejects(dir, /hold \d+ bytes, the weights need 48000\d+/);
    edit(dir, (j) => (j['weightsManifest'][0].paths = Array.from({ length: 70000 }, (_, i) => `s${i}.bin`)));
    await rejects(dir, /70000 shards \(at most 65536\)/);
    edit(dir, (j) => (j['weightsManifest'] = Array.from({ length: 2000 }, () => ({ paths: [], weights: [] }))));
    await rejects(dir, /2000 groups \(at most 1024\)/);
  });

  it('shard paths outside the model folder, odd dtypes, quantized and duplicate weights', async () => {
    const cases: [(j: J) => void, RegExp][] = [
      [(j) => (j['weightsManifest'][0].paths = ['../../etc/passwd']), /shard path "\.\.\/\.\.\/etc\/passwd" must be a file name beside model\.json/],
      [(j) => (j['weightsManifest'][0].paths = ['/etc/passwd']), /must be a file name beside model\.json/],
      [(j) => (j['weightsManifest'][0].weights[0].dtype = 'string'), /dtype must be float32, int32 or bool, received "string"/],
      [(j) => (j['weightsManifest'][0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 }), /quantized weights are not supported/],
      [(j) => (j['weightsManifest'][0].weights[1].name = 'dense/kernel'), /the name "dense\/kernel" appears twice/],
      [(j) => (j['format'] = 'graph-model'), /only "layers-model" files can be loaded/],
      [(j) => delete j['weightsManifest'], /is not a TensorFlow\.js layers model: it needs "modelTopology" and "weightsManifest"/],
    ];
    for (const [f, re] of cases) {
      const dir = await savedModel();
      edit(dir, f);
      await rejects(dir, re);
    }
  });

  it('hand-edited architecture: unknown classes (no Lambda, no custom model class), wrong shapes, unknown optimizer', async () => {
    const cases: [(j: J) => void, RegExp][] = [
      [(j) => (j['modelTopology'].config.layers[1] = { class_name: 'Lambda', config: { name: 'l', function: "lambda x: eval('1')", function_type: 'lambda' } }), /unknown layer class "Lambda"/],
      [(j) => (j['modelTopology'] = { class_name: 'MaliciousModel', module: 'malicious_model', config: {} }), /class_name must be Sequential, Functional or Model.*received "MaliciousModel"/],
      [(j) => (j['modelTopology'].config.layers[1].config.units = 5), /weight "dense\/kernel" has shape \[3, 4\] in the file, the model's "dense\/kernel" has \[3, 5\]/],
      [(j) => (j['modelTopology'].config.layers[1].config.activation = 'function(){return 1}'), /"activation" must be a built-in activation name/],
      [(j) => (j['weightsManifest'][0].weights[0].name = 'other/kernel'), /the file has no weight for "dense\/kernel"/],
      [(j) => (j['hebb'].compile.optimizer.name = 'evil'), /hebb\.compile: optimizer\.name must be one of sgd, adam/],
      [(j) => (j['hebb'].compile.loss = 'not_a_loss'), /not_a_loss/],
      [(j) => (j['hebb'].optimizerState.params = ['dense/kernel']), /loadState: the data does not fit/],
    ];
    for (const [f, re] of cases) {
      const dir = await savedModel();
      const file = edit(dir, f);
      await assert.rejects(hb.loadModel(dir), (e: unknown) => {
        assert.match(String(e), re);
        assert.ok(String(e).includes(file), `names the file: ${String(e)}`);
        return true;
      });
    }
  });

  it('loadWeights checks everything before any weight changes', async () => {
    const dir = await savedModel();
    hb.layers.resetLayerNames();
    const m: Model = hb.sequential([hb.input({ shape: [3] }), hb.layers.dense({ units: 4, activation: 'relu' }), hb.layers.dense({ units: 2 })]);
    const before = await Promise.all(m.weights.map(async (w) => Array.from(await w.data())));
    // The last weight's shape is wrong; the first ones are fine and must not be assigned either.
    edit(dir, (j) => (j['weightsManifest'][0].weights[3].shape = [3]));
    await assert.rejects(m.loadWeights(dir), /the shards of weightsManifest\[0\]|has shape/);
    edit(dir, (j) => (j['weightsManifest'][0].weights[3].shape = [2]));
    // Other names (dense_2, dense_3) and one other shape: matched neither by name nor by position.
    const wrong: Model = hb.sequential([hb.input({ shape: [3] }), hb.layers.dense({ units: 4 }), hb.layers.dense({ units: 3 })]);
    const wrongBefore = await Promise.all(wrong.weights.map(async (w) => Array.from(await w.data())));
    await assert.rejects(wrong.loadWeights(dir), /the file has no weight for "dense_2\/kernel"/);
    assert.deepEqual(await Promise.all(wrong.weights.map(async (w) => Array.from(await w.data()))), wrongBefore);
    // Other names, same shapes in the same order: taken by position, as Keras's load_weights does.
    const renamed: Model = hb.sequential([hb.input({ shape: [3] }), hb.layers.dense({ units: 4 }), hb.layers.dense({ units: 2 })]);
    await renamed.loadWeights(dir);
    const shard = new Float32Array(new Uint8Array(readFileSync(join(dir, 'group1-shard1of1.bin'))).buffer);
    assert.deepEqual((await Promise.all(renamed.weights.map(async (w) => Array.from(await w.data())))).flat(), Array.from(shard));
    wrong.dispose();
    renamed.dispose();
    assert.deepEqual(await Promise.all(m.weights.map(async (w) => Array.from(await w.data()))), before);
    m.dispose();
  });

  it('the malicious Keras fixtures are refused as not TensorFlow.js layers models; nothing in them runs', async () => {
    const files = readdirSync(MALICIOUS).filter((f) => f !== 'README.md');
    assert.equal(files.length, 7);
    for (const f of files) {
      await assert.rejects(hb.loadModel(join(MALICIOUS, f)), (e: unknown) => {
        assert.ok(e instanceof ValueError);
        assert.match(e.message, new RegExp(`${f.replace(/\./g, '\\.')} is an? (zip archive|HDF5 file).*not a TensorFlow\\.js layers model`));
        return true;
      });
    }
  });
});
