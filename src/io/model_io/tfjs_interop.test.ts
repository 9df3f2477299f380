import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../../index.js';
import type { Tensor } from '../../core/tensor.js';
import type { Model } from '../../models/model.js';
import { tfjs, tfjsHandlerFromDir, tfjsHandlerToDir } from '../../../testing/tfjs_io.js';

const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'tfjs');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hebb-tfjs-'));
}

/** Close to `ref` in relative terms, with `atol` for values near 0 (saturated sigmoids). */
function assertClose(got: ArrayLike<number>, ref: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  assert.equal(got.length, ref.length, `${what}: length`);
  for (let i = 0; i < ref.length; i++) {
    const g = got[i] as number;
    const r = ref[i] as number;
    assert.ok(Math.abs(g - r) <= atol + rtol * Math.abs(r), `${what}[${i}]: ${g} vs ${r}`);
  }
}

/** Every weight set to values from a fixed uniform range, so no weight is a trivial 0 or 1. */
function randomizeHebb(m: Model): void {
  for (const w of m.weights) {
    const v = hb.randomUniform(w.shape, { minval: 0.5, maxval: 1.5 });
    w.assign(v);
    v.dispose();
  }
}

/** Sample inputs: a fixed generator's normals, as plain arrays for both libraries. */
function inputs(shape: number[], seed: number): Float32Array {
  const g = new hb.Generator(seed);
  const n = shape.reduce((a, d) => a * d, 1);
  return Float32Array.from({ length: n }, () => g.normal());
}

async function hebbOutputs(m: Model, x: Float32Array[], shapes: number[][]): Promise<Float32Array[]> {
  const xs = x.map((v, i) => hb.tensor(v, shapes[i]));
  const out = await m.predict(xs.length === 1 ? (xs[0] as Tensor) : xs);
  const list = Array.isArray(out) ? out : [out];
  const res = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
  hb.dispose([...xs, ...list]);
  return res;
}

function everyLayerFunctional(): Model {
  const L = hb.layers;
  const x = hb.input({ shape: [4], name: 'features' });
  const d = L.dense({ units: 3, activation: 'relu', kernelRegularizer: hb.regularizers.l2(0.01) }).apply(x);
  const b = L.batchNormalization({ epsilon: 0.01 }).apply(d);
  const a = L.activation({ activation: 'tanh' }).apply(b);
  const dr = L.dropout({ rate: 0.3 }).apply(a);
  const r = L.reshape({ targetShape: [3, 1] }).apply(dr);
  const f = L.flatten().apply(r);
  const lr = L.leakyRelu({ negativeSlope: 0.2 }).apply(f);
  const p = L.prelu().apply(lr);
  const e = L.elu().apply(p);
  const g = L.gaussianNoise({ stddev: 0.1 }).apply(e);
  const gd = L.gaussianDropout({ rate: 0.2 }).apply(g);
  const ad = L.alphaDropout({ rate: 0.2 }).apply(gd);
  const c = L.concatenate().apply([ad, d]);
  const sum = L.add().apply([d, b]);
  const out = L.dense({ units: 2, activation: 'softmax' }).apply(c);
  return hb.model({ inputs: x, outputs: [out, sum], name: 'every_layer' });
}

