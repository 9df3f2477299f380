import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ValueError } from '../core/errors.js';
import { deserializeOptimizer, getOptimizer, serializeOptimizer, sgd } from './index.js';
import { GRADS, W0, run64 } from '../../test/optimizer_helpers.js';
import { assertClose } from '../../test/helpers.js';

/** A schedule reading a table of momenta by step. */
const table = (ms: readonly number[]) => (step: number): number => ms[step] as number;

describe('sgd with a momentum schedule', () => {
  it('uses m_t at step t in v_t = m_t·v − lr·g, w ← w + v (hand-worked)', () => {
    // w0 = 1, g = 1, 2, −1, lr 0.1, m = 0.5, 0.9, 0:
    // v = −0.1, w = 0.9; v = 0.9·(−0.1) − 0.2 = −0.29, w = 0.61; v = 0·(−0.29) + 0.1 = 0.1, w = 0.71.
    assertClose(run64(sgd({ learningRate: 0.1, momentum: table([0.5, 0.9, 0]) }), [[1], [2], [-1]], [1]), [0.71], 1e-15, 1e-15);
  });

  it('Nesterov: w ← w + m_t·v_t − lr·g (hand-worked)', () => {
    // w = 1 − 0.05 − 0.1 = 0.85; w = 0.85 − 0.261 − 0.2 = 0.389; w = 0.389 + 0·0.1 + 0.1 = 0.489.
    assertClose(run64(sgd({ learningRate: 0.1, momentum: table([0.5, 0.9, 0]), nesterov: true }), [[1], [2], [-1]], [1]), [0.489], 1e-15, 1e-15);
  });

  it('1cycle: the rate and the momentum from oneCycle / oneCycleMomentum, five steps against the formula', () => {
    const c = { iterations: 5 };
    const lr = hb.schedules.oneCycle({ maxLearningRate: 0.1, ...c });
    const mom = hb.schedules.oneCycleMomentum(c);
    const w = [...W0];
    const v = w.map(() => 0);
    GRADS.forEach((g, s) => w.forEach((_, i) => {
      v[i] = mom(s) * (v[i] as number) - lr(s) * (g[i] as number);
      w[i] = (w[i] as number) + (v[i] as number);
    }));
    assert.notEqual(mom(0), mom(2)); // the momentum does move
    assertClose(run64(sgd({ learningRate: lr, momentum: mom })), w, 1e-14, 1e-15);
  });

  it('a constant schedule gives what the number gives', () => {
    assert.deepEqual(run64(sgd({ learningRate: 0.05, momentum: () => 0.8 })), run64(sgd({ learningRate: 0.05, momentum: 0.8 })));
  });

  it('refuses a schedule value outside [0, 1], naming the step; and a momentum that is neither', () => {
    assert.throws(() => run64(sgd({ momentum: table([0.5, 1.5]) })), /momentum: expected a number in \[0, 1\] at step 1, received 1.5/);
    // @ts-expect-error: a string is not a momentum.
    assert.throws(() => sgd({ momentum: '0.9' }), /sgd: momentum must be a number in \[0, 1\]/);
  });
});

describe('optimizer configs with schedules', () => {
  it('writes hb.schedules Keras-style ({className, config}) and rebuilds them', () => {
    const lr = hb.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
    const mom = hb.schedules.oneCycleMomentum({ iterations: 5 });
    const opt = sgd({ learningRate: lr, momentum: mom, nesterov: true });
    const json = serializeOptimizer(opt);
    assert.deepEqual(json, {
      className: 'sgd',
      config: { learningRate: lr.getConfig(), momentum: mom.getConfig(), nesterov: true },
    });
    assert.equal(lr.getConfig().className, 'ExponentialDecay');
    // Through JSON text, as a file would hold it.
    const back = deserializeOptimizer(JSON.parse(JSON.stringify(json)));
    assert.deepEqual(back.getConfig(), opt.getConfig());
    assert.deepEqual(run64(back), run64(opt));
  });

  it('getOptimizer and compile take a config', () => {
    const opt = getOptimizer({ className: 'Adam', config: { learningRate: hb.schedules.cosineDecay({ initialLearningRate: 0.01, decaySteps: 10 }).getConfig(), beta1: 0.8 } });
    assert.equal(opt.name, 'adam');
    assert.equal((opt.getConfig()['learningRate'] as { className: string }).className, 'CosineDecay');
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    m.compile({ optimizer: { className: 'sgd', config: { learningRate: 0.2, momentum: 0.5 } }, loss: 'mse' });
    assert.deepEqual(m.optimizer?.getConfig(), { learningRate: 0.2, momentum: 0.5, nesterov: false });
    assert.throws(() => getOptimizer({ className: 'adadelta', config: {} }), /unknown optimizer "adadelta"/);
    assert.throws(() => deserializeOptimizer({ className: 'sgd' }), /expected \{className: string, config: object\}/);
    // Options are checked as options: a misspelled key in a config fails.
    assert.throws(() => deserializeOptimizer({ className: 'sgd', config: { learning_rate: 0.1 } }), /unknown option "learning_rate"; did you mean "learningRate"\?/);
  });

  it('a plain function is written as a marker (getConfig works), and rebuilding it throws a clear error', () => {
    function warmup(step: number): number {
      return Math.min(1, (step + 1) / 10) * 0.01;
    }
    const unnamed = [(): number => 0.9][0] as () => number; // no inferred name
    const opt = sgd({ learningRate: warmup, momentum: unnamed });
    assert.deepEqual(opt.getConfig(), { learningRate: { className: 'function', config: 'warmup' }, momentum: { className: 'function', config: '(anonymous)' }, nesterov: false });
    assert.throws(
      () => deserializeOptimizer(serializeOptimizer(opt)),
      (e: unknown) => e instanceof ValueError && /deserializeOptimizer\(sgd\): learningRate was the plain function "warmup" \(a string\), which a config cannot rebuild; use a schedule from hb.schedules/.test(e.message),
    );
  });
});
