/**
 * A small real search to look at (docs/images/tuner_trials.png): RandomSearch over an MLP on
 * iris (standardized, shuffled, the last 30 rows for validation), 16 trials of 30 epochs,
 * objective val_loss, stored in SQLite; then `hb.plot.tunerTrials` draws the trials, as
 * `hebb plot --tuner --storage sqlite:FILE` does. About 6 s on one core; checkpoints go to tuning/.
 *   npx tsc -p . && node dist/examples/tuning/iris_trials_plot.js [storage: sqlite:tuning/iris_plot.db] [out: tuner_trials.png]
 */
import * as hb from '../../src/index.js';

const [storage = 'sqlite:tuning/iris_plot.db', out = 'tuner_trials.png'] = process.argv.slice(2);
const d = await hb.datasets.loadIris();
const n = 150;
// iris is sorted by class: a fixed permutation (37 is coprime to 150) mixes the classes into the validation rows.
const order = Array.from({ length: n }, (_, i) => (i * 37) % n);
const cols = 4;
const mean = Array.from({ length: cols }, (_, j) => order.reduce((s, i) => s + (d.data.data[i * cols + j] as number), 0) / n);
const std = Array.from({ length: cols }, (_, j) => Math.sqrt(order.reduce((s, i) => s + ((d.data.data[i * cols + j] as number) - (mean[j] as number)) ** 2, 0) / n));
const x = hb.tensor(order.map((i) => Array.from({ length: cols }, (_, j) => ((d.data.data[i * cols + j] as number) - (mean[j] as number)) / (std[j] as number))));
const y = hb.tensor(order.map((i) => d.target.data[i] as number), [n], 'int32');

const tuner = new hb.tuner.RandomSearch({
  hypermodel: (hp) => {
    const model = hb.sequential([hb.layers.input({ shape: [cols] })]);
    const units = hp.int('units', { min: 2, max: 32, step: 2 });
    for (let i = 0; i < hp.int('layers', { min: 1, max: 3 }); i++) model.add(hb.layers.dense({ units, activation: hp.choice('activation', ['relu', 'tanh']) as 'relu' | 'tanh' }));
    model.add(hb.layers.dense({ units: 3, activation: 'softmax' }));
    const learningRate = hp.float('learningRate', { min: 1e-4, max: 1e-1, sampling: 'log' });
    const optimizer = hp.choice('optimizer', ['sgd', 'adam']) === 'sgd' ? hb.optimizers.sgd({ learningRate }) : hb.optimizers.adam({ learningRate });
    model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer, metrics: ['accuracy'] });
    return model;
  },
  objective: 'val_loss',
  maxTrials: 16,
  seed: 7,
  storage,
  projectName: 'iris',
  directory: 'tuning',
  overwrite: true,
});
await tuner.search(x, y, { epochs: 30, batchSize: 16, validationSplit: 0.2, verbose: 0 });
const trials = await tuner.trials();
await hb.plot.tunerTrials(trials, { objective: tuner.objective, title: 'RandomSearch on iris', file: out });
console.log(`wrote ${out}`);
await tuner.close();
