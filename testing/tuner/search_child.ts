/**
 * A tuning process for the multi-process tests (sqlite.test.ts, postgres.test.ts): a random
 * search on Iris through `storage`, each epoch slowed down so that a test can kill it mid-trial.
 *
 *   node search_child.js <search|worker> <storage> <directory> <maxTrials> <epochs> <msPerEpoch> <leaseSeconds> [projectName: iris]
 *
 * Prints `claim <trial id>` when a trial starts (the tuner's log lines) and `exit` at the end.
 */
import * as hb from '../../src/index.js';
import { irisHypermodel, irisSplit } from './iris.js';

const [mode, storage, directory, maxTrials, epochs, ms, lease, projectName = 'iris'] = process.argv.slice(2);
if (lease === undefined || (mode !== 'search' && mode !== 'worker')) throw new Error('search_child: give <search|worker> <storage> <directory> <maxTrials> <epochs> <msPerEpoch> <leaseSeconds>');

const d = await irisSplit();
const tuner = new hb.tuner.RandomSearch({
  hypermodel: irisHypermodel,
  objective: 'val_accuracy',
  maxTrials: Number(maxTrials),
  seed: 5,
  storage,
  directory,
  projectName,
  leaseSeconds: Number(lease),
  pollSeconds: 0.2,
  // A worker "on another host" (HEBB_WORKER_ID=elsewhere:1): its trial comes back only when its lease expires.
  ...(process.env['HEBB_WORKER_ID'] ? { workerId: process.env['HEBB_WORKER_ID'] } : {}),
  log: (line) => {
    const m = /^trial (\d+) \(/.exec(line);
    if (m) process.stdout.write(`claim ${m[1]}\n`);
  },
});
const slow: hb.Callback = { onEpochEnd: () => new Promise((r) => setTimeout(r, Number(ms))) };
const options = { epochs: Number(epochs), batchSize: 32, validationData: [d.xValid, d.yValid] as const, callbacks: [slow] };
if (mode === 'search') await tuner.search(d.xTrain, d.yTrain, options);
else await tuner.worker(d.xTrain, d.yTrain, options);
await tuner.close();
process.stdout.write('exit\n');
