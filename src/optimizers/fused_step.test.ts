/**
 * Every optimizer's fused step (fused_step.ts) against its chain (update + applyUpdates): the
 * same weights and state, bit for bit, over several steps, on the cpu and wasm backends, in
 * float32 and float64; and the guard: a step under guard 0 changes nothing, under guard 1 it
 * is the ordinary step.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamax } from './adamax.js';
import { adamw } from './adamw.js';
import { nadam } from './nadam.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';
import { OptimizerRunner, stateTensors, type Optimizer } from './transform.js';
import { assertNoLeak, chainOnly, lcg, onBackend } from '../../test/helpers.js';

const configs: [string, () => Optimizer][] = [
  ['sgd', () => sgd({ learningRate: 0.05 })],
  ['sgd momentum', () => sgd({ learningRate: 0.05, momentum: 0.9 })],
  ['sgd nesterov + weight decay (bias excluded)', () => sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01, excludeFromWeightDecay: ['bias'] })],
  ['rmsprop', () => rmsprop({ learningRate: 0.01 })],
  ['rmsprop momentum', () => rmsprop({ learningRate: 0.01, momentum: 0.5 })],
  ['rmsprop centered', () => rmsprop({ learningRate: 0.01, centered: true })],
  ['rmsprop centered momentum', () => rmsprop({ learningRate: 0.01, centered: true, momentum: 0.7 })],
  ['adagrad', () => adagrad({ learningRate: 0.1 })],
  ['adamax', () => adamax({ learningRate: 0.02 })],
  ['nadam', () => nadam({ learningRate: 0.02 })],
  ['adam, a schedule', () => adam({ learningRate: (s) => 0.01 / (1 + s) })],
  ['adam amsgrad', () => adam({ learningRate: 0.01, amsgrad: true })],
  ['adamw', () => adamw({ learningRate: 0.01 })],
];

/** Weights after `steps` steps, and the final state's values, through `opt` in a runner. */
function train(opt: Optimizer, dtype: 'float32' | 'float64', steps: number): number[][] {
  return hb.scope(() => {
    const kernel = hb.variable(hb.tensor(lcg(35, 61, -1, 1), [5, 7], dtype), { name: 'kernel' });
    const bias = hb.variable(hb.tensor(lcg(7, 62, -1, 1), [7], dtype), { name: 'bias' });
    const runner = new OptimizerRunner(opt, [kernel, bias]);
    for (let step = 0; step < steps; step++) {
      hb.scope(() => runner.step([hb.tensor(lcg(35, 70 + step, -2, 2), [5, 7], dtype), hb.tensor(lcg(7, 80 + step, -2, 2), [7], dtype)]));
    }
    const data = runner.saveState();
    const out = [Array.from(kernel.dataSync()), Array.from(bias.dataSync()), ...[...stateTensors(data)].map((t) => Array.from(t.dataSync()))];
    hb.dispose([...stateTensors(data)]);
    runner.dispose();
    kernel.dispose();
    bias.dispose();
    return out;
  });
}

describe('fused optimizer steps', () => {
  for (const backend of ['cpu', 'wasm']) {
    for (const [name, make] of configs) {
      it(`${backend}, ${name}: applyStep gives the chain's weights and state bit for bit (float32, float64, 4 steps)`, () => {
        onBackend(backend, () =>
          assertNoLeak(() => {
            assert.ok(make().applyStep, `${name} has a fused step`);
            for (const dtype of ['float32', 'float64'] as const) {
              assert.deepEqual(train(make(), dtype, 4), train(chainOnly(make()) as Optimizer, dtype, 4), `${name} ${dtype}`);
            }
          }),
        );
      });
    }
  }

  it('clipnorm and globalClipnorm keep the chain (no fused step)', () => {
    assert.equal(adam({ clipnorm: 1 }).applyStep, undefined);
    assert.equal(sgd({ globalClipnorm: 1 }).applyStep, undefined);
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`${backend}: under guard 0 a step changes neither weights nor state, even with NaN gradients; under guard 1 it is the plain step`, () => {
      onBackend(backend, () =>
        assertNoLeak(() => {
          for (const [name, make] of configs) {
            for (const dtype of ['float32', 'float64'] as const) {
              hb.scope(() => {
                const opt = make();
                const step = opt.applyStep;
                assert.ok(step);
                const w0 = lcg(6, 91, -1, 1);
                const mk = (): hb.Variable => hb.variable(hb.tensor(w0, [2, 3], dtype));
                const [a, b, c] = [mk(), mk(), mk()];
                const g = hb.tensor([1, NaN, -2, Infinity, 0.5, 3], [2, 3], dtype);
                const values = (s: unknown): number[][] => [...stateTensors(s)].map((t) => Array.from(t.dataSync()));
                // A first ordinary step, so the state is not all zeros.
                const g1 = hb.tensor(lcg(6, 92, -1, 1), [2, 3], dtype);
                const s0 = step([g1], opt.init([a]), [a], 0);
                const before = values(s0);
                const wBefore = Array.from(a.dataSync());
                const skipped = step([g], s0, [a], 1, hb.scalar(0));
                assert.deepEqual(Array.from(a.dataSync()), wBefore, `${name} ${dtype}: weights under guard 0`);
                assert.deepEqual(values(skipped), before, `${name} ${dtype}: state under guard 0`);
                // Guard 1 against no guard, from the same weights and state.
                const s1 = step([g1], opt.init([b]), [b], 0);
                const s2 = step([g1], opt.init([c]), [c], 0);
                const withGuard = step([g], s1, [b], 1, hb.scalar(1));
                const without = step([g], s2, [c], 1);
                assert.deepEqual(Array.from(b.dataSync()), Array.from(c.dataSync()), `${name} ${dtype}: weights under guard 1`);
                assert.deepEqual(values(withGuard), values(without), `${name} ${dtype}: state under guard 1`);
                for (const v of [a, b, c]) v.dispose();
              });
            }
          }
        }),
      );
    });
  }
});
