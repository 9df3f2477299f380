import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';

it('model.dispose() frees everything fit made, metric totals included', async () => {
  const x = hb.randomNormal([64, 4], { seed: 1 });
  const y = hb.tensor(Array.from({ length: 64 }, (_, i) => i % 3), [64], 'int32');
  const before = hb.numTensors();
  for (let k = 0; k < 3; k++) {
    const m = hb.sequential([hb.layers.input({ shape: [4] }), hb.layers.dense({ units: 3, activation: 'softmax' })]);
    m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    m.dispose();
  }
  assert.equal(hb.numTensors(), before);
  x.dispose();
  y.dispose();
});
