import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Activation, ELU, LeakyReLU, PReLU, deserializeLayer, serializeLayer, input, type Layer } from './index.js';
import { f64, lcg, vals, assertClose, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

/** Test points in ±[0.1, 1.1): no kink within the finite-difference step. */
const pts = (n: number, seed: number): number[] => lcg(n, seed).map((v) => v + (v < 0 ? -0.1 : 0.1));

/** serialize → JSON → deserialize; the copy must give the same outputs on x. */
function assertRoundTrip(layer: Layer, x: hb.Tensor): Layer {
  const y = vals(layer.apply(x));
  const copy = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer))));
  assert.equal(copy.className, layer.className);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  assertClose(vals(copy.apply(x)), y, 0, 0);
  return copy;
}

describe('Activation', () => {
  it('applies the named activation', () => {
    const x = pts(6, 1);
    assertClose(vals(new Activation({ activation: 'tanh', dtype: 'float64' }).apply(f64(x, [2, 3]))), x.map(Math.tanh));
    assertClose(vals(new Activation({ activation: 'softplus', dtype: 'float64' }).apply(f64(x, [2, 3]))), x.map((v) => Math.log1p(Math.exp(v))));
    assertClose(vals(new Activation({ activation: null, dtype: 'float64' }).apply(f64(x, [6]))), x);
    assert.deepEqual(new Activation({ activation: 'relu' }).computeOutputShape([null, 3, 4]), [null, 3, 4]);
  });

  it('gradient matches finite differences; config round trip; errors', () => {
    const a = new Activation({ activation: 'sigmoid', dtype: 'float64' });
    hb.checkGradients((x) => a.apply(x), [f64(pts(6, 2), [2, 3])], { name: 'Activation' });
    assert.equal(assertRoundTrip(new Activation({ activation: 'leaky_relu' }), hb.tensor(pts(4, 3))).getConfig()['activation'], 'leakyRelu');
    assertThrowsWith(() => new Activation({ activation: 'nope' as 'relu' }), hb.ValueError, 'unknown activation "nope"');
    assertThrowsWith(() => Activation.fromConfig({ activation: 'myFn' }), hb.ValueError, '"activation" must be a built-in activation name or null');
  });
});

describe('LeakyReLU', () => {
  it('is x for x > 0 and negativeSlope·x otherwise, 0.3 by default (Keras 3 layer)', () => {
    const x = pts(8, 4);
    assertClose(vals(new LeakyReLU({ dtype: 'float64' }).apply(f64(x))), x.map((v) => (v > 0 ? v : 0.3 * v)));
    assertClose(vals(new LeakyReLU({ negativeSlope: 0.01, dtype: 'float64' }).apply(f64(x))), x.map((v) => (v > 0 ? v : 0.01 * v)));
    const old = new LeakyReLU({ alpha: 0.2 });
    assert.equal(old.negativeSlope, 0.2);
    assert.equal(old.getConfig()['negativeSlope'], 0.2);
  });

  it('gradient, round trip, errors', () => {
    const l = new LeakyReLU({ negativeSlope: 0.1, dtype: 'float64' });
    hb.checkGradients((x) => l.apply(x), [f64(pts(8, 5), [2, 4])], { name: 'LeakyReLU' });
    assertRoundTrip(new LeakyReLU({ negativeSlope: 0.05 }), hb.tensor(pts(4, 6)));
    assertThrowsWith(() => new LeakyReLU({ negativeSlope: -1 }), hb.ValueError, 'negativeSlope must be a number >= 0, received -1');
    assertThrowsWith(() => new LeakyReLU({ negativeSlope: 0.1, alpha: 0.2 }), hb.ValueError, 'give one');
  });
});

describe('ELU', () => {
  it('is x for x > 0 and alpha·(exp(x) − 1) otherwise', () => {
    const x = pts(8, 7);
    assertClose(vals(new ELU({ dtype: 'float64' }).apply(f64(x))), x.map((v) => (v > 0 ? v : Math.expm1(v))));
    assertClose(vals(new ELU({ alpha: 0.5, dtype: 'float64' }).apply(f64(x))), x.map((v) => (v > 0 ? v : 0.5 * Math.expm1(v))));
  });

  it('gradient, round trip, errors', () => {
    const l = new ELU({ alpha: 1.5, dtype: 'float64' });
    hb.checkGradients((x) => l.apply(x), [f64(pts(8, 8), [4, 2])], { name: 'ELU' });
    assertRoundTrip(new ELU({ alpha: 2 }), hb.tensor(pts(4, 9)));
    assertThrowsWith(() => new ELU({ alpha: Number.NaN }), hb.ValueError, 'alpha must be a finite number');
  });
});

describe('PReLU', () => {
  it('starts as a ReLU (alpha zeros) with one alpha per input position', () => {
    const p = new PReLU();
    const x = pts(6, 10);
    assertClose(vals(p.apply(hb.tensor(x, [2, 3]))), x.map((v) => Math.max(v, 0)), 1e-7, 0);
    assert.deepEqual(p.alpha.shape, [3]);
    assert.equal(p.countParams(), 3);
    assert.equal(p.trainableWeights.length, 1);
  });

  it('computes x if x > 0 else alpha·x with learned (here set) alphas, shared along sharedAxes', () => {
    const p = new PReLU({ sharedAxes: [1], dtype: 'float64' });
    p.ensureBuilt([null, 3, 2]);
    assert.deepEqual(p.alpha.shape, [1, 2]);
    p.alpha.assign(f64([0.25, -0.5], [1, 2]));
    const x = pts(12, 11);
    const want = x.map((v, i) => (v > 0 ? v : [0.25, -0.5][i % 2]! * v));
    assertClose(vals(p.apply(f64(x, [2, 3, 2]))), want);
    assert.deepEqual(p.computeOutputShape([null, 3, 2]), [null, 3, 2]);
  });

  it('gradients w.r.t. inputs and alpha match finite differences', () => {
    const p = new PReLU({ alphaInitializer: { className: 'Constant', config: { value: 0.2 } }, dtype: 'float64' });
    p.ensureBuilt([null, 2, 3]);
    p.alpha.assign(f64(lcg(6, 12), [2, 3]));
    const r = hb.checkGradients((x) => p.apply(x), [f64(pts(12, 13), [2, 2, 3])], { variables: p.trainableWeights, name: 'PReLU' });
    assert.equal(r.checked, 12 + 6);
  });

  it('config round trip, and typed errors', () => {
    const p = new PReLU({ sharedAxes: [1, 2], alphaInitializer: { className: 'Constant', config: { value: 0.3 } } });
    const copy = assertRoundTrip(p, hb.tensor(pts(12, 14), [1, 2, 2, 3]));
    assert.deepEqual(copy.getConfig()['sharedAxes'], [1, 2]);
    assertThrowsWith(() => new PReLU({ sharedAxes: [0] }), hb.ValueError, 'sharedAxes must be axes >= 1');
    assertThrowsExact(() => p.apply(hb.ones([1, 2, 2, 4])), hb.ShapeError, `PReLU "${p.name}" expects inputs with size 3 on axis 3, received shape [1, 2, 2, 4]`);
    assertThrowsWith(() => new PReLU({ name: 'pn' }).apply(input({ shape: [null] })), hb.ShapeError, 'PReLU "pn" needs known dimensions outside sharedAxes');
    assertThrowsWith(() => new PReLU({ sharedAxes: [3] }).apply(hb.ones([1, 2])), hb.ValueError, 'do not fit inputs of rank 2');
  });
});
