import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adam } from './adam.js';
import { nadam } from './nadam.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';
import { OptimizerRunner, type GradientTransformation } from './transform.js';

/**
 * A weight whose gradient is tiny once and then 0: its decaying state (Adam's m, RMSprop's v,
 * SGD's velocity) shrinks by 0.9 a step. Unflushed, float32 would stop at the smallest
 * subnormal (0.9 × 2^-149 rounds back to 2^-149) and stay nonzero forever; flushed it is 0
 * once it drops below 2^-126. The other component (gradient 1 every step) shows the flush
 * leaves normal values alone: it is the textbook value within float32 rounding.
 */
const CASES: [string, () => GradientTransformation<unknown>, string, number, (steps: number) => number][] = [
  ['adam (fused)', () => adam(), 'adam/m/0', 1e-30, (n) => 1 - 0.9 ** n],
  ['adam (chain)', () => adam({ clipnorm: 1e30 }), 'adam/m/0', 1e-30, (n) => 1 - 0.9 ** n],
  ['nadam (fused)', () => nadam(), 'nadam/m/0', 1e-30, (n) => 1 - 0.9 ** n],
  // v ← 0.9·v + 0.1·g²: g = 1e-20 gives g² = 1e-40, already subnormal in float32.
  ['rmsprop (fused)', () => rmsprop(), 'rmsprop/v/0', 1e-20, (n) => 1 - 0.9 ** n],
  ['rmsprop (chain)', () => rmsprop({ clipvalue: 1e30 }), 'rmsprop/v/0', 1e-20, (n) => 1 - 0.9 ** n],
  // velocity ← 0.9·velocity − 0.01·g: −0.01·Σ 0.9^k for the constant gradient.
  ['sgd momentum (fused)', () => sgd({ momentum: 0.9 }), 'momentum/0', 1e-30, (n) => (-0.01 * (1 - 0.9 ** n)) / 0.1],
  ['sgd momentum (chain)', () => sgd({ momentum: 0.9, clipnorm: 1e30 }), 'momentum/0', 1e-30, (n) => (-0.01 * (1 - 0.9 ** n)) / 0.1],
];

describe('optimizer state below 2^-126 is flushed to 0 (flush.ts)', () => {
  for (const [name, make, key, tiny, steady] of CASES) {
    it(name, () => {
      const opt = make();
      assert.equal(Boolean(opt.applyStep), name.endsWith('(fused)'), 'the case takes the intended path');
      const w = hb.variable(hb.tensor([1, 1]), { name: 'w' });
      const r = new OptimizerRunner(opt, [w]);
      const steps = 300;
      for (let k = 0; k < steps; k++) hb.scope(() => r.step([hb.tensor(k === 0 ? [tiny, 1] : [0, 1])]));
      const st = r.saveState();
      const t = st.tensors[key];
      assert.ok(t, `state has ${key}: ${Object.keys(st.tensors).join(', ')}`);
      const data = t.dataSync();
      assert.equal(data[0], 0, `${key}[0] after ${steps} steps`);
      const want = steady(steps);
      assert.ok(Math.abs((data[1] as number) - want) <= 1e-5 * Math.abs(want), `${key}[1] = ${data[1]}, expected ~${want}`);
      for (const x of Object.values(st.tensors)) x.dispose();
      r.dispose();
      w.dispose();
    });
  }
});
