/** Iris, standardised and split 120/30 in a fixed shuffled order: a real dataset small enough to tune on in a test. */
import * as hb from '../../src/index.js';
import { Generator } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';

export interface Split {
  xTrain: Tensor;
  yTrain: Tensor;
  xValid: Tensor;
  yValid: Tensor;
}

export async function irisSplit(): Promise<Split> {
  const d = await hb.datasets.loadIris();
  const n = d.target.data.length;
  const f = d.data.shape[1]!;
  const order = new Generator(11).permutation(n);
  const mean = new Float64Array(f);
  const sd = new Float64Array(f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j]! += d.data.data[i * f + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) sd[j]! += (d.data.data[i * f + j]! - mean[j]!) ** 2 / n;
  const x = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    for (let j = 0; j < f; j++) x[k * f + j] = (d.data.data[i * f + j]! - mean[j]!) / Math.sqrt(sd[j]!);
    y[k] = d.target.data[i]!;
  }
  const cut = 120;
  return {
    xTrain: hb.tensor(x.subarray(0, cut * f), [cut, f]),
    yTrain: hb.tensor(y.subarray(0, cut), [cut], 'int32'),
    xValid: hb.tensor(x.subarray(cut * f), [n - cut, f]),
    yValid: hb.tensor(y.subarray(cut), [n - cut], 'int32'),
  };
}

/** The hypermodel the tests tune: hidden units, learning rate (log) and optimizer, with momentum only under SGD. */
export function irisHypermodel(hp: hb.tuner.HyperParameters): hb.Model {
  const units = hp.int('units', { min: 4, max: 32, step: 4, default: 8 });
  const lr = hp.float('learningRate', { min: 1e-3, max: 1e-1, sampling: 'log', default: 1e-2 });
  const opt = hp.choice('optimizer', ['sgd', 'adam']);
  const momentum = hp.conditionalScope('optimizer', 'sgd', () => hp.float('momentum', { min: 0, max: 0.9, default: 0 })) ?? 0;
  const model = hb.sequential([hb.layers.dense({ units, activation: 'relu', inputShape: [4] }), hb.layers.dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: opt === 'sgd' ? hb.optimizers.sgd({ learningRate: lr, momentum }) : hb.optimizers.adam({ learningRate: lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
