import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../../index.js';
import type { Tensor } from '../../core/tensor.js';
import type { Model } from '../../models/model.js';
import type { ModelArtifacts } from './artifacts.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hebb-save-'));
}

async function weightsOf(m: Model): Promise<number[][]> {
  return Promise.all(m.weights.map(async (w) => Array.from(await w.data())));
}

/** A small classifier and data; every call with the same seed makes the same model and data. */
function setup(seed: number, optimizer: hb.CompileOptions['optimizer']): { m: Model; x: Tensor; y: Tensor } {
  // Initial weights depend on the layer names (core/random.ts's split): the same names each time.
  hb.layers.resetLayerNames();
  hb.setSeed(seed);
  const L = hb.layers;
  const m = hb.sequential([hb.input({ shape: [4] }), L.dense({ units: 8, activation: 'relu' }), L.batchNormalization(), L.dropout({ rate: 0.2 }), L.dense({ units: 3, activation: 'softmax' })]);
  m.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const g = new hb.Generator(seed + 1);
  const x = hb.tensor(Float32Array.from({ length: 64 * 4 }, () => g.normal()), [64, 4]);
  const y = hb.tensor(Int32Array.from({ length: 64 }, () => g.uint32() % 3), [64], 'int32');
  return { m, x, y };
}

