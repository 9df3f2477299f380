import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertTensor, assertThrowsWith } from '../../test/helpers.js';

describe('scope', () => {
  it('frees everything made inside except what is returned (tensors, arrays, objects, maps)', () => {
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    const out = hb.scope(() => {
      const a = hb.ones([3]);
      const b = hb.add(a, a);
      const c = hb.mul(b, b);
      return { c, list: [hb.neg(c)], map: new Map([['k', hb.exp(a)]]), n: 3 };
    });
    assert.equal(hb.numTensors(), t0 + 3);
    assert.equal(hb.numBuffers(), b0 + 3);
    assertTensor(out.c, [3], [4, 4, 4]);
    hb.dispose(out);
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
  });

  it('nested scopes hand returned tensors to the enclosing scope, which frees them later', () => {
    const t0 = hb.numTensors();
    let inner: hb.Tensor | null = null;
    const kept = hb.scope(() => {
      inner = hb.scope(() => hb.mul(hb.ones([2]), 2));
      assert.equal(inner.isDisposed, false);
      return hb.add(inner, 1);
    });
    assert.equal(inner!.isDisposed, true);
    assertTensor(kept, [2], [3, 3]);
    kept.dispose();
    assert.equal(hb.numTensors(), t0);
  });

  it('keep protects a tensor from every scope; the caller disposes it', () => {
    const b0 = hb.numBuffers();
    let kept: hb.Tensor | null = null;
    hb.scope(() => {
      hb.scope(() => {
        kept = hb.keep(hb.add(hb.ones([2]), 1));
        hb.ones([3]); // not kept: freed
      });
    });
    assert.equal(kept!.isDisposed, false);
    assert.equal(hb.numBuffers(), b0 + 1);
    assertTensor(kept!, [2], [2, 2]);
    kept!.dispose();
    assert.equal(hb.numBuffers(), b0);
  });

  it('frees on throw and rethrows', () => {
    const t0 = hb.numTensors();
    assert.throws(() => hb.scope(() => {
      hb.ones([5]);
      throw new Error('boom');
    }), /boom/);
    assert.equal(hb.numTensors(), t0);
  });

  it('refuses async functions with a clear error (and frees what they made)', () => {
    const t0 = hb.numTensors();
    assertThrowsWith(() => hb.scope(() => {
      hb.ones([1]);
      return Promise.resolve(1);
    }), hb.HebbError, 'scope', 'Promise', 'synchronous');
    assert.equal(hb.numTensors(), t0);
  });

  it('scopeAsync tracks tensors made across awaits', async () => {
    const t0 = hb.numTensors();
    const r = await hb.scopeAsync(async () => {
      const a = hb.ones([2]);
      await new Promise((res) => setTimeout(res, 1));
      const b = hb.add(a, 1);
      await b.data();
      return hb.mul(b, 2);
    });
    assertTensor(r, [2], [4, 4]);
    assert.equal(hb.numTensors(), t0 + 1);
    r.dispose();
    await assert.rejects(hb.scopeAsync(async () => {
      hb.ones([2]);
      throw new Error('async boom');
    }), /async boom/);
    assert.equal(hb.numTensors(), t0);
  });
});

describe('backends', () => {
  it('cpu is available and active by name; an unknown name is a BackendError listing the options', () => {
    assert.ok(hb.listBackends().includes('cpu'));
    const prev = hb.getBackend().name;
    assert.equal(hb.setBackend('cpu').name, 'cpu');
    assertThrowsWith(() => hb.setBackend('nope'), hb.BackendError, 'no backend named "nope"', 'cpu');
    hb.setBackend(prev);
  });

  it('tensors carry the dtype they were made with through every backend round trip', () => {
    const prev = hb.getBackend().name;
    hb.setBackend('cpu');
    for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
      const t = hb.tensor([1, 0, 1], [3], dtype);
      assert.equal(t.dtype, dtype);
      assert.deepEqual(Array.from(t.dataSync()), [1, 0, 1]);
      t.dispose();
    }
    hb.setBackend(prev);
  });
});
