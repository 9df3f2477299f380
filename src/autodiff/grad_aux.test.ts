import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { f64, vals, assertClose, assertNoLeak, assertThrowsWith } from '../../test/helpers.js';

describe('valueAndGrad with hasAux', () => {
  it('returns aux beside the value and the gradient of the value alone', () => {
    assertNoLeak(() => {
      const w = f64([0.5, -2]);
      const x = f64([3, 4]);
      // value = sum(w·x)², aux = {pred: w·x, parts: [sum(w·x)]}: d value/dw = 2·sum(w·x)·x.
      const r = hb.valueAndGrad(() => {
        const pred = hb.mul(w, x);
        const s = hb.sum(pred);
        return [hb.mul(s, s), { pred, parts: [s] }];
      }, [w], { hasAux: true });
      const s = 0.5 * 3 - 2 * 4;
      assertClose(vals(r.value), [s * s]);
      assertClose(vals(r.grads[0]!), [2 * s * 3, 2 * s * 4]);
      assertClose(vals(r.aux.pred), [1.5, -8]);
      assertClose(vals(r.aux.parts[0]!), [s]);
      hb.checkGradients((t) => { const p = hb.sum(hb.mul(t, x)); return hb.mul(p, p); }, [w]);
    });
  });

  it('keeps only the value, the gradients and aux alive; disposing each once frees everything', () => {
    const x = f64([0.1, 0.2, 0.3]);
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    const r = hb.valueAndGrad(() => {
      const sm = hb.softmax(hb.mul(x, x));
      return [hb.sum(hb.log(sm)), [sm, hb.exp(sm)]];
    }, [x], { hasAux: true });
    assert.equal(hb.numTensors(), t0 + 4, 'value, one gradient and two aux tensors');
    hb.dispose([r.value, r.grads, r.aux]);
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    x.dispose();
  });

  it('gives aux tensors of their own where f returns an input, the value or one tensor twice', () => {
    const x = f64([1, 2]);
    const t0 = hb.numTensors();
    const r = hb.valueAndGrad(() => {
      const v = hb.sum(hb.mul(x, x));
      return [v, { input: x, value: v, a: hb.neg(x), b: [] as hb.Tensor[] }];
    }, [x], { hasAux: true });
    assert.notEqual(r.aux.input, x);
    assert.notEqual(r.aux.value, r.value);
    assertClose(vals(r.aux.value), vals(r.value));
    hb.dispose([r.value, r.grads, r.aux]);
    assert.equal(x.isDisposed, false);
    assert.equal(hb.numTensors(), t0);
    x.dispose();
  });

  it('takes dy in the options and still as the positional third argument', () => {
    assertNoLeak(() => {
      const x = f64([1, 2]);
      const dy = f64([10, 100]);
      // d/dx of x² seeded with dy: 2x·dy.
      assertClose(vals(hb.valueAndGrad(() => hb.mul(x, x), [x], dy).grads[0]!), [20, 400]);
      assertClose(vals(hb.valueAndGrad(() => hb.mul(x, x), [x], { dy }).grads[0]!), [20, 400]);
      const r = hb.valueAndGrad(() => [hb.mul(x, x), hb.add(x, 1)], [x], { dy, hasAux: true });
      assertClose(vals(r.grads[0]!), [20, 400]);
      assertClose(vals(r.aux), [2, 3]);
    });
  });

  it('refuses f results and options it cannot use, freeing what f made', () => {
    const x = f64([1, 2]);
    const t0 = hb.numTensors();
    hb.scope(() => {
      assertThrowsWith(() => hb.valueAndGrad((() => hb.mul(x, x)) as never, [x], { hasAux: true }), hb.ValueError, 'hasAux', '[value, aux]');
      assertThrowsWith(() => hb.valueAndGrad(() => [hb.mul(x, x), { n: 3 as never }], [x], { hasAux: true }), hb.ValueError, 'aux.n', 'Tensor');
      assertThrowsWith(() => hb.valueAndGrad(() => hb.mul(x, x), [x], { dY: x } as never), hb.ValueError, 'dY');
    });
    assert.equal(hb.numTensors(), t0);
    x.dispose();
  });

  it('works inside an enclosing scope and under a second tape (aux is recorded as forward ops)', () => {
    assertNoLeak(() => {
      const w = f64([2]);
      // outer d/dw of aux·w where aux = w³ (computed inside the inner valueAndGrad): 4w³ = 32.
      const outer = hb.valueAndGrad(() => {
        const inner = hb.valueAndGrad(() => { const c = hb.mul(hb.mul(w, w), w); return [hb.sum(c), c]; }, [w], { hasAux: true });
        return hb.sum(hb.mul(inner.aux, w));
      }, [w]);
      assertClose(vals(outer.grads[0]!), [32]);
    });
  });
});