describe('model.save / hb.loadModel', () => {
  it('writes the layers-model files: model.json with topology, manifest and metadata, and a shard', async () => {
    const { m } = setup(1, 'adam');
    const dir = join(tmp(), 'model');
    await m.save(dir);
    // Not trained yet: no optimizer state to write.
    assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(j.format, 'layers-model');
    assert.match(j.generatedBy, /^hebb v/);
    assert.equal(j.convertedBy, null);
    assert.equal(j.modelTopology.class_name, 'Sequential');
    assert.deepEqual(j.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name), ['InputLayer', 'Dense', 'BatchNormalization', 'Dropout', 'Dense']);
    assert.equal(j.modelTopology.config.layers[1].config.use_bias, true);
    assert.deepEqual(j.trainingConfig.optimizer_config.class_name, 'Adam');
    assert.equal(j.trainingConfig.loss, 'sparse_categorical_crossentropy');
    const specs = j.weightsManifest[0].weights;
    assert.deepEqual(specs.map((s: { name: string }) => s.name), m.weights.map((w) => w.name));
    const bytes = specs.reduce((n: number, s: { shape: number[] }) => n + 4 * s.shape.reduce((a, d) => a * d, 1), 0);
    assert.equal(readFileSync(join(dir, 'group1-shard1of1.bin')).byteLength, bytes);
    assert.equal(j.hebb.compile.optimizer.name, 'adam');
    m.dispose();
  });

  it('a loaded model predicts identically', async () => {
    const { m, x, y } = setup(2, 'adam');
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const dir = join(tmp(), 'model');
    await m.save(dir);
    assert.ok(existsSync(join(dir, 'optimizer-shard1of1.bin')));
    const back = await hb.loadModel(dir);
    assert.deepEqual(await weightsOf(back), await weightsOf(m));
    const a = (await m.predict(x)) as Tensor;
    const b = (await back.predict(x)) as Tensor;
    assert.deepEqual(Array.from(await b.data()), Array.from(await a.data()));
    assert.deepEqual(back.metricsNames, m.metricsNames);
    assert.deepEqual(await back.evaluate(x, y, { verbose: 0 }), await m.evaluate(x, y, { verbose: 0 }));
    hb.dispose([a, b, x, y]);
    m.dispose();
    back.dispose();
  });

  for (const opt of ['adam', 'sgd', 'nadam', 'rmsprop'] as const) {
    it(`continues training identically (${opt}): 2 epochs = 1 epoch, save, load, 1 epoch (bit for bit)`, async () => {
      const ref = setup(5, opt === 'sgd' ? hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }) : opt);
      await ref.m.fit(ref.x, ref.y, { epochs: 2, batchSize: 16, verbose: 0 });
      const want = await weightsOf(ref.m);

      const run = setup(5, opt === 'sgd' ? hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }) : opt);
      await run.m.fit(run.x, run.y, { epochs: 1, batchSize: 16, verbose: 0 });
      const dir = join(tmp(), 'model');
      await run.m.save(dir);
      run.m.dispose();
      // Another process would start with another generator: scramble ours to prove the state comes from the file.
      hb.setSeed(999);
      const back = await hb.loadModel(dir, { restoreRandomState: true });
      assert.equal(back.optimizer?.name, opt);
      await back.fit(run.x, run.y, { epochs: 1, batchSize: 16, verbose: 0 });
      assert.deepEqual(await weightsOf(back), want);
      hb.dispose([ref.x, ref.y, run.x, run.y]);
      ref.m.dispose();
      back.dispose();
    });
  }

  it('without the optimizer state the continued run differs (the state is what makes it identical)', async () => {
    const ref = setup(6, 'adam');
    await ref.m.fit(ref.x, ref.y, { epochs: 2, batchSize: 16, verbose: 0 });
    const run = setup(6, 'adam');
    await run.m.fit(run.x, run.y, { epochs: 1, batchSize: 16, verbose: 0 });
    const dir = join(tmp(), 'model');
    await run.m.save(dir, { includeOptimizer: false });
    const back = await hb.loadModel(dir, { restoreRandomState: true });
    assert.equal(back.optimizer, null);
    back.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await back.fit(run.x, run.y, { epochs: 1, batchSize: 16, verbose: 0 });
    assert.notDeepEqual(await weightsOf(back), await weightsOf(ref.m));
    hb.dispose([ref.x, ref.y, run.x, run.y]);
    for (const m of [ref.m, run.m, back]) m.dispose();
  });

  it('stores a learning-rate schedule, clipping and the loss options', async () => {
    hb.setSeed(7);
    const m = hb.sequential([hb.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    const lr = hb.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: lr, clipnorm: 1 }), loss: hb.losses.binaryCrossentropy({ fromLogits: true }) });
    const dir = join(tmp(), 'model');
    await m.save(dir);
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(j.trainingConfig, undefined, 'tfjs has no schedules: no trainingConfig for it');
    const back = await hb.loadModel(dir);
    const o = back.optimizer;
    assert.ok(o && typeof o.learningRate === 'function');
    assert.equal((o.learningRate as (s: number) => number)(20), 0.1 * 0.5 ** 2);
    assert.deepEqual(o.getConfig(), m.optimizer?.getConfig());
    const lossConfig = (mm: Model): unknown => hb.getLoss(mm.compiled?.options.loss as hb.Loss).getConfig();
    assert.deepEqual(lossConfig(back), lossConfig(m));
    assert.equal((lossConfig(back) as { fromLogits: boolean }).fromLogits, true);
    m.dispose();
    back.dispose();
  });

  it('a model compiled with a loss function saves without compile options and says why', async () => {
    const m = hb.sequential([hb.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    m.compile({ optimizer: 'sgd', loss: (a: Tensor, b: Tensor) => hb.mean(hb.square(hb.sub(a, b)), -1) });
    let saved: ModelArtifacts | null = null;
    await m.save({ save: async (a) => void (saved = a) });
    const s = saved as ModelArtifacts | null;
    assert.ok(s);
    assert.match(String(s.hebb?.['compileNotSaved']), /function/);
    assert.equal(s.hebb?.['compile'], undefined);
    m.dispose();
  });

  it('saveWeights / loadWeights, for a subclassed model too; a functional model round-trips through an IOHandler', async () => {
    class Two extends hb.Model {
      a = hb.layers.dense({ units: 3, name: 'two_a' });
      b = hb.layers.dense({ units: 1, name: 'two_b' });
      override call(x: Tensor | Tensor[]): Tensor {
        return this.b.apply(this.a.apply(x as Tensor) as Tensor) as Tensor;
      }
    }
    const x = hb.ones([2, 4]);
    const m1 = new Two();
    await m1.predict(x);
    const dir = join(tmp(), 'w');
    await m1.saveWeights(dir);
    await assert.rejects(m1.save(join(tmp(), 'x')), /subclassed model.*saveWeights/);
    await assert.rejects(hb.loadModel(dir), /no modelTopology/);
    const m2 = new Two();
    // Same layer names (given), fresh weights.
    Object.defineProperty(m2.a, 'name', { value: 'two_a' });
    await m2.predict(x);
    await m2.loadWeights(dir);
    assert.deepEqual(await weightsOf(m2), await weightsOf(m1));

    const i = hb.input({ shape: [3] });
    const f = hb.model({ inputs: i, outputs: hb.layers.dense({ units: 2 }).apply(i) as hb.SymbolicTensor });
    let stored: ModelArtifacts | null = null;
    await f.save({ save: async (a) => void (stored = a) });
    const g = await hb.loadModel({ load: async () => stored as unknown as ModelArtifacts });
    assert.deepEqual(await weightsOf(g), await weightsOf(f));
    hb.dispose(x);
    for (const m of [m1, m2, f, g]) m.dispose();
  });

  it('a save replaces the previous one and leaves no temporary folders', async () => {
    const { m } = setup(8, 'adam');
    const parent = tmp();
    const dir = join(parent, 'model');
    await m.save(dir);
    const w = m.weights[0] as hb.Variable;
    w.assign(hb.zerosLike(w));
    await m.save(dir);
    assert.deepEqual(readdirSync(parent), ['model']);
    const back = await hb.loadModel(join(dir, 'model.json'));
    assert.ok((await (back.weights[0] as hb.Variable).data()).every((v) => v === 0));
    assert.equal(existsSync(`${dir}.previous`), false);
    m.dispose();
    back.dispose();
  });
});
