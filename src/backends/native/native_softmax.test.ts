/**
 * The native softmax's dense path (kernels_softmax.cc: rows read in place and split over the
 * pool's threads when there are enough of them, as predict's [1024, 10] batches are) against
 * its gathered path (the same values behind a stride-2 view, one row after another on the
 * caller): the same arithmetic per row, so the same bits, for row counts on both sides of the
 * split and special values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeUnavailable } from './addon.js';
import { NativeBackend } from './native_backend.js';

const missing = nativeUnavailable();

test('native softmax: dense rows (threaded) equal the gathered path bit for bit', { skip: missing ?? false }, () => {
  const be = new NativeBackend();
  let seed = 777;
  const rand = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed / 4294967296 - 0.5) * 30;
  };
  const special = [NaN, Infinity, -Infinity, 0, -0, 88, -104];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [rows, cols] of [[1, 1], [3, 10], [409, 10], [1024, 10], [2048, 3], [37, 300]] as const) {
      const n = rows * cols;
      const dense = be.alloc(n, dtype);
      const spread = be.alloc(2 * n, dtype);
      for (let i = 0; i < n; i++) {
        const v = i % 97 === 5 ? (special[(i / 97) % special.length | 0] as number) : rand();
        dense.data[i] = v;
        spread.data[2 * i] = v;
        spread.data[2 * i + 1] = 1e30;
      }
      const a = be.alloc(n, dtype);
      const b = be.alloc(n, dtype);
      be.softmax({ buf: dense, shape: [rows, cols], strides: [cols, 1], offset: 0 }, a);
      be.softmax({ buf: spread, shape: [rows, cols], strides: [2 * cols, 2], offset: 0 }, b);
      for (let i = 0; i < n; i++) {
        assert.ok(Object.is(a.data[i], b.data[i]), `${dtype} [${rows}, ${cols}] element ${i}: dense ${a.data[i]}, gathered ${b.data[i]}`);
      }
      for (const buf of [dense, spread, a, b]) be.free(buf);
    }
  }
});
