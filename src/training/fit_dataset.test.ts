/**
 * fit, evaluate and predict on a stream of batches (hb.data, generators): the same numbers as
 * on the same arrays, Keras's epoch semantics (a full pass per epoch; stepsPerEpoch reads on
 * across epochs and running out stops with a warning), and bad batches reported by step.
 */
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';

const N = 10;
const X = Float32Array.from({ length: N * 3 }, (_, i) => Math.sin(i * 0.7));
const Y = Float32Array.from({ length: N }, (_, i) => (X[i * 3] as number) - 2 * (X[i * 3 + 1] as number) + 0.5);
const x = { data: X, shape: [N, 3] };
const y = { data: Y, shape: [N, 1] };

function net(): hb.Sequential {
  hb.setSeed(7);
  const m = hb.sequential([hb.layers.input({ shape: [3] }), hb.layers.dense({ units: 4, activation: 'tanh', name: 'h' }), hb.layers.dense({ units: 1, name: 'out' })]); // names fix the initial weights (rng.split(name))
  m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

const weightsOf = (m: hb.Model): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

/** Batches [rows start..start+size) of x and y, as plain host arrays. */
function rows(start: number, size: number): [{ data: Float32Array; shape: number[] }, { data: Float32Array; shape: number[] }] {
  return [
    { data: X.slice(start * 3, (start + size) * 3), shape: [size, 3] },
    { data: Y.slice(start, start + size), shape: [size, 1] },
  ];
}

describe('fit on a dataset', () => {
  it('trains exactly as on the same arrays in stored order (same batches, same steps)', async () => {
    const a = net();
    await a.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const b = net();
    const h = await b.fit(hb.data.fromArrays(x, y).batch(4), { epochs: 3, verbose: 0 });
    assert.deepEqual(weightsOf(b), weightsOf(a));
    assert.equal(h.history['loss']?.length, 3);
  });

  it('re-iterates the dataset each epoch; the progress bar shows Unknown in the first epoch, then the count', async () => {
    let passes = 0;
    const ds = hb.data.fromGenerator(function* () {
      passes++;
      for (let s = 0; s < N; s += 4) yield rows(s, Math.min(4, N - s));
    });
    const out: string[] = [];
    const stream = { isTTY: true, write: (s: string) => out.push(s) };
    const m = net();
    await m.fit(ds, { epochs: 2, verbose: 0, callbacks: [new hb.callbacks.ProgbarLogger({ stream, intervalMs: 0 })] });
    assert.equal(passes, 2);
    const text = out.join('');
    const [, epoch1 = '', epoch2 = ''] = text.split(/Epoch \d\/2\n/);
    // redrawn after each batch: 1/Unknown, 2/Unknown, 3/Unknown, then the epoch's last line counts 3/3
    assert.match(epoch1, /^\r {6}1\/Unknown \d+s \d+\w+\/step - loss: /);
    assert.match(epoch1, /\r {6}3\/Unknown /);
    assert.match(epoch1, /\r3\/3 \S*━/);
    assert.match(epoch2, /^\r1\/3 /);
    assert.doesNotMatch(epoch2, /Unknown/);
  });

  it('with stepsPerEpoch reads on from one iterator across epochs, and stops with a warning when it runs out', async () => {
    let made = 0;
    let pulled = 0;
    const ds = hb.data.fromGenerator(function* () {
      made++;
      for (let s = 0; s < 5; s++) {
        pulled++;
        yield rows(s * 2, 2);
      }
    });
    const warn = mock.method(console, 'warn', () => {});
    try {
      const m = net();
      const h = await m.fit(ds, { epochs: 2, stepsPerEpoch: 2, verbose: 0 });
      assert.equal(made, 1);
      assert.equal(pulled, 4); // no batch read beyond stepsPerEpoch × epochs
      assert.equal(h.epoch.length, 2);
      assert.equal(warn.mock.callCount(), 0);
      const m2 = net();
      const h2 = await m2.fit(ds, { epochs: 4, stepsPerEpoch: 2, verbose: 0 });
      // 5 batches: epochs 1 and 2 full, epoch 3 has one batch, then training stops
      assert.deepEqual(h2.epoch, [0, 1, 2]);
      assert.equal(warn.mock.callCount(), 1);
      assert.match(String(warn.mock.calls[0]?.arguments[0]), /fit: x ran out of data at batch 2 of epoch 3; training stops after this epoch\. Make sure it can yield stepsPerEpoch × epochs = 8 batches/);
    } finally {
      warn.mock.restore();
    }
  });

  it('a one-shot generator object without stepsPerEpoch: the second epoch is an error naming the fix', async () => {
    function* gen(): Generator<ReturnType<typeof rows>> {
      yield rows(0, 5);
      yield rows(5, 5);
    }
    const m = net();
    await assert.rejects(m.fit(gen(), { epochs: 2, verbose: 0 }), /fit: x yielded no batches in pass 2 \(the first pass gave 2\); an iterable that can be iterated only once/);
    // with stepsPerEpoch the same generator object serves both epochs
    const h = await net().fit(gen(), { epochs: 2, stepsPerEpoch: 1, verbose: 0 });
    assert.equal(h.epoch.length, 2);
  });

  it('accepts async iterables and {x, y} batches, and validates on a dataset with validationSteps', async () => {
    async function* gen(): AsyncGenerator<{ x: { data: Float32Array; shape: number[] }; y: { data: Float32Array; shape: number[] } }> {
      for (let s = 0; s < N; s += 5) {
        const [bx, by] = rows(s, 5);
        yield { x: bx, y: by };
      }
    }
    const m = net();
    const val = hb.data.fromArrays(x, y).batch(5);
    const h = await m.fit(hb.data.fromGenerator(gen), { epochs: 1, verbose: 0, validationData: val, validationSteps: 1 });
    const first = await m.evaluate(hb.data.fromArrays(x, y).take(5).batch(5), { verbose: 0 });
    assert.equal(h.history['val_loss']?.[0], first);
  });

  it('evaluate and predict on datasets agree with the arrays; predict takes [x, y] batches and ignores y', async () => {
    const m = net();
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const onArrays = await m.evaluate(x, y, { batchSize: 4, verbose: 0 });
    const onDataset = await m.evaluate(hb.data.fromArrays(x, y).batch(4), { verbose: 0 });
    assert.ok(Math.abs((onDataset as number) - (onArrays as number)) < 1e-6, `${onDataset} vs ${onArrays}`);
    const p1 = (await m.predict(x)).dataSync();
    const p2 = (await m.predict(hb.data.fromArrays(x, y).batch(3))).dataSync();
    assert.deepEqual(Array.from(p2), Array.from(p1));
    const p3 = await m.predict(hb.data.fromArrays(x).batch(4), { steps: 2 });
    assert.deepEqual(p3.shape, [8, 1]);
  });

  it('[x, y, sampleWeight] batches weigh the loss as sampleWeight does with arrays', async () => {
    const w = Float32Array.from({ length: N }, (_, i) => (i % 3) / 2);
    const a = net();
    await a.fit(x, y, { epochs: 2, batchSize: 5, shuffle: false, sampleWeight: w, verbose: 0 });
    const b = net();
    await b.fit(hb.data.fromTensorSlices([x, y, { data: w, shape: [N] }]).batch(5), { epochs: 2, verbose: 0 });
    const [wa, wb] = [weightsOf(a), weightsOf(b)];
    wa.forEach((v, k) => v.forEach((e, i) => assert.ok(Math.abs(e - (wb[k]?.[i] as number)) < 1e-6)));
  });

  it('classWeight folds into each batch as it does with arrays (and with [x, y, sampleWeight] batches)', async () => {
    const labels = { data: Float32Array.from({ length: N }, (_, i) => (Y[i] as number) > 0.5 ? 1 : 0), shape: [N, 1] };
    const w = Float32Array.from({ length: N }, (_, i) => 0.5 + (i % 2));
    const make = (): hb.Sequential => {
      hb.setSeed(9);
      const m = hb.sequential([hb.layers.input({ shape: [3] }), hb.layers.dense({ units: 1, activation: 'sigmoid', name: 'p' })]);
      m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.5 }), loss: 'binaryCrossentropy' });
      return m;
    };
    const classWeight = { 0: 1, 1: 3 };
    const a = make();
    await a.fit(x, labels, { epochs: 2, batchSize: 4, shuffle: false, classWeight, sampleWeight: w, verbose: 0 });
    const b = make();
    await b.fit(hb.data.fromTensorSlices([x, labels, w]).batch(4), { epochs: 2, classWeight, verbose: 0 });
    const c = make();
    await c.fit(x, labels, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 }); // unweighted: differs
    weightsOf(a).forEach((v, k) => v.forEach((e, i) => assert.ok(Math.abs(e - (weightsOf(b)[k]?.[i] as number)) < 1e-6)));
    assert.notDeepEqual(weightsOf(c), weightsOf(a));
  });

  it('a two-input model takes batches {x: {a, b}, y} and [[a, b], y], as fit takes the same arrays', async () => {
    const make = (): hb.Model => {
      hb.setSeed(5);
      const a = hb.layers.input({ shape: [2], name: 'a' });
      const b = hb.layers.input({ shape: [1], name: 'b' });
      const joined = hb.layers.concatenate({ name: 'cat' }).apply([a, b]);
      const m = hb.model({ inputs: [a, b], outputs: hb.layers.dense({ units: 1, name: 'o' }).apply(joined) });
      m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
      return m;
    };
    const xa = { data: X.slice(0, N * 2), shape: [N, 2] };
    const xb = { data: X.slice(N * 2, N * 3), shape: [N, 1] };
    const ref = make();
    await ref.fit({ a: xa, b: xb }, y, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    const byName = make();
    await byName.fit(hb.data.fromTensorSlices({ x: { a: xa, b: xb }, y }).batch(5), { epochs: 1, verbose: 0 });
    const byOrder = make();
    await byOrder.fit(hb.data.fromTensorSlices([[xa, xb], y]).batch(5), { epochs: 1, verbose: 0 });
    for (const m of [byName, byOrder]) {
      weightsOf(m).forEach((v, k) => v.forEach((e, i) => assert.ok(Math.abs(e - (weightsOf(ref)[k]?.[i] as number)) < 1e-6)));
    }
  });

  it('tensors a generator yields are freed after their step (no leak over many steps)', async () => {
    const m = net();
    const gen = function* (): Generator<[hb.Tensor, hb.Tensor]> {
      for (let s = 0; s < 40; s++) yield [hb.tensor(X.slice(0, 6), [2, 3]), hb.tensor(Y.slice(0, 2), [2, 1])];
    };
    await m.fit(hb.data.fromGenerator(gen), { epochs: 1, verbose: 0 }); // warm up: optimizer state, pools
    const before = hb.numTensors();
    await m.fit(hb.data.fromGenerator(gen), { epochs: 2, verbose: 0 });
    assert.equal(hb.numTensors(), before);
  });
});