describe('TensorFlow.js interoperability (the real @tensorflow/tfjs)', () => {
  it('a functional model saved by hebb loads in tf.loadLayersModel and predicts the same (every shared layer type)', async () => {
    const tf = await tfjs();
    hb.setSeed(3);
    const m = everyLayerFunctional();
    randomizeHebb(m);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const dir = join(tmp(), 'm');
    await m.save(dir);
    const tm = await tf.loadLayersModel(tfjsHandlerFromDir(join(dir, 'model.json')));
    // tfjs compiled it from trainingConfig: same optimizer class and rate.
    assert.equal(tm.optimizer.getClassName(), 'Adam');
    const x = inputs([6, 4], 11);
    const ours = await hebbOutputs(m, [x], [[6, 4]]);
    const theirs = tm.predict(tf.tensor(x, [6, 4])) as import('@tensorflow/tfjs').Tensor[];
    ours.forEach((o, i) => assertClose(theirs[i]?.dataSync() as Float32Array, o, 1e-5, 1e-6, `output ${i}`));
    assert.deepEqual(tm.layers.map((l) => l.getClassName()), m.layers.map((l) => l.className));
    tf.dispose(theirs);
    tm.dispose();
    m.dispose();
  });

  it('a Sequential model saved by hebb loads in tfjs (dense, batch norm, dropout, leaky relu)', async () => {
    const tf = await tfjs();
    hb.setSeed(4);
    const L = hb.layers;
    const m = hb.sequential([hb.input({ shape: [5] }), L.dense({ units: 8, activation: 'sigmoid' }), L.batchNormalization(), L.dropout({ rate: 0.5 }), L.leakyRelu(), L.dense({ units: 1 })]);
    randomizeHebb(m);
    const dir = join(tmp(), 's');
    await m.save(dir);
    const tm = await tf.loadLayersModel(tfjsHandlerFromDir(join(dir, 'model.json')));
    const x = inputs([7, 5], 12);
    const [ours] = await hebbOutputs(m, [x], [[7, 5]]);
    const theirs = tm.predict(tf.tensor(x, [7, 5])) as import('@tensorflow/tfjs').Tensor;
    assertClose(theirs.dataSync(), ours as Float32Array, 1e-5, 1e-6, 'sequential');
    tf.dispose(theirs);
    tm.dispose();
    m.dispose();
  });

  it('models built and saved by tfjs load in hebb and predict the same (Sequential and functional)', async () => {
    const tf = await tfjs();
    const seq = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }),
        tf.layers.batchNormalization({ epsilon: 0.01 }),
        tf.layers.dropout({ rate: 0.25 }),
        tf.layers.reshape({ targetShape: [3, 2] }),
        tf.layers.flatten(),
        tf.layers.leakyReLU({ alpha: 0.1 }),
        tf.layers.prelu(),
        tf.layers.elu(),
        tf.layers.gaussianNoise({ stddev: 0.3 }),
        tf.layers.gaussianDropout({ rate: 0.1 }),
        tf.layers.alphaDropout({ rate: 0.1 }),
        tf.layers.activation({ activation: 'sigmoid' }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const a = tf.input({ shape: [3], name: 'a' });
    const b = tf.input({ shape: [2], name: 'b' });
    const da = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(a) as import('@tensorflow/tfjs').SymbolicTensor;
    const db = tf.layers.dense({ units: 4 }).apply(b) as import('@tensorflow/tfjs').SymbolicTensor;
    const sum = tf.layers.add().apply([da, db]) as import('@tensorflow/tfjs').SymbolicTensor;
    const cat = tf.layers.concatenate().apply([sum, b]) as import('@tensorflow/tfjs').SymbolicTensor;
    const fn = tf.model({ inputs: [a, b], outputs: [tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(cat) as import('@tensorflow/tfjs').SymbolicTensor, sum] });
    for (const tm of [seq, fn]) {
      // (tfjs's ELU supports only alpha = 1.) Non-trivial weights everywhere (batch norm's moving statistics included).
      tm.setWeights(tm.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 100 + i)));
    }
    fn.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const cases: { tm: import('@tensorflow/tfjs').LayersModel; shapes: number[][] }[] = [
      { tm: seq, shapes: [[5, 4]] },
      { tm: fn, shapes: [[5, 3], [5, 2]] },
    ];
    for (const [k, { tm, shapes }] of cases.entries()) {
      const dir = join(tmp(), `tf${k}`);
      await tm.save(tfjsHandlerToDir(dir));
      const m = await hb.loadModel(dir);
      const xs = shapes.map((s, i) => inputs(s, 20 + i));
      const ours = await hebbOutputs(m, xs, shapes);
      const out = tm.predict(xs.map((x, i) => tf.tensor(x, shapes[i]))) as import('@tensorflow/tfjs').Tensor | import('@tensorflow/tfjs').Tensor[];
      const theirs = Array.isArray(out) ? out : [out];
      assert.equal(ours.length, theirs.length);
      theirs.forEach((t, i) => assertClose(ours[i] as Float32Array, t.dataSync(), 1e-5, 1e-6, `tfjs model ${k} output ${i}`));
      tf.dispose(theirs);
      m.dispose();
    }
  });

  const fixtures = [
    ['tfjs1.2.2_ml5_fire', 'model.json', 1e-6],
    ['tfjs4.4.0_diabetes', 'my-model.json', 1e-12],
    ['converter4.22_keras3.8_titanic', 'model.json', 1e-7],
  ] as const;
  for (const [name, file, atol] of fixtures) {
    it(`the real TensorFlow.js model ${name} loads and matches its reference predictions`, async () => {
      const ref = JSON.parse(readFileSync(join(FIXTURES, `${name}.reference.json`), 'utf8')) as {
        input_order: string[];
        inputs: Record<string, number[][]>;
        outputs: Record<string, number[][]>;
      };
      const m = await hb.loadModel(join(FIXTURES, name, file));
      const x = hb.tensor(ref.inputs[ref.input_order[0] as string] as number[][]);
      const y = (await m.predict(x)) as Tensor;
      const want = (Object.values(ref.outputs)[0] as number[][]).flat();
      assertClose(await y.data(), want, 1e-5, atol, name);
      hb.dispose([x, y]);
      m.dispose();
    });
  }

  it('a model saved by tfjs, loaded and saved again by hebb, still loads in tfjs with the same predictions', async () => {
    const tf = await tfjs();
    const m = await hb.loadModel(join(FIXTURES, 'tfjs4.4.0_diabetes', 'my-model.json'));
    const dir = join(tmp(), 'again');
    await m.save(dir);
    const tm = await tf.loadLayersModel(tfjsHandlerFromDir(join(dir, 'model.json')));
    const x = inputs([4, 6], 30);
    const [ours] = await hebbOutputs(m, [x], [[4, 6]]);
    const theirs = tm.predict(tf.tensor(x, [4, 6])) as import('@tensorflow/tfjs').Tensor;
    assertClose(theirs.dataSync(), ours as Float32Array, 1e-5, 1e-12, 'round trip');
    rmSync(dir, { recursive: true, force: true });
    tf.dispose(theirs);
    tm.dispose();
    m.dispose();
  });
});
