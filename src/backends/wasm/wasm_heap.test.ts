/**
 * What the conformance suite cannot see from outside: the wasm heap's size classes and free
 * lists, views surviving memory.grow, scratch blocks given back on errors, a flat heap over
 * repeated training steps, and GEMM at the MLP's real sizes against a float64 reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as hb from '../../index.js';
import { BackendError } from '../../core/errors.js';
import { MAX_MEMORY_BYTES, largestBlock, sizeClass } from './heap.js';
import { WasmBackend, type WasmBuffer } from './wasm_backend.js';

const dense = (buf: WasmBuffer, shape: number[]) => {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return { buf, shape, strides, offset: 0 };
};

describe('wasm heap', () => {
  it('size classes cover the request, are 64-byte multiples and waste at most 1/8 above 4 KiB', () => {
    assert.equal(sizeClass(0), 0);
    for (let bytes = 1; bytes < 3_000_000; bytes = Math.ceil(bytes * 1.37) + 1) {
      const c = sizeClass(bytes);
      assert.ok(c >= bytes, `class ${c} < ${bytes}`);
      assert.equal(c % 64, 0, `class ${c} of ${bytes} is not a multiple of 64`);
      if (bytes > 4096) assert.ok(c - bytes <= bytes / 8, `class ${c} wastes more than 1/8 of ${bytes}`);
    }
  });

  it('largestBlock is the biggest size class that fits: the wasm backend reports it as maxBufferBytes', () => {
    for (const room of [64, 100, 4096, 5000, 1e6, 3e9, MAX_MEMORY_BYTES - 1_000_000]) {
      const b = largestBlock(room);
      assert.ok(b <= room && sizeClass(b) === b, `largestBlock(${room}) = ${b}`);
      // The next request up needs a class that does not fit.
      assert.ok(sizeClass(b + 1) > room, `a block of ${b + 1} bytes would fit in ${room}`);
    }
    assert.equal(new WasmBackend().maxBufferBytes, 15 * 2 ** 28);
  });

  it('a column sum that needs more scratch than the backend keeps borrows a heap block and gives it back', () => {
    const be = new WasmBackend();
    const [rows, cols] = [600, 5000];
    const x = be.alloc(rows * cols, 'float32');
    be.write(x, new Float32Array(rows * cols).fill(0.5));
    const out = be.alloc(cols, 'float32');
    const inUse = be.memoryStats().bytesInUse;
    be.reduce('sum', { buf: x, shape: [cols, rows], strides: [1, cols], offset: 0 }, 1, out);
    assert.equal(be.memoryStats().bytesInUse, inUse);
    assert.deepEqual([...new Set(be.readSync(out))], [300]);
  });

  it('freed blocks are reused: alloc/free cycles do not grow the heap', () => {
    const be = new WasmBackend();
    const inUse = be.memoryStats().bytesInUse;
    const first = be.alloc(1000, 'float32');
    be.free(first);
    const top = be.memoryStats().heapBytes;
    for (let i = 0; i < 100; i++) {
      const b = be.alloc(1000 - (i % 7), 'float32');
      assert.equal(b.ptr, first.ptr, 'a block of the same size class comes back from the free list');
      be.free(b);
    }
    assert.equal(be.memoryStats().heapBytes, top);
    assert.equal(be.memoryStats().bytesInUse, inUse);
  });

  it('data written before memory.grow reads back after it, and kernels still work', async () => {
    const be = new WasmBackend();
    const a = be.alloc(5, 'float32');
    be.write(a, Float32Array.from([1, 2, 3, 4, 5]));
    const before = be.memoryStats().memoryBytes;
    const big = be.alloc(16 * 1024 * 1024, 'float32'); // 64 MiB forces memory.grow
    assert.ok(be.memoryStats().memoryBytes > before, 'memory grew');
    be.fill(big, 2);
    const out = be.alloc(5, 'float32');
    be.binary('mul', dense(a, [5]), { buf: big, shape: [5], strides: [1], offset: 16 * 1024 * 1024 - 5 }, out);
    assert.deepEqual(Array.from(await be.read(a)), [1, 2, 3, 4, 5]);
    assert.deepEqual(Array.from(be.readSync(out)), [2, 4, 6, 8, 10]);
    for (const b of [a, big, out]) be.free(b);
    assert.equal(be.liveBuffers(), 0);
  });

  it('an out-of-range index throws a BackendError and gives its scratch block back', () => {
    const be = new WasmBackend();
    const x = be.alloc(6, 'float32');
    be.write(x, Float32Array.from([0, 1, 2, 3, 4, 5]));
    const idx = be.alloc(4, 'int32');
    be.write(idx, Int32Array.from([0, 9, 1, 7]));
    const out = be.alloc(2, 'float32');
    const inUse = be.memoryStats().bytesInUse;
    // A strided index view (stride 2) is copied to a scratch block before the kernel runs.
    const idxView = { buf: idx, shape: [2], strides: [2], offset: 1 };
    assert.throws(() => be.gather({ buf: x, shape: [1, 6, 1], strides: [6, 1, 1], offset: 0 }, idxView, out), (e: unknown) => {
      return e instanceof BackendError && /gather: index 9 is out of range \[0, 6\)/.test(e.message);
    });
    assert.equal(be.memoryStats().bytesInUse, inUse);
    for (const b of [x, idx, out]) be.free(b);
  });

  it('rejects freed buffers, double frees and writes of the wrong length', () => {
    const be = new WasmBackend();
    const b = be.alloc(3, 'int32');
    assert.throws(() => be.write(b, Int32Array.from([1, 2])), /holds 3 elements, received 2/);
    be.free(b);
    assert.throws(() => be.readSync(b), /used after it was freed/);
    assert.throws(() => be.free(b), /used after it was freed/);
  });
});

describe('wasm gemm at the MLP sizes', () => {
  it('[32, 784] x [784, 300] and a transposed [784, 32] view x [32, 300] match a float64 reference', async () => {
    const be = new WasmBackend();
    let s = 12345;
    const rand = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296 - 0.5;
    };
    for (const [m, k, n, transA] of [[32, 784, 300, false], [784, 32, 300, true]] as const) {
      const av = Float32Array.from({ length: m * k }, rand);
      const bv = Float32Array.from({ length: k * n }, rand);
      const a = be.alloc(m * k, 'float32');
      const b = be.alloc(k * n, 'float32');
      const c = be.alloc(m * n, 'float32');
      be.write(a, av);
      be.write(b, bv);
      // transA: the buffer holds A^T ([k, m]); the view reads it as [m, k] with row stride 1.
      const aView = { buf: a, shape: [1, m, k], strides: [0, transA ? 1 : k, transA ? m : 1], offset: 0 };
      be.matmul(aView, dense(b, [1, k, n]), c);
      const got = be.readSync(c);
      for (let i = 0; i < m; i += 7) {
        for (let j = 0; j < n; j += 5) {
          let ref = 0;
          let abs = 0;
          for (let p = 0; p < k; p++) {
            const x = (transA ? av[p * m + i] : av[i * k + p]) as number;
            const prod = x * (bv[p * n + j] as number);
            ref += prod;
            abs += Math.abs(prod);
          }
          const tol = 2 * (k + 2) * 2 ** -24 * abs;
          assert.ok(Math.abs((got[i * n + j] as number) - ref) <= tol, `C[${i}, ${j}] = ${got[i * n + j]}, expected ${ref} within ${tol}`);
        }
      }
      for (const x of [a, b, c]) be.free(x);
    }
  });
});

describe('wasm gemm on several threads', () => {
  it('splits big products with 1 and with 3 workers and gives bit-identical results to one thread', async () => {
    const one = new WasmBackend({ threads: 1 });
    const two = new WasmBackend({ threads: 2 });
    // More threads than this machine may have cores: still correct, only slower.
    const four = new WasmBackend({ threads: 4 });
    assert.deepEqual([one.threads, two.threads, four.threads, new WasmBackend({ threads: 99 }).threads], [1, 2, 4, 8]);
    const deadline = Date.now() + 10000;
    while (!two.gemmThreadReady() || !four.gemmThreadReady()) {
      assert.ok(Date.now() < deadline, 'the GEMM workers did not start within 10 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(one.gemmThreadReady(), false);
    let s = 99;
    const rand = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296 - 0.5;
    };
    // Column chunks (short products): ragged sizes (m not a multiple of 4, n not of 8), a
    // transposed B, a batch of 2. Row chunks (m >= 128): a ragged last chunk, a transposed A,
    // a narrow n (10, too narrow for column chunks), a batch of 2.
    const cases = [
      [1, 37, 301, 203, false, false],
      [2, 64, 200, 100, false, true],
      [1, 203, 300, 10, true, false],
      [2, 300, 64, 100, false, true],
      [1, 1024, 40, 30, true, true],
      // Long enough (~3 ms on one thread) for sleeping workers to wake and join.
      [1, 512, 512, 300, false, false],
    ] as const;
    for (const [batch, m, k, n, transA, transB] of cases) {
      const av = Float32Array.from({ length: batch * m * k }, rand);
      const bv = Float32Array.from({ length: batch * k * n }, rand);
      const results = [one, two, four].map((be) => {
        const a = be.alloc(av.length, 'float32');
        const b = be.alloc(bv.length, 'float32');
        const c = be.alloc(batch * m * n, 'float32');
        be.write(a, av);
        be.write(b, bv);
        const bView = { buf: b, shape: [batch, k, n], strides: [k * n, transB ? 1 : n, transB ? k : 1], offset: 0 };
        const aView = { buf: a, shape: [batch, m, k], strides: [m * k, transA ? 1 : k, transA ? m : 1], offset: 0 };
        be.matmul(aView, bView, c);
        const r = be.readSync(c);
        for (const x of [a, b, c]) be.free(x);
        return r;
      });
      const what = `[${batch}, ${m}, ${k}] x [${batch}, ${k}, ${n}]${transA ? ' (a transposed)' : ''}${transB ? ' (b transposed)' : ''}`;
      assert.deepEqual(results[1], results[0], `${what}, 2 threads`);
      assert.deepEqual(results[2], results[0], `${what}, 4 threads`);
    }
    assert.ok(two.gemmWorkerChunks() > 0 && four.gemmWorkerChunks() > 0, `workers ran ${two.gemmWorkerChunks()} and ${four.gemmWorkerChunks()} chunks`);
    await four.stopThreads();
    await two.stopThreads();
    assert.equal(two.gemmThreadReady(), false);
    await two.stopThreads();
  });
});

describe('wasm backend under the engine', () => {
  it('a training loop keeps the heap flat after its first steps', () => {
    const prev = hb.getBackend().name;
    hb.setBackend('wasm');
    try {
      const be = hb.getBackend();
      assert.ok(be instanceof WasmBackend);
      const w = hb.variable(hb.randomNormal([64, 32], { seed: 1 }));
      const x = hb.randomNormal([16, 64], { seed: 2 });
      const stepOnce = () =>
        hb.scope(() => {
          const { grads } = hb.valueAndGrad(() => hb.mean(hb.square(hb.relu(hb.matmul(x, w)))), [w]);
          w.assign(hb.sub(w, hb.mul(grads[0] as hb.Tensor, 0.1)));
        });
      for (let i = 0; i < 3; i++) stepOnce();
      const heap = be.memoryStats().heapBytes;
      const buffers = hb.numBuffers();
      for (let i = 0; i < 50; i++) stepOnce();
      assert.equal(be.memoryStats().heapBytes, heap, 'heap grew across identical steps');
      assert.equal(hb.numBuffers(), buffers);
      hb.dispose([w, x]);
    } finally {
      hb.setBackend(prev);
    }
  });
});