describe('fit on a dataset: bad input', () => {
  it('a dataset that yields nothing', async () => {
    await assert.rejects(net().fit(hb.data.fromGenerator(function* () {}), { verbose: 0 }), /fit: x yielded no batches; expected \[x, y\] batches/);
  });

  it('a batch of the wrong shape, the wrong dtype, or with x and y of different lengths names the step', async () => {
    const bad = (b: number, fn: () => unknown) =>
      hb.data.fromGenerator(function* () {
        for (let s = 0; s < 4; s++) yield s === b ? fn() : rows(s * 2, 2);
      });
    const m = net();
    await assert.rejects(m.fit(bad(2, () => [{ data: new Float32Array(8), shape: [2, 4] }, rows(0, 2)[1]]), { epochs: 2, verbose: 0 }), (e: Error) => {
      assert.ok(e instanceof hb.ShapeError);
      assert.match(e.message, /fit: input "\w+" expects x of batch 3 \(epoch 1\) of shape \[null, 3\], received shape \[2, 4\]/);
      return true;
    });
    await assert.rejects(m.fit(bad(1, () => [rows(0, 3)[0], rows(0, 2)[1]]), { verbose: 0 }), /fit: batch 2 \(epoch 1\) has 3 samples in x but 2 in y; expected the same number/);
    await assert.rejects(m.fit(bad(3, () => [rows(0, 2)[0], { data: new Int32Array(2), shape: [2, 1] }]), { verbose: 0 }), (e: Error) => {
      assert.ok(e instanceof hb.DTypeError);
      assert.match(e.message, /fit: y of batch 4 \(epoch 1\) has dtype int32; expected float32 as in the first batch/);
      return true;
    });
    await assert.rejects(m.fit(bad(1, () => [rows(0, 2)[0], { data: new Float32Array(4), shape: [2, 2] }]), { verbose: 0 }), /fit: y of batch 2 \(epoch 1\) has shape \[2, 2\]; expected \[batch, 1\] as in the first batch/);
    await assert.rejects(m.fit(bad(0, () => 42), { verbose: 0 }), /fit: batch 1 is 42; expected \[x, y\], \[x, y, sampleWeight\] or \{x, y, sampleWeight\}/);
  });

  it('batchSize, shuffle and the other array-only options are errors naming them; stepsPerEpoch with arrays too', async () => {
    const ds = hb.data.fromArrays(x, y).batch(4);
    await assert.rejects(net().fit(ds, { batchSize: 8, shuffle: true, verbose: 0 }), /fit: batchSize, shuffle cannot be used with a dataset/);
    await assert.rejects(net().fit(ds, { sampleWeight: [1], verbose: 0 }), /fit: sampleWeight cannot be used with a dataset/);
    await assert.rejects(net().evaluate(ds, { batchSize: 8 }), /evaluate: batchSize cannot be used with a dataset/);
    await assert.rejects(net().fit(x, y, { stepsPerEpoch: 2, verbose: 0 }), /fit: stepsPerEpoch applies to a dataset/);
    await assert.rejects(net().fit(ds, { stepsPerEpoch: 0, verbose: 0 }), /fit: stepsPerEpoch must be a positive integer, received 0/);
  });

  it('NaN in the batches: the non-finite guard skips the steps and names the training step (the epoch length is unknown)', async () => {
    const nan = hb.data.fromGenerator(function* () {
      for (let s = 0; s < 5; s++) yield [{ data: new Float32Array(6).fill(NaN), shape: [2, 3] }, rows(0, 2)[1]];
    });
    await assert.rejects(net().fit(nan, { verbose: 0, maxConsecutiveSkips: 3 }), /fit: model "\w+" stopped after 3 consecutive training steps with a non-finite loss or gradient \(NaN or Infinity\), the last at training step 3;/);
  });

  it('backupAndRestore with a dataset is refused, naming the alternative', async () => {
    const ds = hb.data.fromArrays(x, y).batch(4);
    const cb = hb.callbacks.backupAndRestore({ backupDir: '/tmp/hebb-never-written' });
    await assert.rejects(net().fit(ds, { verbose: 0, callbacks: [cb] }), /fit: backupAndRestore needs x and y arrays.*modelCheckpoint/);
  });
});
