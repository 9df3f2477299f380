/**
 * Optimizer state as named tensors and numbers: saved after 3 steps and loaded into a fresh
 * optimizer, 2 more steps give exactly the weights of an uninterrupted 5-step run, for every
 * optimizer (fused paths, momentum buffers, Nadam's host number, a schedule that reads the
 * step count).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adagrad, adam, adamax, adamw, chain, clipByGlobalNorm, nadam, rmsprop, scaleByAdam, scaleByLearningRate, sgd, type Optimizer } from './index.js';
import { OptimizerRunner, type GradientTransformation } from './transform.js';
import { stateToData } from './state.js';

const grads = (step: number): hb.Tensor[] => [
  hb.tensor(Array.from({ length: 6 }, (_, i) => Math.sin(step * 7 + i) * 0.8), [2, 3]),
  hb.tensor([Math.cos(step), -0.5 + 0.1 * step, 0.3]),
];
const weights = (): hb.Variable[] => [hb.variable(hb.tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [2, 3]), { name: 'd/kernel' }), hb.variable(hb.tensor([1, 2, 3]), { name: 'd/bias' })];
const values = (ws: readonly hb.Variable[]): number[][] => ws.map((w) => Array.from(w.dataSync()));

const cases: [string, () => GradientTransformation<unknown>][] = [
  ['sgd (fused)', () => sgd({ learningRate: 0.1 })],
  ['sgd nesterov', () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['adam (fused)', () => adam({ learningRate: 0.01 })],
  ['adam amsgrad, clipnorm, schedule', () => adam({ learningRate: (s) => 0.05 / (1 + s), amsgrad: true, clipnorm: 0.5 })],
  ['adamw, bias excluded', () => adamw({ learningRate: 0.01, weightDecay: 0.1, excludeFromWeightDecay: ['bias'] })],
  ['adagrad', () => adagrad({ learningRate: 0.1 })],
  ['rmsprop centered, momentum', () => rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
  ['adamax', () => adamax({ learningRate: 0.01 })],
  ['nadam', () => nadam({ learningRate: 0.01 })],
  ['a positional chain', () => chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate((s) => 0.01 * 0.9 ** s))],
];

describe('optimizer state: save after 3 steps, load into a fresh optimizer, 2 more steps', () => {
  for (const [name, make] of cases) {
    it(`${name}: the weights are those of an uninterrupted 5-step run, bit for bit`, () => {
      const a = weights();
      const straight = new OptimizerRunner(make(), a);
      for (let s = 0; s < 5; s++) hb.scope(() => straight.step(grads(s)));

      const b = weights();
      const first = new OptimizerRunner(make(), b);
      for (let s = 0; s < 3; s++) hb.scope(() => first.step(grads(s)));
      const data = first.saveState();
      first.dispose();
      // Plain data: numbers and tensors only, the tensors copies that outlive the runner.
      assert.equal(data.iterations, 3);
      for (const t of Object.values(data.tensors)) assert.ok(!t.isDisposed);
      const second = new OptimizerRunner(make(), b);
      second.loadState(data);
      hb.dispose(Object.values(data.tensors));
      for (let s = 3; s < 5; s++) hb.scope(() => second.step(grads(s)));
      assert.equal(second.iterations, 5);
      assert.deepEqual(values(b), values(a));
      straight.dispose();
      second.dispose();
      hb.dispose([...a, ...b]);
    });
  }

  it('names each tensor by link and field; loading neither leaks nor keeps the caller\'s tensors', () => {
    const w = weights();
    const runner = new OptimizerRunner(adam(), w);
    hb.scope(() => runner.step(grads(0)));
    const data = runner.saveState();
    assert.deepEqual(Object.keys(data.tensors), ['adam/m/0', 'adam/m/1', 'adam/v/0', 'adam/v/1']);
    assert.deepEqual(data.numbers, {});
    const before = hb.numTensors();
    runner.loadState(data);
    assert.equal(hb.numTensors(), before);
    hb.dispose(Object.values(data.tensors));
    hb.scope(() => runner.step(grads(1)));
    runner.dispose();
    hb.dispose(w);
  });

  it('refuses data of another optimizer, other shapes or a bad step count, and keeps its state', () => {
    const w = weights();
    const mom = new OptimizerRunner(sgd({ momentum: 0.9 }), w);
    const adamRunner = new OptimizerRunner(adam(), w);
    const data = adamRunner.saveState();
    assert.throws(() => mom.loadState(data), {
      name: 'ValueError',
      message: "loadState: the data does not fit this optimizer's state: missing momentum/0, momentum/1; unexpected adam/m/0, adam/m/1, adam/v/0, adam/v/1",
    });
    const wrong = { ...data, tensors: { ...data.tensors, 'adam/v/1': hb.zeros([4]) } };
    assert.throws(() => adamRunner.loadState(wrong), { message: 'loadState: "adam/v/1" must have shape [3] and dtype float32, received shape [4] and dtype float32' });
    assert.throws(() => adamRunner.loadState({ ...data, iterations: -1 }), { message: 'loadState: iterations must be an integer >= 0, received -1' });
    assert.equal(adamRunner.iterations, 0);
    hb.dispose([...Object.values(data.tensors), ...Object.values(wrong.tensors)]);
    mom.dispose();
    adamRunner.dispose();
    hb.dispose(w);
  });

  it('stateToData walks any plain state and rejects what is not data', () => {
    const t = hb.tensor([1, 2]);
    const d = stateToData({ a: [t, null], b: { n: 3 } }, 7);
    assert.deepEqual(Object.keys(d.tensors), ['a/0']);
    assert.deepEqual(d.numbers, { 'b/n': 3 });
    assert.equal(d.iterations, 7);
    assert.notEqual(d.tensors['a/0'], t);
    assert.throws(() => stateToData({ f: 'x' }), /optimizer state: "f" must be a tensor, a number, null, an array or a record, received "x"/);
    hb.dispose([t, ...Object.values(d.tensors)]);
  });

  it('a compiled optimizer is an Optimizer<unknown> and its runner saves and loads the same way', () => {
    const opt: Optimizer = hb.getOptimizer('nadam');
    const w = weights();
    const r = new OptimizerRunner(opt, w);
    const d = r.saveState();
    assert.deepEqual(d.numbers, { 'nadam/uProduct': 1 });
    r.loadState(d);
    hb.dispose(Object.values(d.tensors));
    r.dispose();
    hb.dispose(w);
  });
});
