import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { f64, vals, assertClose, assertNoLeak, assertThrowsWith } from '../../test/helpers.js';

describe('valueAndGrad', () => {
  it('returns the value and d/dx of x^3 + 2x = 3x^2 + 2', () => {
    assertNoLeak(() => {
      const x = f64([-1, 0.5, 2]);
      const { value, grads } = hb.valueAndGrad(() => hb.add(hb.mul(hb.mul(x, x), x), hb.mul(x, 2)), [x]);
      assertClose(vals(value), [-3, 1.125, 12]);
      assertClose(vals(grads[0]!), [5, 2.75, 14]);
    });
  });

  it('sums gradients on fan-out (a tensor used several times, also through views)', () => {
    assertNoLeak(() => {
      const x = f64([[1, 2], [3, 4]]);
      // y = sum(x*x) + sum(xᵀ*x) + sum(x), elementwise products: d/dx_ij = 2 x_ij + 2 x_ji + 1
      const f = (): hb.Tensor => hb.add(hb.add(hb.sum(hb.mul(x, x)), hb.sum(hb.mul(hb.transpose(x), x))), hb.sum(x));
      const g = hb.valueAndGrad(f, [x]).grads[0]!;
      assertClose(vals(g), [2 * 1 + 2 * 1 + 1, 2 * 2 + 2 * 3 + 1, 2 * 3 + 2 * 2 + 1, 2 * 4 + 2 * 4 + 1]);
      hb.checkGradients((t) => hb.add(hb.mul(t, t), hb.mul(hb.transpose(t), t)), [x]);
    });
  });

  it('un-broadcasts: gradients have the shape of each input', () => {
    assertNoLeak(() => {
      const a = f64([[1, 2, 3], [4, 5, 6]]);
      const row = f64([10, 20, 30]);
      const col = f64([[1], [2]]);
      const s = f64(2);
      const { grads } = hb.valueAndGrad(() => hb.mul(hb.add(hb.add(a, row), col), s), [a, row, col, s]);
      assert.deepEqual(grads.map((g) => [...g.shape]), [[2, 3], [3], [2, 1], []]);
      assertClose(vals(grads[0]!), [2, 2, 2, 2, 2, 2]);
      assertClose(vals(grads[1]!), [4, 4, 4]);
      assertClose(vals(grads[2]!), [6, 6]);
      assertClose(vals(grads[3]!), [1 + 10 + 1 + 2 + 20 + 1 + 3 + 30 + 1 + 4 + 10 + 2 + 5 + 20 + 2 + 6 + 30 + 2]);
      hb.checkGradients((p, q, r, t) => hb.div(hb.mul(hb.sub(p, q), r), hb.add(t, 3)), [a, row, col, s]);
      hb.checkGradients((p, q) => hb.mul(p, q), [f64([[1, 2, 3]]), f64([[1], [2]])]);
    });
  });

  it('differentiates a non-scalar result as the sum of its elements, or with the given seed', () => {
    assertNoLeak(() => {
      const x = f64([1, 2]);
      assertClose(vals(hb.valueAndGrad(() => hb.mul(x, x), [x]).grads[0]!), [2, 4]);
      const dy = f64([3, -1]);
      assertClose(vals(hb.valueAndGrad(() => hb.mul(x, x), [x], dy).grads[0]!), [6, -4]);
      assertThrowsWith(() => hb.valueAndGrad(() => hb.mul(x, x), [x], f64([1, 2, 3])), hb.ShapeError, 'dy', '[2]', '[3]');
    });
  });

  it('gives zero gradients to inputs the value does not depend on', () => {
    assertNoLeak(() => {
      const x = f64([1, 2]);
      const y = f64([[5]]);
      const { grads } = hb.valueAndGrad(() => hb.sum(hb.mul(x, 3)), [x, y]);
      assertClose(vals(grads[1]!), [0]);
      assert.deepEqual([...grads[1]!.shape], [1, 1]);
      const c = f64([7, 7]);
      assertClose(vals(hb.valueAndGrad(() => c, [x]).grads[0]!), [0, 0]);
    });
  });

  it('stopGradient blocks the gradient but keeps the value', () => {
    assertNoLeak(() => {
      const x = f64([2, 3]);
      const { value, grads } = hb.valueAndGrad(() => hb.sum(hb.mul(x, hb.stopGradient(x))), [x]);
      assertClose(vals(value), [13]);
      assertClose(vals(grads[0]!), [2, 3]);
    });
  });

  it('customGrad uses its own rule, which checkGradients verifies', () => {
    assertNoLeak(() => {
      // A numerically careful log(1 + x^2) with a hand-written gradient 2x / (1 + x^2).
      const f = hb.customGrad((x: hb.Tensor) => ({
        value: hb.log1p(hb.mul(x, x)),
        gradFunc: (dy: hb.Tensor) => [hb.mul(dy, hb.div(hb.mul(x, 2), hb.add(hb.mul(x, x), 1)))],
      }));
      hb.checkGradients(f, [f64([-2, 0.3, 1.7])]);
      // composed with other ops on both sides
      hb.checkGradients((a, b) => hb.mul(f(hb.mul(a, b)), a), [f64([-2, 0.3]), f64([0.5, 4])]);
      // an op whose value is its input (identity with a scaled gradient)
      const scaleGrad = hb.customGrad((x: hb.Tensor) => ({ value: x, gradFunc: (dy: hb.Tensor) => [hb.mul(dy, 3)] }));
      const s = f64([1, 2]);
      assertClose(vals(hb.valueAndGrad(() => hb.sum(scaleGrad(s)), [s]).grads[0]!), [3, 3]);
      const wrongCount = hb.customGrad((x: hb.Tensor) => ({ value: hb.neg(x), gradFunc: () => [] }));
      const x = f64([1]);
      assertThrowsWith(() => hb.valueAndGrad(() => wrongCount(x), [x]), hb.ValueError, 'customGrad', '1 gradients', 'returned 0');
    });
  });

  it('returns gradients the caller may dispose independently (no aliasing)', () => {
    assertNoLeak(() => {
      const a = f64([1]);
      const b = f64([2]);
      const { value, grads } = hb.valueAndGrad(() => hb.add(a, b), [a, b, a]);
      assert.notEqual(grads[0], grads[1]);
      assert.notEqual(grads[0], grads[2]);
      grads[0]!.dispose();
      assertClose(vals(grads[1]!), [1]);
      assertClose(vals(grads[2]!), [1]);
      assertClose(vals(value), [3]);
      // f returning its input: the gradient is the seed, not the input or the seed itself.
      const dy = f64([5]);
      const r = hb.valueAndGrad(() => a, [a], dy);
      assert.notEqual(r.grads[0], dy);
      assert.notEqual(r.grads[0], a);
      assert.notEqual(r.value, a);
      r.grads[0]!.dispose();
      r.value.dispose();
      const c = f64([9]);
      const rc = hb.valueAndGrad(() => c, [a]);
      assert.notEqual(rc.value, c);
      rc.value.dispose();
      assert.equal(c.isDisposed, false);
      assert.equal(dy.isDisposed, false);
      assert.equal(a.isDisposed, false);
    });
  });

  it('survives a nested scope inside f (tape tensors outlive the inner scope)', () => {
    assertNoLeak(() => {
      const w = f64([1, 2]);
      const c = f64([3, 4]);
      const { value, grads } = hb.valueAndGrad(() => hb.scope(() => hb.sum(hb.mul(hb.mul(w, c), hb.exp(c)))), [w]);
      assertClose(vals(value), [3 * Math.exp(3) + 8 * Math.exp(4)], 1e-14);
      assertClose(vals(grads[0]!), [3 * Math.exp(3), 4 * Math.exp(4)], 1e-14);
    });
  });

  it('frees every intermediate: only the value and the gradients survive', () => {
    const x = f64([0.1, 0.2, 0.3]);
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    const { value, grads } = hb.valueAndGrad(() => hb.sum(hb.softmax(hb.mul(x, x))), [x]);
    assert.equal(hb.numTensors(), t0 + 2);
    hb.dispose([value, grads]);
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    // grad(f) frees the value it does not return
    const g = hb.grad((t) => hb.sum(hb.exp(t)))(x);
    assert.equal(hb.numTensors(), t0 + 1);
    assertClose(vals(g), [Math.exp(0.1), Math.exp(0.2), Math.exp(0.3)], 1e-15);
    g.dispose();
    // grad of the identity must not dispose the input
    hb.grad((t) => t)(x).dispose();
    assert.equal(x.isDisposed, false);
    assert.equal(hb.numBuffers(), b0);
    x.dispose();
  });

  it('frees everything when f throws, and the tape lets go of its tensors', () => {
    const x = f64([1, 2]);
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    hb.scope(() => {
      assert.throws(() => hb.valueAndGrad(() => {
        hb.scope(() => hb.exp(hb.mul(x, x)));
        throw new Error('inside f');
      }, [x]), /inside f/);
      assert.equal(hb.numTensors(), t0, 'nothing handed to the enclosing scope');
    });
    hb.scope(() => assertThrowsWith(() => hb.valueAndGrad(() => hb.mul(x, x), [x], hb.tensor([1, 1])), hb.DTypeError, 'dy', 'float64', 'float32'));
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    x.dispose();
  });

  it('refuses to differentiate through a gradient instead of returning a silent zero', () => {
    assertNoLeak(() => {
      const x = f64([1.5, 2]);
      const inner = (t: hb.Tensor): hb.Tensor => hb.grad((y) => hb.sum(hb.mul(y, hb.mul(y, y))))(t);
      assertThrowsWith(() => hb.grad((t) => hb.sum(inner(t)))(x), hb.ValueError, 'gradient of a gradient', 'not supported');
      // an inner gradient used as a constant (stopGradient) or not used at all is fine
      const g = hb.grad((t) => hb.sum(hb.mul(t, hb.stopGradient(inner(t)))))(x);
      assertClose(vals(g), [3 * 1.5 * 1.5, 3 * 2 * 2]);
      const { value } = hb.valueAndGrad(() => {
        inner(x);
        return hb.sum(hb.mul(x, x));
      }, [x]);
      assertClose(vals(value), [1.5 * 1.5 + 4]);
      // an inner gradient with respect to something the outer one does not watch is fine too
      const c = f64([3, 4]);
      const g2 = hb.grad((t) => hb.sum(hb.mul(t, inner(c))))(x);
      assertClose(vals(g2), [27, 48]);
    });
  });

  it('grads(f) differentiates with respect to every argument', () => {
    assertNoLeak(() => {
      const [ga, gb] = hb.grads((a, b) => hb.sum(hb.mul(a, b)))([f64([1, 2]), f64([3, 4])]);
      assertClose(vals(ga!), [3, 4]);
      assertClose(vals(gb!), [1, 2]);
    });
  });

  it('works with Variables across assign (the tape follows the variable, not its storage)', () => {
    const v = hb.variable(f64([1, 2]));
    hb.scope(() => {
      const g1 = hb.valueAndGrad(() => hb.sum(hb.mul(v, v)), [v]).grads[0]!;
      assertClose(vals(g1), [2, 4]);
      v.assign(f64([5, 6]));
      const g2 = hb.valueAndGrad(() => hb.sum(hb.mul(v, v)), [v]).grads[0]!;
      assertClose(vals(g2), [10, 12]);
    });
    v.dispose();
  });

  it('uses the value a Variable had when an op read it, even if f assigns it afterwards', () => {
    const w = hb.variable(f64([1, 2]), { name: 'w' });
    const v = hb.variable(f64([3, 4]), { name: 'v' });
    const moving = hb.variable(f64([0, 0]), { name: 'moving' });
    hb.scope(() => {
      const { value, grads } = hb.valueAndGrad(() => {
        const y = hb.mul(w, v);
        const z = hb.mul(v, v);
        // a BatchNorm-style update inside f, reading a tensor that depends on w
        moving.assign(hb.sub(moving, hb.mul(hb.sub(moving, y), 0.5)));
        v.assign(hb.mul(v, 10));
        w.assign(hb.mul(w, 100));
        return hb.add(hb.sum(y), hb.sum(z));
      }, [w, v]);
      assertClose(vals(value), [3 + 8 + 9 + 16]);
      assertClose(vals(grads[0]!), [3, 4], 0, 0); // d/dw = v as read, not 10 v
      assertClose(vals(grads[1]!), [1 + 6, 2 + 8], 0, 0); // d/dv = w + 2v as read
      assertClose(vals(moving), [1.5, 4]);
    });
    hb.dispose([w, v, moving]);
  });

  it('rejects an empty list of inputs and a non-tensor result', () => {
    assertThrowsWith(() => hb.valueAndGrad(() => f64(1), []), hb.ValueError, 'valueAndGrad', 'at least one');
    const x = f64([1]);
    const notTensor: () => hb.Tensor = (() => 3) as never; // what untyped JS callers can do
    assertThrowsWith(() => hb.valueAndGrad(notTensor, [x]), hb.ValueError, 'must return a Tensor');
    x.dispose();
  });
});
