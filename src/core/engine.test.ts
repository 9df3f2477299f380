import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertTensor, assertThrowsWith, onBackend } from '../../test/helpers.js';
import { CpuBackend } from '../backends/cpu/cpu_backend.js';
import { WasmBackend } from '../backends/wasm/wasm_backend.js';

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

describe('size limits: refused before anything is allocated', () => {
  /** Runs fn on a backend and checks it allocated nothing (buffers, and the wasm heap's size). */
  const untouched = (backend: string, fn: () => void): void =>
    onBackend(backend, () => {
      const be = hb.getBackend();
      const heap = (): number => (be instanceof WasmBackend ? be.memoryStats().memoryBytes : 0);
      const [b0, h0] = [hb.numBuffers(), heap()];
      fn();
      assert.equal(hb.numBuffers(), b0, `${backend}: buffers allocated`);
      assert.equal(heap(), h0, `${backend}: wasm memory grew`);
    });

  for (const backend of ['wasm', 'cpu']) {
    it(`${backend}: the issue's examples throw SizeLimitError naming the op, the shape and the limit`, () => {
      untouched(backend, () => {
        const limit = `${backend} backend's limit of ${hb.getBackend().maxBufferBytes} bytes and 2147483647 elements per tensor`;
        assertThrowsWith(() => hb.range(0, 3e9), hb.SizeLimitError, 'range: a float32 tensor of shape [3000000000]', limit);
        assertThrowsWith(() => hb.eye(60000), hb.SizeLimitError, 'eye: a float32 tensor of shape [60000, 60000]', limit);
        hb.scope(() => {
          const ids = hb.tensor([0, 1, 2], undefined, 'int32');
          assertThrowsWith(() => hb.oneHot(ids, 2e9), hb.SizeLimitError, 'oneHot: a float32 tensor of shape [3, 2000000000]', limit);
          ids.dispose();
        });
        assertThrowsWith(() => hb.zeros([1e5, 1e5]), hb.SizeLimitError, 'zeros: a float32 tensor of shape [100000, 100000] (10000000000 elements, 40000000000 bytes)', limit);
        assertThrowsWith(() => hb.ones([2 ** 31]), hb.SizeLimitError, 'ones: a float32 tensor of shape [2147483648]', limit);
        // Under the element limit, over the bytes: 2^30 + 1 float32s are just over 4 GiB.
        assertThrowsWith(() => hb.zeros([2 ** 30 + 1]), hb.SizeLimitError, 'zeros', '4294967300 bytes', limit);
        assertThrowsWith(() => hb.randomNormal([1e5, 1e5]), hb.SizeLimitError, 'randomNormal: a float32 tensor of shape [100000, 100000]');
        // Ops on views that allocate nothing themselves: the output is checked.
        hb.scope(() => {
          const col = hb.broadcastTo(hb.zeros([1, 1]), [70000, 1]);
          const row = hb.broadcastTo(hb.zeros([1, 1]), [1, 70000]);
          const before = hb.numBuffers();
          assertThrowsWith(() => hb.matmul(col, row), hb.SizeLimitError, 'matmul: a float32 tensor of shape [70000, 70000]', limit);
          assertThrowsWith(() => hb.add(col, row), hb.SizeLimitError, 'add: a float32 tensor of shape [70000, 70000]', limit);
          assert.equal(hb.numBuffers(), before);
        });
      });
    });

    it(`${backend}: setMaxTensorBytes lowers the limit for every op (matmul, broadcasts, concat, gather, oneHot, cast)`, () => {
      untouched(backend, () => {
        hb.scope(() => {
          const a = hb.zeros([40, 1]);
          const b = hb.zeros([1, 40]);
          const v = hb.zeros([600]);
          const x = hb.zeros([100, 8]);
          const idx = hb.tensor(new Int32Array(200), [200], 'int32');
          const ids = hb.tensor([0, 1, 2], undefined, 'int32');
          const before = hb.numBuffers();
          hb.setMaxTensorBytes(4096);
          try {
            assert.equal(hb.maxTensorBytes(), 4096);
            const user = 'above the limit of 4096 bytes per tensor set by setMaxTensorBytes / HEBB_MAX_TENSOR_BYTES';
            assertThrowsWith(() => hb.matmul(a, b), hb.SizeLimitError, 'matmul: a float32 tensor of shape [40, 40] (1600 elements, 6400 bytes)', user);
            assertThrowsWith(() => hb.add(a, b), hb.SizeLimitError, 'add: a float32 tensor of shape [40, 40]', user);
            assertThrowsWith(() => hb.concat([v, v]), hb.SizeLimitError, 'concat: a float32 tensor of shape [1200]', user);
            assertThrowsWith(() => hb.gather(x, idx), hb.SizeLimitError, 'gather: a float32 tensor of shape [200, 8]', user);
            assertThrowsWith(() => hb.oneHot(ids, 600), hb.SizeLimitError, 'oneHot: a float32 tensor of shape [3, 600]', user);
            assertThrowsWith(() => hb.cast(v, 'float64'), hb.SizeLimitError, 'cast: a float64 tensor of shape [600] (600 elements, 4800 bytes)', user);
            assertThrowsWith(() => hb.zeros([1025]), hb.SizeLimitError, 'zeros: a float32 tensor of shape [1025]', user);
            assert.equal(hb.numBuffers(), before);
            // At the limit exactly: allowed.
            hb.zeros([1024]).dispose();
            hb.matmul(b, a).dispose();
          } finally {
            hb.setMaxTensorBytes(null);
          }
          assert.equal(hb.maxTensorBytes(), hb.getBackend().maxBufferBytes);
          hb.concat([v, v]).dispose();
        });
      });
    });
  }

  it('HEBB_MAX_TENSOR_BYTES sets the default (read again by setMaxTensorBytes(null)); a bad value is a ValueError', () => {
    const prev = process.env['HEBB_MAX_TENSOR_BYTES'];
    try {
      process.env['HEBB_MAX_TENSOR_BYTES'] = '2048';
      hb.setMaxTensorBytes(null);
      assert.equal(hb.maxTensorBytes(), 2048);
      assertThrowsWith(() => hb.ones([513]), hb.SizeLimitError, 'ones: a float32 tensor of shape [513] (513 elements, 2052 bytes)', '2048 bytes');
      hb.ones([512]).dispose();
      process.env['HEBB_MAX_TENSOR_BYTES'] = 'lots';
      assertThrowsWith(() => hb.setMaxTensorBytes(null), hb.ValueError, 'HEBB_MAX_TENSOR_BYTES must be a non-negative number of bytes, received "lots"');
      assertThrowsWith(() => hb.setMaxTensorBytes(-1), hb.ValueError, 'setMaxTensorBytes: bytes must be a non-negative number or null, received -1');
    } finally {
      if (prev === undefined) delete process.env['HEBB_MAX_TENSOR_BYTES'];
      else process.env['HEBB_MAX_TENSOR_BYTES'] = prev;
      hb.setMaxTensorBytes(null);
    }
  });

  it('shape arithmetic cannot overflow: sizes past 2^53 and bad dimensions are refused', () => {
    untouched('wasm', () => {
      assertThrowsWith(() => hb.zeros([2 ** 30, 2 ** 30, 2 ** 30]), hb.SizeLimitError, 'zeros: a float32 tensor of shape [1073741824, 1073741824, 1073741824] (more than 2^53 elements) is too large for any backend');
      assertThrowsWith(() => hb.range(0, 1e300), hb.SizeLimitError, 'range', 'more than 2^53 elements');
      assertThrowsWith(() => hb.zeros([-1, 3]), hb.ShapeError, 'zeros: shape must be an array of non-negative integers');
      assertThrowsWith(() => hb.zeros([NaN]), hb.ShapeError, 'zeros: shape must be an array of non-negative integers');
      hb.scope(() => {
        // A broadcast view costs nothing; an op on it would need 2^80 elements.
        const big = hb.broadcastTo(hb.zeros([1]), [2 ** 40, 2 ** 40]);
        assertThrowsWith(() => hb.neg(big), hb.SizeLimitError, 'neg: a float32 tensor of shape [1099511627776, 1099511627776] (more than 2^53 elements)');
      });
    });
  });

  it('a backend reports its own limit: CpuBackend({ maxBufferBytes }), the wasm backend 3.75 GiB (its largest block)', () => {
    hb.registerBackend('cpu-100-bytes', () => new CpuBackend({ maxBufferBytes: 100 }));
    untouched('cpu-100-bytes', () => {
      assert.equal(hb.maxTensorBytes(), 100);
      assertThrowsWith(() => hb.zeros([26]), hb.SizeLimitError, "zeros: a float32 tensor of shape [26] (26 elements, 104 bytes) is above the cpu backend's limit of 100 bytes");
      hb.zeros([25]).dispose();
    });
    assert.equal(new CpuBackend().maxBufferBytes, 2 ** 32);
    assert.equal(onBackend('wasm', () => hb.maxTensorBytes()), 15 * 2 ** 28);
  });
});
