/**
 * A fit that fails on its data changes nothing: x, y, validationData, sample and class weights
 * are all checked before the first step, so a bad label in the last sample (or in
 * validationData) trains no batch, and a refused call leaks no tensor.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ValueError } from '../core/errors.js';
import { dense, input } from '../layers/index.js';
import { model } from '../models/functional.js';
import { sequential } from '../models/sequential.js';

/** A 3-class classifier and 6 samples whose labels are all valid. */
function classifier(): { m: hb.Sequential; x: number[][]; y: number[] } {
  const m = sequential([input({ shape: [2] }), dense({ units: 3, name: 'probs', activation: 'softmax' })]);
  m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
  return { m, x: [[1, 0], [0, 1], [1, 1], [-1, 0], [0, -1], [2, 1]], y: [0, 1, 2, 0, 1, 2] };
}

const snapshot = (m: hb.Model): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

/** Asserts the promise rejects with exactly this ValueError message. */
async function rejectsWith(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected ValueError, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

describe('fit checks class ids before the first step', () => {
  it('a bad label in the last sample trains no batch; the error names the sample in the user\'s data', async () => {
    const { m, x, y } = classifier();
    const before = snapshot(m);
    const bad = [...y.slice(0, 5), 3];
    let batches = 0;
    const counter = { onTrainBatchEnd: (): void => void batches++ };
    await rejectsWith(
      m.fit(x, bad, { batchSize: 1, epochs: 2, verbose: 0, callbacks: [counter] }),
      'fit: y holds 3 at sample 5, which is not a class id: output "probs" uses sparse_categorical_crossentropy over 3 classes, so labels must be integers in [0, 3)',
    );
    await rejectsWith(m.fit(x, [0, 1, 2, -1, 1, 2], { verbose: 0 }), 'fit: y holds -1 at sample 3, which is not a class id: output "probs" uses sparse_categorical_crossentropy over 3 classes, so labels must be integers in [0, 3)');
    await rejectsWith(m.fit(x, { data: [0, 1, 2, 0, 1.5, 2], shape: [6, 1] }, { verbose: 0 }), 'fit: y holds 1.5 at sample 4, which is not a class id: output "probs" uses sparse_categorical_crossentropy over 3 classes, so labels must be integers in [0, 3)');
    assert.equal(batches, 0);
    assert.deepEqual(snapshot(m), before);
    // The same data with valid labels trains (so the checks above are what stopped it).
    await m.fit(x, y, { batchSize: 2, verbose: 0, callbacks: [counter] });
    assert.equal(batches, 3);
    assert.notDeepEqual(snapshot(m), before);
  });

  it('a bad label in validationData is found before the first epoch, not after it', async () => {
    const { m, x, y } = classifier();
    const before = snapshot(m);
    await rejectsWith(
      m.fit(x, y, { verbose: 0, validationData: [[[0, 0], [1, 2]], hb.tensor([1, 7], [2], 'int32')] }),
      'fit: validationData[1] holds 7 at sample 1, which is not a class id: output "probs" uses sparse_categorical_crossentropy over 3 classes, so labels must be integers in [0, 3)',
    );
    assert.deepEqual(snapshot(m), before);
    await rejectsWith(m.evaluate(x, [0, 1, 2, 0, 1, 9], { verbose: 0 }), 'evaluate: y holds 9 at sample 5, which is not a class id: output "probs" uses sparse_categorical_crossentropy over 3 classes, so labels must be integers in [0, 3)');
  });

  it('with several outputs, names the output; sequence labels give the flat index too', async () => {
    const i = input({ shape: [2] });
    const a = dense({ units: 1, name: 'reg' }).apply(i);
    const b = dense({ units: 4, name: 'cls' }).apply(i);
    const m = model({ inputs: i, outputs: [a, b] });
    m.compile({ optimizer: 'sgd', loss: ['mse', hb.losses.sparseCategoricalCrossentropy({ fromLogits: true })] });
    const x = [[1, 2], [3, 4]];
    await rejectsWith(
      m.fit(x, { reg: [[0.5], [2]], cls: [3, 4] }, { verbose: 0 }),
      'fit: y for output "cls" holds 4 at sample 1, which is not a class id: output "cls" uses sparse_categorical_crossentropy over 4 classes, so labels must be integers in [0, 4)',
    );
    // The regression output's targets are not class ids: 2.5 is fine there.
    await m.fit(x, { reg: [[0.5], [2.5]], cls: [3, 0] }, { verbose: 0 });

    const seq = sequential([input({ shape: [3, 2] }), dense({ units: 5, name: 'tok' })]);
    seq.compile({ optimizer: 'sgd', loss: hb.losses.sparseCategoricalCrossentropy({ fromLogits: true }) });
    const xs = hb.zeros([2, 3, 2]);
    await rejectsWith(
      seq.fit(xs, [[0, 1, 2], [3, 5, 4]], { verbose: 0 }),
      'fit: y holds 5 at sample 1 (flat index 4), which is not a class id: output "tok" uses sparse_categorical_crossentropy over 5 classes, so labels must be integers in [0, 5)',
    );
    xs.dispose();
  });
});

describe('sample and class weights', () => {
  it('negative weights are refused; zero is fine (it masks a sample)', async () => {
    const { m, x, y } = classifier();
    const before = snapshot(m);
    await rejectsWith(m.fit(x, y, { sampleWeight: [1, 1, 1, -0.5, 1, 1], verbose: 0 }), 'fit: sampleWeight[3] is -0.5; expected a finite number >= 0');
    await rejectsWith(m.fit(x, y, { classWeight: { 0: 1, 1: -2 }, verbose: 0 }), 'fit: classWeight[1] is -2; expected a finite number >= 0');
    await rejectsWith(
      m.fit(x, y, { verbose: 0, validationData: [x, y, [1, 1, 1, 1, 1, -1]] }),
      'fit: validationData[2][5] is -1; expected a finite number >= 0',
    );
    assert.deepEqual(snapshot(m), before);
    await m.fit(x, y, { sampleWeight: [1, 0, 1, 0, 1, 0], classWeight: { 0: 0, 2: 3 }, verbose: 0 });
  });

  it('classWeight keys must be class ids of the output', async () => {
    const { m, x, y } = classifier();
    const before = snapshot(m);
    for (const key of ['3', '-1', '1.5', 'one']) {
      await rejectsWith(
        m.fit(x, y, { classWeight: { [key]: 2 }, verbose: 0 }),
        `fit: classWeight has key "${key}", which is not a class of the output: each key must be an integer in [0, 3)`,
      );
    }
    assert.deepEqual(snapshot(m), before);
    // A sigmoid output (last dimension 1) has the classes 0 and 1.
    const bin = sequential([input({ shape: [2] }), dense({ units: 1, activation: 'sigmoid' })]);
    bin.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    await bin.fit(x, [[0], [1], [1], [0], [0], [1]], { classWeight: { 0: 1, 1: 2 }, verbose: 0 });
    await rejectsWith(bin.fit(x, [[0], [1], [1], [0], [0], [1]], { classWeight: { 2: 1 }, verbose: 0 }), 'fit: classWeight has key "2", which is not a class of the output: each key must be an integer in [0, 2)');
  });
});

describe('refused calls leak nothing', () => {
  it('a validationSplit that leaves no training sample', async () => {
    const { m } = classifier();
    const x = hb.tensor([[1, 2]]);
    const y = hb.tensor([1], [1], 'int32');
    const n0 = hb.numTensors();
    for (let k = 0; k < 3; k++) {
      await rejectsWith(m.fit(x, y, { validationSplit: 0.5, verbose: 0 }), 'fit: validationSplit 0.5 of 1 samples leaves 0 for training and 1 for validation');
    }
    assert.equal(hb.numTensors(), n0);
    hb.dispose([x, y]);
  });

  it('a bad label, in y or in validationData', async () => {
    const { m, x, y } = classifier();
    const xt = hb.tensor(x);
    const bad = hb.tensor([0, 1, 2, 0, 1, 3], [6], 'int32');
    const good = hb.tensor(y, [6], 'int32');
    const n0 = hb.numTensors();
    await assert.rejects(m.fit(xt, bad, { verbose: 0 }), /y holds 3 at sample 5/);
    await assert.rejects(m.fit(xt, good, { verbose: 0, validationData: [xt, bad] }), /validationData\[1\] holds 3 at sample 5/);
    assert.equal(hb.numTensors(), n0);
    hb.dispose([xt, bad, good]);
  });
});

describe('boolean and size options of the loops', () => {
  it('shuffle, training and returnDict must be booleans; validationBatchSize a positive integer', async () => {
    const { m, x, y } = classifier();
    const as = (v: unknown): boolean => v as boolean;
    await rejectsWith(m.fit(x, y, { shuffle: as('no'), verbose: 0 }), 'fit: shuffle must be true or false, received "no" (a string)');
    await rejectsWith(m.fit(x, y, { validationSplit: 0.5, validationBatchSize: 0, verbose: 0 }), 'fit: validationBatchSize must be a positive integer, received 0');
    await rejectsWith(m.predict(x, { training: as(1) }), 'predict: training must be true or false, received 1');
    await rejectsWith(m.evaluate(x, y, { returnDict: as('yes') as false, verbose: 0 }), 'evaluate: returnDict must be true or false, received "yes" (a string)');
  });
});
