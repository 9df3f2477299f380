/**
 * The native backend's memory: buffers are typed arrays over C++ blocks (no copies), free
 * really frees (a big block at once, detaching its ArrayBuffer so JavaScript cannot touch it;
 * small ones into the reuse pool, which trim empties), and a freed buffer is refused.
 * Skipped with the reason when the addon is not built.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackendError } from '../../core/errors.js';
import { nativeUnavailable } from './addon.js';
import { NativeBackend } from './native_backend.js';
import { POOL_CAP_BYTES, POOL_MAX_BYTES } from './pool.js';

const missing = nativeUnavailable();
const skip = missing !== null && process.env['HEBB_REQUIRE_NATIVE'] !== '1' ? `native backend: ${missing}` : false;

describe('native backend memory', { skip }, () => {
  it('blocks are 64-byte aligned and the kernels write into the very memory JavaScript reads', () => {
    const be = new NativeBackend();
    const bufs = [1, 3, 17, 1000, 300000].map((n) => be.alloc(n, 'float32'));
    for (const b of bufs) assert.equal(b.ptr % 64, 0, `block of ${b.size} at ${b.ptr}`);
    const b = bufs[1]!;
    be.fill(b, 2.5);
    assert.deepEqual(Array.from(b.data), [2.5, 2.5, 2.5], 'fill is visible through the buffer typed array, no read needed');
    for (const x of bufs) be.free(x);
    assert.equal(be.liveBuffers(), 0);
    be.trim();
  });

  it('free of a big block releases it at once: its ArrayBuffer is detached', () => {
    const be = new NativeBackend();
    const n = POOL_MAX_BYTES; // POOL_MAX_BYTES float32s: 4x the largest pooled size
    const b = be.alloc(n, 'float32');
    const data = b.data;
    assert.equal(data.length, n);
    be.free(b);
    assert.equal(data.length, 0, 'the typed array over a released block has length 0');
    assert.equal(b.mem.ab.byteLength, 0);
    assert.throws(() => be.readSync(b), (e: unknown) => e instanceof BackendError && /used after it was freed/.test(e.message));
    assert.throws(() => be.fill(b, 1), BackendError);
  });

  it('small blocks are reused after free, up to the cap; trim releases the kept ones', () => {
    const be = new NativeBackend();
    const a = be.alloc(10, 'float32');
    const mem = a.mem;
    be.free(a);
    assert.throws(() => be.write(a, new Float32Array(10)), BackendError, 'a freed buffer is refused even while its block is kept');
    const b = be.alloc(12, 'int32'); // the same 64-byte class
    assert.equal(b.mem, mem, 'the freed block of the same class is reused');
    assert.equal(b.data.length, 12);
    be.free(b);
    // Past the cap, freed small blocks are released, not kept.
    const big = Array.from({ length: POOL_CAP_BYTES / POOL_MAX_BYTES + 4 }, () => be.alloc(POOL_MAX_BYTES / 4, 'float32'));
    for (const x of big) be.free(x);
    const released = big.filter((x) => x.mem.ab.byteLength === 0).length;
    assert.ok(released >= 4, `${released} of ${big.length} blocks released past the pool's cap`);
    const kept = be.trim();
    assert.ok(kept > 0 && kept <= POOL_CAP_BYTES, `trim gave back ${kept} bytes (the cap is ${POOL_CAP_BYTES})`);
    assert.equal(be.trim(), 0, 'a second trim has nothing left');
    assert.ok(big.every((x) => x.mem.ab.byteLength === 0), 'after trim every block is released');
    assert.equal(be.liveBuffers(), 0);
  });
});
