import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { adam, addDecayedWeights, clipByGlobalNorm, clipByValue, scaleByAdam, sgd } from './index.js';
import { OptimizerRunner, chain, scaleByLearningRate, type GradientTransformation, type Link } from './transform.js';
import { assertClose, f64 } from '../../test/helpers.js';
import { run64 } from '../../test/optimizer_helpers.js';

describe('chain: state as a record keyed by link name', () => {
  it('links in a row are keyed by their own names, and each entry keeps its type', () => {
    const w = hb.variable(f64([1, 2]));
    const t = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(0.1));
    const s = t.init([w]);
    assert.deepEqual(Object.keys(s), ['globalClipnorm', 'adam', 'lr']);
    // Typed: s.adam is AdamState, s.lr null; no casts.
    const m: hb.Tensor[] = s.adam.m;
    const lr: null = s.lr;
    assert.equal(m.length, 1);
    assert.equal(lr, null);
    hb.dispose([...s.adam.m, ...s.adam.v, w]);
  });

  it('optax order with weight decay before the rate is Keras\'s decoupled decay (adam with globalClipnorm and weightDecay)', () => {
    const composed = chain(clipByGlobalNorm(1), scaleByAdam(), addDecayedWeights(1e-2), scaleByLearningRate(0.05));
    assertClose(run64(composed), run64(adam({ learningRate: 0.05, globalClipnorm: 1, weightDecay: 1e-2 })), 1e-13, 1e-15);
  });

  it('named links: any keys, in the order given; an undefined entry is skipped', () => {
    const double: GradientTransformation<null> = { init: () => null, update: (g, s) => [g.map((x) => hb.mul(x, 2)), s] };
    const t = chain({ double, nothing: undefined, step: scaleByLearningRate(0.1) });
    const w = hb.variable(f64([0]));
    assert.deepEqual(t.init([w]), { double: null, step: null });
    w.dispose();
    assertClose(run64(t, [[1], [2]], [0]), [-0.6], 1e-15, 1e-15);
  });

  it('refuses two links of one name and a positional link without a name', () => {
    assert.throws(() => chain(clipByValue(1), clipByValue(2)), { name: 'ValueError', message: 'chain: two links named "clipvalue"; pass named links instead, chain({clipvalue: ..., clipvalue2: ...})' });
    const anonymous: GradientTransformation<null> = { init: () => null, update: (g, s) => [[...g], s] };
    const loose = <T>(v: unknown): T => v as T;
    assert.throws(() => chain(loose<Link<'x', null>>(anonymous), scaleByLearningRate(1)), /chain: link 0 has no name/);
    assert.throws(() => chain({ bad: loose<GradientTransformation<null>>(3) }), /chain: link "bad" must be a gradient transformation/);
  });

  it('the runner takes applyStep wherever a transformation has one (no cast, no Optimizer needed)', () => {
    let fused = 0;
    const t: GradientTransformation<{ n: number }> = {
      init: () => ({ n: 0 }),
      update: () => assert.fail('the runner should prefer applyStep'),
      applyStep: (_g, s) => ((fused += 1), { n: s.n + 1 }),
    };
    const w = hb.variable(f64([1]));
    const r = new OptimizerRunner(t, [w]);
    hb.scope(() => r.step([f64([1])]));
    hb.scope(() => r.step([f64([1])]));
    assert.equal(fused, 2);
    assert.deepEqual(r.saveState().numbers, { n: 2 });
    r.dispose();
    w.dispose();
    assert.ok(sgd().applyStep && adam().applyStep && !adam({ globalClipnorm: 1 }).applyStep);
  });
});
