/**
 * The child process of the crash-resume test (src/callbacks/backup_and_restore.test.ts): one
 * fixed training run with backupAndRestore, the same on every start.
 *
 *   node backup_child.js <backupDir> <saveFreq: epoch | n> <out> [pause: e<k> | b<k>]
 *
 * A small MLP with Dropout, Adam on an exponential-decay schedule, shuffling, validation data
 * and EarlyStopping (patience, restoreBestWeights). It prints `begin <epoch> <first batch>` for
 * the first batch each process runs, and `epoch <e>` after each epoch. With `pause e<k>` it
 * stops (waits, to be SIGKILLed) when epoch k begins, that is after the backup of epoch k-1's end;
 * with `pause b<k>`, after its k-th training batch (over the whole run). At the end it
 * writes `<out>.bin` (every weight's bytes, in order) and `<out>.json` (History, early stopping).
 */
import { writeFileSync } from 'node:fs';
import * as hb from '../src/index.js';

const [backupDir, freqArg, out, pause = ''] = process.argv.slice(2);
if (backupDir === undefined || freqArg === undefined || out === undefined) throw new Error('backup_child: give <backupDir> <saveFreq> <out>');
const saveFreq = freqArg === 'epoch' ? 'epoch' : Number(freqArg);
const pauseEpoch = pause.startsWith('e') ? Number(pause.slice(1)) : -1;
const pauseBatch = pause.startsWith('b') ? Number(pause.slice(1)) : -1;

hb.setSeed(1234);
// Three noisy classes from a random linear map: easy to start, then over-fits a little, so
// early stopping has something to do.
const w = hb.randomNormal([6, 3]);
const make = (n: number): [hb.Tensor, hb.Tensor] => {
  const x = hb.randomNormal([n, 6]);
  return [x, hb.argmax(hb.add(hb.matmul(x, w), hb.mul(hb.randomNormal([n, 3]), 1.5)), 1)];
};
const [x, y] = make(240);
const [vx, vy] = make(64);

const model = hb.sequential([
  hb.input({ shape: [6] }),
  hb.layers.dense({ units: 32, activation: 'relu' }),
  hb.layers.dropout({ rate: 0.3 }),
  hb.layers.dense({ units: 3, activation: 'softmax' }),
]);
model.compile({
  optimizer: hb.optimizers.adam({ learningRate: hb.schedules.exponentialDecay({ initialLearningRate: 0.004, decaySteps: 15, decayRate: 0.97 }) }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});

let batches = 0;
let first = true;
let current = -1;
const stopper = new hb.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
const probe = hb.callbacks.lambdaCallback({
  onBatchBegin: (b) => {
    if (first) process.stdout.write(`begin ${current} ${b}\n`);
    first = false;
  },
  onEpochBegin: async (e) => {
    current = e;
    if (e === pauseEpoch) {
      process.stdout.write('pause\n');
      await new Promise((r) => setTimeout(r, 60_000));
    }
  },
  onBatchEnd: async () => {
    batches++;
    if (batches === pauseBatch) {
      process.stdout.write('pause\n');
      await new Promise((r) => setTimeout(r, 60_000));
    }
  },
  onEpochEnd: (e) => void process.stdout.write(`epoch ${e}\n`),
});
const history = await model.fit(x, y, {
  epochs: 30,
  batchSize: 16,
  verbose: 0,
  validationData: [vx, vy],
  callbacks: [hb.callbacks.backupAndRestore({ backupDir, saveFreq }), stopper, probe],
});
const parts = await Promise.all(model.weights.map(async (w) => w.data()));
const bytes = Buffer.concat(parts.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength)));
writeFileSync(`${out}.bin`, bytes);
writeFileSync(`${out}.json`, JSON.stringify({ epoch: history.epoch, history: history.history, stoppedEpoch: stopper.stoppedEpoch, best: stopper.best }));
process.stdout.write('done\n');
