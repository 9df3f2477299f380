import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../../index.js';
import type { Model } from '../../models/model.js';
import type { Tensor } from '../../core/tensor.js';

const L = hb.layers;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hebb-savekeras-'));
}

/** Every weight set to distinct non-trivial values (BN moving statistics included), from a seeded generator. */
function scrambleWeights(model: Model, seed: number): void {
  const g = new hb.Generator(seed);
  for (const l of model.layers) {
    const ws = l.weights;
    if (ws.length === 0) continue;
    l.setWeights(ws.map((w) => (w.dtype === 'int32' ? hb.full(w.shape, 7, 'int32') : hb.add(hb.randomUniform(w.shape, { minval: 0.2, maxval: 1.5, generator: g }), 0))));
  }
}

async function values(out: Tensor | Tensor[]): Promise<number[][]> {
  const list = Array.isArray(out) ? out : [out];
  return Promise.all(list.map(async (t) => Array.from(await t.data(), Number)));
}

async function roundTrip(model: Model, x: Tensor | Tensor[]): Promise<Model> {
  const dir = tmp();
  try {
    const file = join(dir, 'm.keras');
    await model.saveKeras(file);
    const back = await hb.loadKerasModel(file);
    // Identical, not close: the same float32 weights through the same kernels.
    assert.deepEqual(await values(await back.predict(x)), await values(await model.predict(x)));
    assert.deepEqual(back.layers.map((l) => [l.className, l.name]), model.layers.map((l) => [l.className, l.name]));
    return back;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('saveKeras → loadKerasModel: identical predictions', () => {
  it('a Sequential model with every weightless and weighted layer type hebb has', async () => {
    const norm = L.normalization();
    norm.adapt(hb.tensor([[1, 10, 3, 0], [3, 30, 9, 1], [2, 20, 6, 5]]));
    const model = hb.sequential([
      L.input({ shape: [4] }),
      norm,
      L.dense({ units: 6, activation: 'tanh', kernelRegularizer: hb.regularizers.l2(0.01), kernelConstraint: hb.constraints.maxNorm({ maxValue: 3 }) }),
      L.batchNormalization({ epsilon: 0.01 }),
      L.prelu(),
      L.dense({ units: 6 }),
      L.leakyRelu({ negativeSlope: 0.2 }),
      L.elu({ alpha: 0.5 }),
      L.dropout({ rate: 0.3 }),
      L.alphaDropout({ rate: 0.1 }),
      L.gaussianNoise({ stddev: 0.2 }),
      L.gaussianDropout({ rate: 0.2 }),
      L.reshape({ targetShape: [3, 2] }),
      L.flatten(),
      L.dense({ units: 3, useBias: false }),
      L.activation({ activation: 'softmax' }),
    ]);
    scrambleWeights(model, 3);
    // Normalization's statistics stay the adapted ones (count is an int64 in the file).
    norm.adapt(hb.tensor([[1, 10, 3, 0], [3, 30, 9, 1], [2, 20, 6, 5]]));
    const back = await roundTrip(model, hb.randomNormal([7, 4], { generator: new hb.Generator(1) }));
    const bn = back.layers.find((l) => l.className === 'BatchNormalization');
    assert.deepEqual(bn?.getConfig()['epsilon'], 0.01);
    const count = back.layers[0]?.weights.find((w) => w.name.endsWith('count'));
    assert.equal(count?.dtype, 'int32');
    assert.deepEqual(Array.from(await (count as Tensor).data()), [3]);
  });

  it('Normalization with mean and variance in the config (no weights)', async () => {
    const model = hb.sequential([L.input({ shape: [3] }), L.normalization({ mean: [1, 2, 3], variance: [4, 1, 0.25] }), L.dense({ units: 2 })]);
    await roundTrip(model, hb.tensor([[0, 1, 2], [5, 5, 5]]));
  });

  it('a functional model: two inputs, Concatenate and Add, two outputs, a shared layer', async () => {
    const wide = hb.input({ shape: [5], name: 'wide_input' });
    const deep = hb.input({ shape: [6], name: 'deep_input' });
    const h1 = L.dense({ units: 4, activation: 'relu' }).apply(deep);
    const shared = L.dense({ units: 4, activation: 'relu', name: 'shared' });
    const h2 = shared.apply(h1);
    const h3 = shared.apply(h2);
    const cat = L.concatenate().apply([wide, h3]);
    const out1 = L.dense({ units: 1, name: 'main' }).apply(cat);
    const sum = L.add().apply([h2, h3]);
    const out2 = L.dense({ units: 2, activation: 'softmax', name: 'aux' }).apply(L.batchNormalization().apply(sum));
    const model = hb.model({ inputs: [wide, deep], outputs: [out1, out2] as hb.SymbolicTensor[] });
    scrambleWeights(model, 5);
    const g = new hb.Generator(2);
    const back = await roundTrip(model, [hb.randomNormal([4, 5], { generator: g }), hb.randomNormal([4, 6], { generator: g })]);
    assert.equal(back.layers.filter((l) => l.name === 'shared').length, 1);
  });

  it('a compiled and trained model: the same predictions, and the file holds a compile_config', async () => {
    const model = hb.sequential([L.input({ shape: [2] }), L.dense({ units: 3, activation: 'relu' }), L.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit(hb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), hb.tensor([[0], [1], [1], [0]]), { epochs: 3, verbose: 0 });
    const back = await roundTrip(model, hb.tensor([[0.5, 0.2]]));
    assert.equal(back.compiled, null); // hebb's loader never compiles from a file
  });
});

describe('saveKeras: the path, refused models, atomic writes', () => {
  const small = (): Model => hb.sequential([L.input({ shape: [2] }), L.dense({ units: 1 })]);

  it('needs a .keras path', async () => {
    await assert.rejects(small().saveKeras('/tmp/model.h5'), /saveKeras: the path must end in "\.keras".*received "\/tmp\/model\.h5"/);
  });

  it('refuses a Sequential model without an input shape, naming the model', async () => {
    const m = hb.sequential([L.dense({ units: 1 })], { name: 'lazy' });
    await assert.rejects(m.saveKeras(join(tmp(), 'm.keras')), /saveKeras: Sequential model "lazy" has no input shape/);
  });

  it('refuses a nested model, naming the layer', async () => {
    const inner = hb.sequential([L.input({ shape: [2] }), L.dense({ units: 2 })], { name: 'inner' });
    const x = hb.input({ shape: [2] });
    const m = hb.model({ inputs: x, outputs: L.dense({ units: 1 }).apply(inner.apply(x) as hb.SymbolicTensor) as hb.SymbolicTensor });
    await assert.rejects(m.saveKeras(join(tmp(), 'm.keras')), /saveKeras: layer "inner" is a nested model \(Sequential\)/);
  });

  it('replaces an existing file atomically and leaves no temporary file', async () => {
    const dir = tmp();
    try {
      const file = join(dir, 'm.keras');
      writeFileSync(file, 'old');
      await small().saveKeras(file);
      assert.deepEqual(readdirSync(dir), ['m.keras']);
      assert.equal(readFileSync(file)[0], 0x50); // a zip now
      await hb.loadKerasModel(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to replace a directory, and writes nothing', async () => {
    const dir = tmp();
    try {
      const target = join(dir, 'm.keras');
      mkdirSync(target);
      await assert.rejects(small().saveKeras(target), /saveKeras: .*m\.keras exists and is not a file/);
      assert.deepEqual(readdirSync(dir), ['m.keras']);
      assert.ok(existsSync(target));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
