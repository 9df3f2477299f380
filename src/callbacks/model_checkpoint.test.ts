import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../index.js';
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { CallbackModel, Logs } from './callback.js';
import { lazyLogs } from './callback.js';
import { ModelCheckpoint, type ModelCheckpointOptions } from './model_checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'hebb-ckpt-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Records what it was asked to save, in order: "model <path>" or "weights <path>". */
class RecordingModel implements CallbackModel {
  stopTraining = false;
  readonly saved: string[] = [];
  getWeights(): Tensor[] {
    return [];
  }
  setWeights(): void {}
  async save(path: string | hb.IOHandler): Promise<void> {
    this.saved.push(`model ${typeof path === 'string' ? path : 'the IOHandler'}`);
  }
  async saveWeights(path: string | hb.IOHandler): Promise<void> {
    this.saved.push(`weights ${typeof path === 'string' ? path : 'the IOHandler'}`);
  }
}

/** Drives a callback's epoch hooks through a hand-made sequence of logs; returns what was saved. */
async function epochs(options: ModelCheckpointOptions, logs: Logs[], cb = new ModelCheckpoint(options), model = new RecordingModel()): Promise<string[]> {
  cb.setModel(model);
  for (const [epoch, l] of logs.entries()) {
    cb.onEpochBegin(epoch);
    await cb.onEpochEnd(epoch, l);
  }
  return model.saved;
}

function problem(seed: number): { model: hb.Sequential; x: hb.Tensor; y: hb.Tensor } {
  hb.setSeed(seed);
  const x = hb.randomNormal([24, 3]);
  const y = hb.cast(hb.greater(hb.sum(x, 1, true), hb.scalar(0)), 'float32');
  const model = hb.sequential([hb.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), hb.layers.dense({ units: 1, activation: 'sigmoid' })]);
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return { model, x, y };
}

async function predictions(model: hb.Model, x: hb.Tensor): Promise<number[]> {
  const p = await model.predict(x);
  assert.ok(!Array.isArray(p), 'one output');
  const values = Array.from(p.dataSync());
  p.dispose();
  return values;
}

