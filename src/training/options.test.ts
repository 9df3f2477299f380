/**
 * compile, fit, evaluate and predict reject unknown option names: in plain JavaScript
 * `fit(x, y, {validation_split: 0.2})` would otherwise train without validation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertThrowsExact } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;

function tiny(): hb.Sequential {
  const m = hb.sequential([hb.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

async function rejectsExact(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof hb.ValueError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

describe('training options', () => {
  const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
  const y = [[1], [1], [2], [0]];

  it('fit names the option and the closest valid one, before any training', async () => {
    const m = tiny();
    const before = m.getWeights();
    await rejectsExact(m.fit(x, y, loose({ validation_split: 0.25, verbose: 0 })), 'fit: unknown option "validation_split"; did you mean "validationSplit"?');
    await rejectsExact(m.fit(x, y, loose({ epoch: 3, verbose: 0 })), 'fit: unknown option "epoch"; did you mean "epochs"?');
    await rejectsExact(m.fit(x, y, loose({ batch_size: 2, verbose: 0 })), 'fit: unknown option "batch_size"; did you mean "batchSize"?');
    await rejectsExact(m.fit(x, y, loose(5)), 'fit: expected an options object, received 5');
    const after = m.getWeights();
    before.forEach((w, i) => assert.deepEqual(w.dataSync(), after[i]?.dataSync()));
    hb.dispose([...before, ...after]);
    // The right name trains with validation.
    const h = await m.fit(x, y, { validationSplit: 0.25, epochs: 1, verbose: 0 });
    assert.ok('val_loss' in h.history);
    m.dispose();
  });

  it('evaluate and predict too', async () => {
    const m = tiny();
    await rejectsExact(m.evaluate(x, y, loose({ batch_size: 2, verbose: 0 })), 'evaluate: unknown option "batch_size"; did you mean "batchSize"?');
    await rejectsExact(m.evaluate(x, y, loose({ return_dict: true, verbose: 0 })), 'evaluate: unknown option "return_dict"; did you mean "returnDict"?');
    const logs = await m.evaluate(x, y, { returnDict: true, verbose: 0 });
    assert.ok(typeof logs['loss'] === 'number');
    await rejectsExact(m.predict(x, loose({ batchsize: 2 })), 'predict: unknown option "batchsize"; did you mean "batchSize"?');
    await rejectsExact(m.predict(x, loose({ verbose: 0 })), 'predict: unknown option "verbose"; valid options: batchSize, training, callbacks, steps, capture');
    m.dispose();
  });

  it('compile', () => {
    const m = hb.sequential([hb.layers.dense({ units: 1, inputShape: [2] })]);
    assertThrowsExact(() => m.compile(loose({ optimizer: 'sgd', loss: 'mse', metric: ['mae'] })), hb.ValueError, 'compile: unknown option "metric"; did you mean "metrics"?');
    assertThrowsExact(() => m.compile(loose({ optimizer: 'sgd', loss: 'mse', loss_weights: [1] })), hb.ValueError, 'compile: unknown option "loss_weights"; did you mean "lossWeights"?');
    assertThrowsExact(() => m.compile(loose(undefined)), hb.ValueError, 'compile: options are required: {optimizer, loss, metrics}');
    assertThrowsExact(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [loose('2')] }), hb.ValueError, 'compile: lossWeights for output "dense" must be a finite number, received "2" (a string)'.replace('"dense"', `"${m.layers[0]?.name}"`));
    m.dispose();
  });

  it('shows received values as given', async () => {
    const m = tiny();
    await rejectsExact(m.fit(x, y, { epochs: loose('2'), verbose: 0 }), 'fit: epochs must be a non-negative integer, received "2" (a string)');
    await rejectsExact(m.fit(x, y, { validationSplit: NaN, verbose: 0 }), 'fit: validationSplit must be in [0, 1), received NaN');
    await rejectsExact(m.fit(x, y, { batchSize: 0, verbose: 0 }), 'fit: batchSize must be a positive integer, received 0');
    m.dispose();
  });
});
