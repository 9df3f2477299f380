/**
 * backupAndRestore inside one process: a fit that fails (an error thrown by a callback stands
 * for the crash) keeps its backup, and the same fit on a freshly built model resumes from it;
 * what is refused (another model, other callbacks, a damaged backup), and when the backup is
 * deleted. The child-process crash test is backup_and_restore.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../index.js';

function data(): [hb.Tensor, hb.Tensor] {
  hb.setSeed(7);
  const x = hb.randomNormal([40, 4]);
  return [x, hb.cast(hb.greater(hb.sum(x, 1, true), hb.scalar(0)), 'float32')];
}

function build(units = 8): hb.Model {
  hb.layers.resetLayerNames();
  hb.setSeed(3);
  const m = hb.sequential([hb.input({ shape: [4] }), hb.layers.dense({ units, activation: 'relu' }), hb.layers.dropout({ rate: 0.25 }), hb.layers.dense({ units: 1, activation: 'sigmoid' })]);
  m.compile({ optimizer: hb.optimizers.sgd({ learningRate: hb.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.8 }), momentum: 0.9 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** Throws from the given training batch (counted over the run, from 1): the "crash". */
function crashAt(batch: number): hb.callbacks.Callback {
  let n = 0;
  return hb.callbacks.lambdaCallback({
    onBatchEnd: () => {
      if (++n === batch) throw new Error('crash');
    },
  });
}

async function weightsOf(m: hb.Model): Promise<number[][]> {
  return Promise.all(m.weights.map(async (w) => Array.from(await w.data())));
}

describe('backupAndRestore in one process', () => {
  it('a failed fit keeps its backup; the same fit resumes from it and ends as an uninterrupted one', async () => {
    const [x, y] = data();
    const options = (dir: string, saveFreq: 'epoch' | number, extra: hb.callbacks.Callback[] = []): hb.FitOptions => ({
      epochs: 6,
      batchSize: 8,
      verbose: 0,
      validationSplit: 0.25,
      callbacks: [hb.callbacks.backupAndRestore({ backupDir: dir, saveFreq }), new hb.callbacks.EarlyStopping({ patience: 10, restoreBestWeights: true }), ...extra],
    });
    const root = mkdtempSync(join(tmpdir(), 'hebb-bar-'));
    const ref = build();
    const refHistory = await ref.fit(x, y, options(join(root, 'ref'), 'epoch'));
    const want = await weightsOf(ref);
    assert.equal(existsSync(join(root, 'ref')), false, 'deleted after a completed fit');

    // 30 training samples in batches of 8: 4 batches an epoch. Crash in epoch 3 (batch 14 of the run).
    for (const [name, saveFreq] of [['epochs', 'epoch'], ['batches', 3]] as const) {
      const dir = join(root, name);
      const first = build();
      await assert.rejects(first.fit(x, y, options(dir, saveFreq, [crashAt(14)])), /crash/);
      assert.deepEqual(readdirSync(dir), ['latest'], `${name}: the backup is kept after an error`);
      first.dispose();
      const again = build();
      const h = await again.fit(x, y, options(dir, saveFreq));
      assert.deepEqual(await weightsOf(again), want, `${name}: the weights are those of the uninterrupted run`);
      assert.deepEqual(h.epoch, refHistory.epoch, `${name}: History holds the whole run`);
      assert.deepEqual(h.history, refHistory.history, `${name}: logs identical, the resumed epoch's included`);
      assert.equal(existsSync(dir), false);
      again.dispose();
    }
  });

  it('refuses a backup of another architecture, or of other callbacks, naming the difference', async () => {
    const [x, y] = data();
    const dir = mkdtempSync(join(tmpdir(), 'hebb-bar-'));
    const fit = (m: hb.Model, extra: hb.callbacks.Callback[]): Promise<hb.callbacks.History> =>
      m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [hb.callbacks.backupAndRestore({ backupDir: dir }), ...extra] });
    await assert.rejects(fit(build(8), [crashAt(7)]), /crash/);
    await assert.rejects(fit(build(16), []), /BackupAndRestore: the backup in .* was written by another model: its weight 0 is \[4, 8\] float32 \("dense\/kernel"\), this model's is \[4, 16\] float32 \("dense\/kernel"\)\. Use another backupDir, or delete this one to start afresh/);
    await assert.rejects(fit(build(8), [new hb.callbacks.EarlyStopping({ monitor: 'loss' })]), /holds the state of the callbacks \[History\], this fit has \[EarlyStopping, History\]; pass the callbacks of the run that wrote it/);
    // Two backups in one fit would both try to resume.
    await assert.rejects(fit(build(8), [hb.callbacks.backupAndRestore({ backupDir: join(dir, 'other') })]), /fit: 2 backupAndRestore callbacks were given/);
  });

  it('refuses a damaged backup with the file and what is wrong; deleteCheckpoint: false keeps a finished one', async () => {
    const [x, y] = data();
    const dir = mkdtempSync(join(tmpdir(), 'hebb-bar-'));
    const cb = (): hb.callbacks.Callback => hb.callbacks.backupAndRestore({ backupDir: dir, deleteCheckpoint: false });
    await build().fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [cb()] });
    assert.deepEqual(readdirSync(join(dir, 'latest')).sort(), ['group1-shard1of1.bin', 'model.json', 'optimizer-shard1of1.bin']);
    truncateSync(join(dir, 'latest', 'group1-shard1of1.bin'), 10);
    await assert.rejects(
      build().fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [cb()] }),
      /BackupAndRestore: the backup in .*latest cannot be read \(.*group1-shard1of1\.bin.* hold 10 bytes, the weights need .*\); delete .* to start the training afresh/,
    );
    assert.throws(() => hb.callbacks.backupAndRestore({ backupDir: dir, saveFreq: 0 }), /BackupAndRestore: saveFreq must be 'epoch' or a positive integer \(batches\), received 0/);
    assert.throws(() => hb.callbacks.backupAndRestore({ backupDir: '' }), /BackupAndRestore: backupDir must be a non-empty string/);
  });
});