describe('ModelCheckpoint', () => {
  it('saves a loadable model every epoch under the formatted path', async () => {
    const { model, x, y } = problem(1);
    const filepath = join(root, 'every', 'ckpt-{epoch:02d}-{val_loss:.4f}');
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [hb.callbacks.modelCheckpoint({ filepath })] });
    const valLoss = history.history['val_loss'] ?? [];
    assert.equal(valLoss.length, 3);
    // toFixed as the independent reference (it differs from Python only on exact binary ties).
    const expected = valLoss.map((v, i) => `ckpt-0${i + 1}-${v.toFixed(4)}`);
    assert.deepEqual(readdirSync(join(root, 'every')).sort(), expected);
    const last = await hb.loadModel(join(root, 'every', expected[2] ?? ''));
    assert.deepEqual(await predictions(last, x), await predictions(model, x));
  });

  it('saveBestOnly saves only strict improvements, in the direction mode gives', async () => {
    const seq = [0.5, 0.4, 0.45, 0.3, 0.3, 0.2].map((v) => ({ loss: 1, val_loss: v, val_accuracy: 1 - v }));
    assert.deepEqual(await epochs({ filepath: 'm{epoch}', saveBestOnly: true }, seq), ['model m1', 'model m2', 'model m4', 'model m6']);
    // 'auto' on an accuracy name maximizes: 0.5, 0.6, 0.7, 0.8 improve; 0.55 and the repeated 0.7 do not.
    assert.deepEqual(await epochs({ filepath: 'm{epoch}', saveBestOnly: true, monitor: 'val_accuracy' }, seq), ['model m1', 'model m2', 'model m4', 'model m6']);
    assert.deepEqual(await epochs({ filepath: 'm{epoch}', saveBestOnly: true, mode: 'max' }, seq), ['model m1']);
    // The threshold must be beaten first; without saveBestOnly everything is saved.
    assert.deepEqual(await epochs({ filepath: 'm{epoch}', saveBestOnly: true, initialValueThreshold: 0.35 }, seq), ['model m4', 'model m6']);
    assert.deepEqual(await epochs({ filepath: 'm{epoch}', saveWeightsOnly: true }, seq.slice(0, 3)), ['weights m1', 'weights m2', 'weights m3']);
  });

  it('keeps its best value across fits, as Keras does', async () => {
    const cb = new ModelCheckpoint({ filepath: 'best', saveBestOnly: true });
    const model = new RecordingModel();
    await epochs({ filepath: 'unused' }, [{ val_loss: 0.3 }], cb, model);
    await epochs({ filepath: 'unused' }, [{ val_loss: 0.4 }, { val_loss: 0.2 }], cb, model);
    assert.deepEqual(model.saved, ['model best', 'model best']);
    assert.equal(cb.best, 0.2);
  });

  it('a missing monitored key warns once and saves nothing (saveBestOnly)', async (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const saved = await epochs({ filepath: 'm{epoch}', saveBestOnly: true }, [{ loss: 0.5 }, { loss: 0.4 }]);
    assert.deepEqual(saved, []);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /"val_loss" available \(logs: loss\)/);
  });

  it('verbose prints Keras\'s lines', async (t) => {
    const log = t.mock.method(console, 'log', () => {});
    await epochs({ filepath: 'best', saveBestOnly: true, verbose: 1 }, [{ val_loss: 0.25 }, { val_loss: 0.5 }]);
    assert.deepEqual(log.mock.calls.map((c) => c.arguments[0]), [
      '\nEpoch 1: val_loss improved from inf to 0.25000, saving model to best',
      '\nEpoch 2: val_loss did not improve from 0.25000',
    ]);
  });

  it('the best model saved is the model of its epoch: it predicts as the model did then', async () => {
    const { model, x, y } = problem(2);
    const dir = join(root, 'best');
    // A hand-made score, written into the logs before the checkpoint reads them: best at epoch index 1 of 4.
    const score = [3, 1, 2, 5];
    const atEpoch: number[][] = [];
    const setScore = hb.callbacks.lambdaCallback({
      onEpochEnd: async (epoch, logs) => {
        logs['score'] = score[epoch] ?? NaN;
        atEpoch.push(await predictions(model, x));
      },
    });
    await model.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, callbacks: [setScore, hb.callbacks.modelCheckpoint({ filepath: dir, monitor: 'score', mode: 'min', saveBestOnly: true })] });
    const best = await predictions(await hb.loadModel(dir), x);
    assert.deepEqual(best, atEpoch[1]);
    assert.notDeepEqual(best, await predictions(model, x)); // training moved on after the best epoch
  });

  it('saveWeightsOnly writes the weights alone, and they load back', async () => {
    const { model, x, y } = problem(3);
    const filepath = join(root, 'weights-{epoch}');
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [hb.callbacks.modelCheckpoint({ filepath, saveWeightsOnly: true })] });
    const dir = join(root, 'weights-2');
    assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']); // no optimizer shards
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { trainingConfig?: unknown; hebb: Record<string, unknown> };
    assert.equal(json.trainingConfig, undefined);
    assert.equal(json.hebb['compile'], undefined);
    assert.equal(json.hebb['optimizerState'], undefined);
    const fresh = problem(99).model;
    assert.notDeepEqual(await predictions(fresh, x), await predictions(model, x));
    await fresh.loadWeights(dir);
    assert.deepEqual(await predictions(fresh, x), await predictions(model, x));
  });

  it('saveFreq n saves every n training batches, counted across epochs, with {batch} from 1', async () => {
    const { model, x, y } = problem(4);
    const dir = join(root, 'batches');
    // 24 samples in batches of 8: 3 batches an epoch; every 2 batches → epoch 1 batch 2, epoch 2 batches 1 and 3.
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [hb.callbacks.modelCheckpoint({ filepath: join(dir, 'e{epoch}-b{batch}'), saveFreq: 2 })] });
    assert.deepEqual(readdirSync(dir).sort(), ['e1-b2', 'e2-b1', 'e2-b3']);
    // Batch-level saves format the batch logs; there is no val_loss there.
    const cb = new ModelCheckpoint({ filepath: 'b{batch:03d}-{loss:.2f}', saveFreq: 1, saveBestOnly: true, monitor: 'loss' });
    const rec = new RecordingModel();
    cb.setModel(rec);
    cb.onEpochBegin(0);
    for (const [b, loss] of [0.5, 0.75, 0.25].entries()) await cb.onTrainBatchEnd(b, lazyLogs(async () => ({ loss })));
    await cb.onEpochEnd(0, { loss: 0.1 }); // no epoch-level save with a batch saveFreq
    assert.deepEqual(rec.saved, ['model b001-0.50', 'model b003-0.25']);
  });

  it('an IOHandler as filepath gets every save (saveBestOnly included), the artifacts of that epoch', async () => {
    const { model, x, y } = problem(3);
    const got: hb.ModelArtifacts[] = [];
    const handler: hb.IOHandler = { save: async (a) => void got.push(a) };
    const weightsAt: number[][] = [];
    const losses: number[] = [];
    const record = hb.callbacks.lambdaCallback({
      onEpochEnd: async (_e, logs) => {
        weightsAt.push(Array.from(await model.weights[0]!.data()));
        losses.push(logs['loss'] as number);
      },
    });
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false, callbacks: [record, hb.callbacks.modelCheckpoint({ filepath: handler, saveWeightsOnly: true })] });
    assert.equal(got.length, 3);
    // The first spec is the first dense kernel: its bytes, decoded by hand, are the weights at each epoch end.
    got.forEach((a, e) => {
      const n = weightsAt[e]!.length;
      assert.deepEqual(Array.from(new Float32Array(a.weightData.slice(0, 4 * n).buffer)), weightsAt[e], `epoch ${e + 1}`);
      assert.equal(a.optimizerSpecs.length, 0, 'saveWeightsOnly: no optimizer state');
    });
    assert.deepEqual(await epochs({ filepath: handler, saveBestOnly: true, monitor: 'loss' }, [{ loss: 2 }, { loss: 3 }, { loss: 1 }]), ['model the IOHandler', 'model the IOHandler']);
    hb.dispose([x, y]);
  });

  it('refuses bad options and placeholders with errors naming the path', async () => {
    const throwsWith = async (f: () => unknown, ...parts: string[]): Promise<void> => {
      await assert.rejects(async () => f(), (e: unknown) => e instanceof ValueError && parts.every((p) => e.message.includes(p)), parts.join(' / '));
    };
    await throwsWith(() => new ModelCheckpoint({ filepath: 'ck-{epoch:>3}' }), 'ModelCheckpoint', '"ck-{epoch:>3}"', 'spec');
    await throwsWith(() => new ModelCheckpoint({ filepath: '' }), 'filepath');
    await throwsWith(() => new ModelCheckpoint({ filepath: {} as hb.IOHandler }), 'filepath must be a non-empty string or an IOHandler');
    await throwsWith(() => new ModelCheckpoint({ filepath: 'a', saveFreq: 0 }), 'saveFreq');
    await throwsWith(() => new ModelCheckpoint({ filepath: 'a', mode: 'up' as 'min' }), 'mode');
    await throwsWith(() => new ModelCheckpoint({ filepath: 'a', savebestonly: true } as ModelCheckpointOptions), 'savebestonly');
    // Unknown keys are known only when the logs come: the first save fails, naming the path and the key.
    await throwsWith(() => epochs({ filepath: 'ck-{val_acc:.2f}' }, [{ loss: 1 }]), '"ck-{val_acc:.2f}"', '"val_acc"');
    await throwsWith(() => epochs({ filepath: 'ck-{batch}' }, [{ loss: 1 }]), '"batch"'); // epoch-level saves have no batch
  });
});
