import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { captureReport } from './capture.js';
import { lcg } from '../../test/helpers.js';

function build(): hb.Model {
  hb.setSeed(3);
  const x = hb.input({ shape: [6] });
  let h = hb.layers.dense({ units: 16, activation: 'relu' }).apply(x);
  if (process.env['BN']) h = hb.layers.batchNormalization().apply(h);
  if (process.env['DO']) h = hb.layers.dropout({ rate: 0.3 }).apply(h);
  const y = hb.layers.dense({ units: 3, activation: 'softmax' }).apply(h);
  const m = hb.model({ inputs: x, outputs: y });
  m.compile({ optimizer: process.env['ADAM'] ? (process.env['ADAM'] === '2' ? hb.optimizers.adam({ learningRate: 0.01 }) : hb.optimizers.adam({ learningRate: (s: number) => 0.01 / (1 + s) })) : hb.optimizers.sgd({ learningRate: process.env['SCHED'] ? (s: number) => 0.1 / (1 + s) : 0.1, momentum: 0.9 }), loss: 'sparseCategoricalCrossentropy', metrics: process.env['MET'] ? ['accuracy'] : [] });
  return m;
}

it('probe', async () => {
  hb.setBackend(process.env['B'] ?? 'cpu');
  const n = 100;
  const xs = hb.tensor(lcg(n * 6, 9), [n, 6]);
  const ys = hb.tensor(Array.from({ length: n }, (_, i) => i % 3), [n], 'int32');
  const res: number[][] = [];
  let init: hb.Tensor[] | null = null;
  for (const capture of [false, true]) {
    const m = build();
    if (init) m.setWeights(init);
    else init = m.getWeights();
    hb.setSeed(11);
    const h = await m.fit(xs, ys, { epochs: 3, batchSize: 16, verbose: 0, capture });
    console.log(JSON.stringify(h.history));
    console.log(JSON.stringify(captureReport(m)));
    res.push(m.getWeights().flatMap((w) => Array.from(w.dataSync())));
  }
  assert.deepEqual(res[0], res[1]);
});
