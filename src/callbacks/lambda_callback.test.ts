import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { CallbackList } from './callback.js';

const loose = <T>(v: unknown): T => v as T;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('LambdaCallback', () => {
  it('calls each given function at its hook, awaiting async ones before training goes on', async () => {
    hb.setSeed(1);
    const x = hb.randomNormal([4, 2]);
    const y = hb.randomNormal([4, 1]);
    const model = hb.sequential([hb.layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const seen: string[] = [];
    const cb = hb.callbacks.lambdaCallback({
      onTrainBegin: () => void seen.push('trainBegin'),
      onEpochBegin: (e) => void seen.push(`epochBegin ${e}`),
      onBatchBegin: async (b) => {
        await sleep(5);
        seen.push(`batchBegin ${b}`);
      },
      onBatchEnd: async (b, logs) => {
        const l = await logs.read();
        seen.push(`batchEnd ${b} ${typeof l['loss']}`);
      },
      onEpochEnd: async (e, logs) => {
        await sleep(20);
        seen.push(`epochEnd ${e} ${typeof logs['loss']}`);
      },
      onTrainEnd: async (logs) => {
        await sleep(5);
        seen.push(`trainEnd ${Object.keys(logs).sort().join(',')}`);
      },
    });
    await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [cb] });
    const epoch = (e: number): string[] => [`epochBegin ${e}`, 'batchBegin 0', 'batchEnd 0 number', 'batchBegin 1', 'batchEnd 1 number', `epochEnd ${e} number`];
    assert.deepEqual(seen, ['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd learning_rate,loss']);
  });

  it('defines only the hooks it was given, and checks them', () => {
    const cb = hb.callbacks.lambdaCallback({ onEpochEnd: () => {} });
    const list = new CallbackList([cb]);
    assert.equal(list.has('onEpochEnd'), true);
    assert.equal(list.has('onTrainBatchEnd'), false);
    assert.equal(list.has('onTrainBatchBegin'), false);
    assert.throws(() => hb.callbacks.lambdaCallback(loose({ onEpochEnd: 3 })), new hb.ValueError('LambdaCallback: onEpochEnd must be a function, received 3'));
    assert.throws(() => hb.callbacks.lambdaCallback(loose({ onEpochEnd: () => {}, onTestEnd: () => {} })), /LambdaCallback: unknown option "onTestEnd"/);
  });
});
