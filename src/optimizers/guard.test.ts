/**
 * The step guard (fit's non-finite guard): guard 1 is the ordinary step, bit for bit; guard 0
 * leaves weights and state tensors as they were, on the fused paths (plain SGD, Adam) and on
 * the chain (momentum, clipping, AMSGrad, Nadam) alike, even when the gradient holds NaN/Inf.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adam, nadam, rmsprop, sgd } from './index.js';
import { OptimizerRunner, guardCondition, type GradientTransformation } from './transform.js';
import { assertThrowsWith } from '../../test/helpers.js';

const CASES: [string, () => GradientTransformation<unknown>][] = [
  ['sgd (fused)', () => sgd({ learningRate: 0.1 })],
  ['sgd momentum', () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['sgd globalClipnorm', () => sgd({ learningRate: 0.1, globalClipnorm: 1 })],
  ['adam (fused)', () => adam({ learningRate: 0.1 })],
  ['adam amsgrad + clipnorm', () => adam({ learningRate: 0.1, amsgrad: true, clipnorm: 0.5 })],
  ['nadam', () => nadam({ learningRate: 0.1 })],
  ['rmsprop centered', () => rmsprop({ learningRate: 0.1, centered: true, momentum: 0.5 })],
];

/** Weights and state tensors (by path) as plain numbers. */
function snapshot(r: OptimizerRunner, w: hb.Variable): { w: number[]; state: Record<string, number[]>; numbers: Record<string, number>; iterations: number } {
  const d = r.saveState();
  const state = Object.fromEntries(Object.entries(d.tensors).map(([k, t]) => [k, Array.from(t.dataSync())]));
  hb.dispose(Object.values(d.tensors));
  return { w: Array.from(w.dataSync()), state, numbers: { ...d.numbers }, iterations: d.iterations };
}

function guard(v: number): hb.Tensor {
  return hb.tensor(v, [], 'float32');
}

describe('OptimizerRunner.step(grads, guard)', () => {
  for (const [name, make] of CASES) {
    it(`${name}: guard 1 is the unguarded step, guard 0 changes no weight or state tensor`, () => {
      const t0 = hb.numTensors();
      const w0 = hb.tensor([0.5, -1.25, 2]);
      const wa = hb.variable(w0);
      const wb = hb.variable(w0);
      w0.dispose();
      const ra = new OptimizerRunner(make(), [wa]);
      const rb = new OptimizerRunner(make(), [wb]);
      const grads = [[0.1, -0.2, 0.3], [1, 2, -3], [0.5, 0.5, 0.5]];
      for (const g of grads) {
        hb.scope(() => ra.step([hb.tensor(g)]));
        hb.scope(() => rb.step([hb.tensor(g)], guard(1)));
      }
      assert.deepEqual(snapshot(rb, wb), snapshot(ra, wa), 'guard 1: bit for bit the unguarded run');
      const before = snapshot(rb, wb);
      for (const bad of [[NaN, 1, 1], [Infinity, 1, 1], [0.1, 0.2, 0.3]]) hb.scope(() => rb.step([hb.tensor(bad)], guard(0)));
      const after = snapshot(rb, wb);
      assert.deepEqual(after.w, before.w);
      assert.deepEqual(after.state, before.state);
      assert.equal(after.iterations, before.iterations + 3, 'the step count (a host number) counts every step');
      ra.dispose();
      rb.dispose();
      hb.dispose([wa, wb]);
      assert.equal(hb.numTensors(), t0, 'no tensor leaks');
    });
  }

  it('refuses a guard that is not a float32 scalar', () => {
    assertThrowsWith(() => guardCondition(hb.tensor([1, 1])), hb.ValueError, 'step guard', 'float32 scalar', 'shape [2]');
    assertThrowsWith(() => guardCondition(hb.tensor(1, [], 'int32')), hb.ValueError, 'int32');
  });
});
