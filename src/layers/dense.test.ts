import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Dense, deserializeLayer, input, serializeLayer } from './index.js';
import { f64, lcg, vals, assertClose, assertTensor, assertNoLeak, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

/** x·K + b in plain JS: x is [n, fanIn] row-major, K [fanIn, units]. */
function affine(x: number[], n: number, fanIn: number, k: number[], b: number[], units: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < units; j++) {
      let s = b[j] ?? 0;
      for (let p = 0; p < fanIn; p++) s += (x[i * fanIn + p] as number) * (k[p * units + j] as number);
      out.push(s);
    }
  }
  return out;
}

/** A float64 Dense built for `fanIn` features with the given kernel and bias. */
function denseWith(units: number, fanIn: number, k: number[], b: number[], activation: 'relu' | 'tanh' | null = null): Dense {
  const d = new Dense({ units, activation, dtype: 'float64' });
  d.ensureBuilt([null, fanIn]);
  d.kernel.assign(f64(k, [fanIn, units]));
  d.bias?.assign(f64(b, [units]));
  return d;
}

describe('Dense', () => {
  it('computes activation(x·kernel + bias) with a [fanIn, units] kernel', () => {
    const x = [1, -2, 0.5, 3, 0, -1];
    const k = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1, 1.1, -1.2];
    const b = [0.05, -0.1, 0.2, 0];
    const d = denseWith(4, 3, k, b, 'relu');
    const y = d.apply(f64(x, [2, 3]));
    assertTensor(y, [2, 4], affine(x, 2, 3, k, b, 4).map((v) => Math.max(v, 0)));
  });

  it('applies to the last axis of rank-3 inputs, like Keras', () => {
    const x = lcg(2 * 3 * 4, 7);
    const k = lcg(4 * 5, 8);
    const b = lcg(5, 9);
    const d = denseWith(5, 4, k, b, 'tanh');
    const y = d.apply(f64(x, [2, 3, 4]));
    assertTensor(y, [2, 3, 5], affine(x, 6, 4, k, b, 5).map(Math.tanh));
    assert.deepEqual(d.computeOutputShape([null, 3, 4]), [null, 3, 5]);
  });

  it('without a bias has one weight', () => {
    const d = new Dense({ units: 3, useBias: false });
    d.apply(hb.ones([2, 4]));
    assert.equal(d.weights.length, 1);
    assert.equal(d.bias, null);
    assert.equal(d.countParams(), 12);
  });

  it('gradients match finite differences (inputs, kernel, bias; float64)', () => {
    const d = denseWith(3, 4, lcg(12, 3), lcg(3, 4), 'tanh');
    const x = f64(lcg(2 * 4, 5), [2, 4]);
    const r = hb.checkGradients((xi) => d.apply(xi), [x], { variables: d.trainableWeights, name: 'Dense' });
    assert.equal(r.checked, 8 + 12 + 3);
    const x3 = f64(lcg(2 * 2 * 4, 6), [2, 2, 4]);
    hb.checkGradients((xi) => d.apply(xi), [x3], { variables: d.trainableWeights, name: 'Dense rank 3' });
  });

  it('gradients through callWithWeights reach the stand-in values', () => {
    const d = denseWith(2, 3, lcg(6, 1), lcg(2, 2), 'tanh');
    const [k, b] = d.weights.map((w) => f64(vals(w), w.shape));
    hb.checkGradients((x, kk, bb) => d.callWithWeights([kk as hb.Tensor, bb as hb.Tensor], x as hb.Tensor) as hb.Tensor, [f64(lcg(6, 3), [2, 3]), k as hb.Tensor, b as hb.Tensor]);
  });

  it('initializes the kernel with glorotUniform within ±sqrt(6/(fanIn+units)) and the bias with zeros', () => {
    const d = new Dense({ units: 50 });
    d.apply(hb.ones([1, 30]));
    const limit = Math.sqrt(6 / 80);
    const k = vals(d.kernel);
    assert.ok(k.every((v) => Math.abs(v) <= limit));
    assert.ok(Math.max(...k) > 0.9 * limit && Math.min(...k) < -0.9 * limit, 'spans the range');
    assert.deepEqual(vals(d.bias as hb.Variable), new Array(50).fill(0));
  });

  it('getConfig → fromConfig (through JSON) rebuilds a layer that gives the same outputs', () => {
    const d = new Dense({ units: 3, activation: 'tanh', kernelInitializer: 'heNormal', biasInitializer: { className: 'Constant', config: { value: 0.5 } } });
    const x = hb.tensor(lcg(8, 11), [2, 4]);
    const y = vals(d.apply(x));
    const json = JSON.parse(JSON.stringify(serializeLayer(d))) as { className: string; config: Record<string, unknown> };
    assert.equal(json.className, 'Dense');
    assert.equal(json.config['activation'], 'tanh');
    const copy = deserializeLayer(json);
    assert.ok(copy instanceof Dense);
    assert.equal(copy.name, d.name);
    // Same name → same random stream → the same initial weights, with no weight copying.
    assertClose(vals(copy.apply(x)), y, 0, 0);
    assert.deepEqual(copy.getConfig(), d.getConfig());
    assertClose(vals((copy as Dense).bias as hb.Variable), [0.5, 0.5, 0.5]);
  });

  it('checks its arguments and its inputs with typed errors', () => {
    assertThrowsWith(() => new Dense({ units: 0 }), hb.ValueError, 'units must be a positive integer, received 0');
    assertThrowsWith(() => new Dense({ units: 2.5 }), hb.ValueError, 'received 2.5');
    assertThrowsWith(() => new Dense({ units: 2, activation: 'nope' as 'relu' }), hb.ValueError, 'unknown activation');
    const d = new Dense({ units: 10, name: 'hidden1' });
    d.apply(hb.ones([2, 784]));
    assertThrowsExact(() => d.apply(hb.ones([32, 28, 28])), hb.ShapeError, 'Dense "hidden1" expects inputs with last dimension 784, received shape [32, 28, 28]');
    assertThrowsExact(() => new Dense({ units: 2, name: 'd1' }).apply(hb.ones([5])), hb.ShapeError, 'Dense "d1" expects inputs of rank at least 2, received shape [5]');
    assertThrowsWith(() => new Dense({ units: 2, name: 'd2' }).apply(input({ shape: [null] })), hb.ShapeError, 'Dense "d2" needs a known last dimension', '[null, null]');
    assertThrowsWith(() => new Dense({ units: 2 }).apply([hb.ones([1, 2]), hb.ones([1, 2])]), hb.ValueError, 'expects one input, received 2');
    assertThrowsWith(() => new Dense({ units: 2 }).kernel, hb.ValueError, 'before the layer is built');
    assertThrowsWith(() => Dense.fromConfig({ units: '3' }), hb.ValueError, 'Dense.fromConfig: "units" must be a number, received "3"');
  });

  it('leaves no tensors behind after a forward pass in a scope', () => {
    const d = new Dense({ units: 4, activation: 'relu' });
    d.apply(hb.ones([1, 3]));
    const x = hb.ones([2, 3]);
    assertNoLeak(() => {
      d.apply(x);
      d.apply(hb.ones([2, 5, 3]));
    });
  });
});
