import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { f64, assertThrowsWith } from '../../test/helpers.js';
import { CpuBackend } from '../backends/cpu/cpu_backend.js';

describe('checkGradients', () => {
  it('passes a correct gradient and reports what it checked', () => {
    const r = hb.checkGradients((x, y) => hb.mul(hb.tanh(x), y), [f64([0.3, -1.2, 2]), f64([1.5, 0.5, -2])]);
    assert.equal(r.checked, 6);
    assert.ok(r.worstRatio < 1);
  });

  it('fails a gradient that is off by a constant factor, naming the input and element', () => {
    const bad = hb.customGrad((x: hb.Tensor) => ({ value: hb.mul(x, x), gradFunc: (dy: hb.Tensor) => [hb.mul(dy, x)] }));
    assertThrowsWith(() => hb.checkGradients(bad, [f64([[1, 2], [3, 4]])], { name: 'square' }), hb.GradientCheckError,
      'checkGradients(square)', 'input 0', 'shape [2, 2]', 'element 0', 'index [0, 0]', 'analytic', 'numeric');
  });

  it('fails a gradient that is right only up to a permutation (projection weights are not uniform)', () => {
    // Gradient of x -> reverse(x) sent back un-reversed: correct under an all-ones seed.
    const rev = hb.customGrad((x: hb.Tensor) => ({
      value: hb.gather(x, hb.tensor([2, 1, 0], [3], 'int32')),
      gradFunc: (dy: hb.Tensor) => [dy],
    }));
    assert.throws(() => hb.checkGradients(rev, [f64([1, 2, 3])]), hb.GradientCheckError);
  });

  it('names the second input when only it is wrong', () => {
    const op = hb.customGrad((a: hb.Tensor, b: hb.Tensor) => ({
      value: hb.mul(a, b),
      gradFunc: (dy: hb.Tensor) => [hb.mul(dy, b), hb.mul(dy, b)],
    }));
    assertThrowsWith(() => hb.checkGradients(op, [f64([1, 2]), f64([3, 5])]), hb.GradientCheckError, 'input 1');
  });

  it('passes int32 inputs through unchanged and rejects them in wrt', () => {
    const r = hb.checkGradients((x, i) => hb.gather(x, i), [f64([1, 2, 3]), hb.tensor([0, 0, 2], [3], 'int32')]);
    assert.equal(r.checked, 3);
    assertThrowsWith(() => hb.checkGradients((x, i) => hb.gather(x, i), [f64([1]), hb.tensor([0], [1], 'int32')], { wrt: [1] }),
      hb.ValueError, 'input 1', 'int32');
  });

  it('converts float32 inputs to float64 and respects maxElements', () => {
    const x = hb.tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [8]);
    const r = hb.checkGradients((t) => hb.exp(t), [x], { maxElements: 3 });
    assert.equal(r.checked, 3);
  });

  it('runs in float32 with a larger step when asked, and still catches a wrong gradient', () => {
    const x = hb.tensor([0.5, -1, 2]);
    hb.checkGradients((t) => hb.mul(hb.tanh(t), t), [x], { dtype: 'float32', eps: 1e-2, rtol: 1e-2, atol: 1e-3 });
    const half = hb.customGrad((t: hb.Tensor) => ({ value: hb.mul(t, t), gradFunc: (dy: hb.Tensor) => [hb.mul(dy, t)] }));
    assert.throws(() => hb.checkGradients(half, [x], { dtype: 'float32', eps: 1e-2, rtol: 1e-2, atol: 1e-3 }), hb.GradientCheckError);
    x.dispose();
  });

  it('runs on the cpu backend and restores the active one, also after a failure', () => {
    hb.registerBackend('cpu-second', () => new CpuBackend(), -1);
    const prev = hb.getBackend();
    const second = hb.setBackend('cpu-second'); // a CpuBackend whose own name is 'cpu'
    try {
      const x = hb.tensor([0.5, 2]);
      hb.checkGradients((t) => hb.mul(t, t), [x]);
      assert.equal(hb.getBackend(), second);
      const bad = hb.customGrad((t: hb.Tensor) => ({ value: hb.mul(t, t), gradFunc: (dy: hb.Tensor) => [dy] }));
      assert.throws(() => hb.checkGradients(bad, [x]), hb.GradientCheckError);
      assert.equal(hb.getBackend(), second);
      x.dispose();
    } finally {
      // back to the original instance (registered as 'cpu' in this test process)
      hb.setBackend('cpu');
      assert.equal(hb.getBackend(), prev);
    }
  });

  it('checks variables that f reads directly (layer weights) and restores them', () => {
    const kernel = hb.variable(f64([[0.5, -1], [2, 0.25], [1, 1]]), { name: 'dense/kernel' });
    const bias = hb.variable(f64([0.1, -0.2]), { name: 'dense/bias' });
    const dense = (x: hb.Tensor): hb.Tensor => hb.tanh(hb.add(hb.matmul(x, kernel), bias));
    const x = f64([[1, 2, 3], [-1, 0.5, 2]]);
    const t0 = hb.numTensors();
    const r = hb.checkGradients(dense, [x], { variables: [kernel, bias] });
    assert.equal(r.checked, 6 + 6 + 2);
    assert.deepEqual(Array.from(kernel.dataSync()), [0.5, -1, 2, 0.25, 1, 1]);
    assert.deepEqual(Array.from(bias.dataSync()), [0.1, -0.2]);
    assert.equal(hb.numTensors(), t0);
    // a layer whose bias gradient is wrong is caught, and named
    const wrong = hb.customGrad((x: hb.Tensor, b: hb.Tensor) => ({
      value: hb.add(x, b),
      gradFunc: (dy: hb.Tensor) => [dy, hb.mul(hb.sum(dy, 0), 2)],
    }));
    assertThrowsWith(() => hb.checkGradients((x) => wrong(hb.matmul(x, kernel), bias), [f64([[1, 2, 3]])], { variables: [kernel, bias] }),
      hb.GradientCheckError, 'variable "dense/bias"', 'shape [2]');
    assert.deepEqual(Array.from(bias.dataSync()), [0.1, -0.2], 'restored after a failure');
    hb.dispose([kernel, bias, x]);
  });

    it('frees everything it allocates', () => {
    const x = f64([[0.5, 1], [2, 3]]);
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    hb.checkGradients((a) => hb.softmax(hb.matmul(a, a)), [x]);
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    x.dispose();
  });
});
