/**
 * The native sum's dense fast path (kernels_reduce.cc: float rows read in place, vectorized per
 * ISA) against its gathered path (the same values behind a stride-2 view, which the fast path
 * does not take): the two must agree bit for bit, for row lengths around every pairwise-block
 * boundary, in float32 and float64; and both stay within float32 rounding of an exact sum.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeUnavailable } from './addon.js';
import { NativeBackend } from './native_backend.js';

const missing = nativeUnavailable();

test('native dense sums equal the gathered path bit for bit', { skip: missing ?? false }, () => {
  const be = new NativeBackend();
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296 - 0.3;
  };
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [rows, inner] of [[1, 1], [3, 7], [2, 8], [1, 127], [1, 128], [2, 129], [1, 1000], [1, 1024], [2, 1025], [1, 3001], [1, 235200], [300, 32]] as const) {
      const n = rows * inner;
      const dense = be.alloc(n, dtype);
      const spread = be.alloc(2 * n, dtype);
      for (let i = 0; i < n; i++) {
        // Exponents over 2^-30..2^30: float32 values that wide are not summed exactly even in
        // double, so a change in the order of the additions changes the bits.
        const v = rand() * 2 ** ((i * 7919) % 61 - 30);
        dense.data[i] = v;
        spread.data[2 * i] = v;
        spread.data[2 * i + 1] = 1e30;
      }
      const a = be.alloc(rows, dtype);
      const b = be.alloc(rows, dtype);
      be.reduce('sum', { buf: dense, shape: [rows, inner], strides: [inner, 1], offset: 0 }, 1, a);
      be.reduce('sum', { buf: spread, shape: [rows, inner], strides: [2 * inner, 2], offset: 0 }, 1, b);
      for (let r = 0; r < rows; r++) {
        assert.ok(Object.is(a.data[r], b.data[r]), `${dtype} [${rows}, ${inner}] row ${r}: dense ${a.data[r]}, gathered ${b.data[r]}`);
        let exact = 0;
        let mag = 0;
        for (let i = 0; i < inner; i++) {
          exact += dense.data[r * inner + i] as number;
          mag += Math.abs(dense.data[r * inner + i] as number);
        }
        assert.ok(Math.abs((a.data[r] as number) - exact) <= mag * 2 ** -22 + 1e-30, `${dtype} [${rows}, ${inner}] row ${r}: ${a.data[r]} vs ${exact}`);
      }
      for (const x of [dense, spread, a, b]) be.free(x);
    }
  }
});

test('native dense sums add the leaves of a whole block in pairwise order (a float32 result that shows it)', { skip: missing ?? false }, () => {
  // Each 1024-value block: +2^40 and −2^40 at the starts of leaves 0 and 2 (of its eight leaves of
  // 128), small values elsewhere. In pairwise order, (L0 + L1) + (L2 + L3), the small values of
  // leaves 0-1 and 2-3 are rounded to the 2^-12 spacing of 2^40 before the big values cancel;
  // in any other pairing they are not, and the float32 sum (~500 a block, spacing 2^-15)
  // differs. The gathered path is the reference.
  const be = new NativeBackend();
  for (const inner of [1024, 4096, 5000]) {
    const dense = be.alloc(inner, 'float32');
    const spread = be.alloc(2 * inner, 'float32');
    for (let i = 0; i < inner; i++) {
      const j = i % 1024;
      const v = j === 0 ? 2 ** 40 : j === 256 ? -(2 ** 40) : ((i * 2654435761) % 1000003) / 1000003;
      dense.data[i] = v;
      spread.data[2 * i] = v;
      spread.data[2 * i + 1] = 1e30;
    }
    const a = be.alloc(1, 'float32');
    const b = be.alloc(1, 'float32');
    be.reduce('sum', { buf: dense, shape: [1, inner], strides: [inner, 1], offset: 0 }, 1, a);
    be.reduce('sum', { buf: spread, shape: [1, inner], strides: [2 * inner, 2], offset: 0 }, 1, b);
    assert.ok(Object.is(a.data[0], b.data[0]), `[1, ${inner}]: dense ${a.data[0]}, gathered ${b.data[0]}`);
    for (const x of [dense, spread, a, b]) be.free(x);
  }
});

test('native column sums (a dense [inner, cols] array summed over its rows) equal the gathered path bit for bit', { skip: missing ?? false }, () => {
  const be = new NativeBackend();
  let seed = 777;
  const rand = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296 - 0.3;
  };
  for (const dtype of ['float32', 'float64'] as const) {
    // Row counts around every pairwise boundary (8, 128, 1024), column counts around the 8-lane blocks.
    for (const [inner, cols] of [[1, 1], [7, 3], [8, 8], [9, 17], [32, 300], [32, 100], [127, 9], [128, 16], [129, 5], [1000, 11], [1024, 8], [1025, 9], [3001, 3]] as const) {
      const n = inner * cols;
      const dense = be.alloc(n, dtype);
      const spread = be.alloc(2 * n, dtype);
      for (let i = 0; i < n; i++) {
        const v = i === 3 ? -0 : i === 5 && cols > 1 ? Number.NaN : rand() * (i % 13 === 0 ? 1e4 : 1);
        dense.data[i] = v;
        spread.data[2 * i] = v;
        spread.data[2 * i + 1] = 1e30;
      }
      const a = be.alloc(cols, dtype);
      const b = be.alloc(cols, dtype);
      be.reduce('sum', { buf: dense, shape: [cols, inner], strides: [1, cols], offset: 0 }, 1, a);
      be.reduce('sum', { buf: spread, shape: [cols, inner], strides: [2, 2 * cols], offset: 0 }, 1, b);
      for (let j = 0; j < cols; j++) {
        assert.ok(Object.is(a.data[j], b.data[j]), `${dtype} [${inner}, ${cols}] column ${j}: column path ${a.data[j]}, gathered ${b.data[j]}`);
        let exact = 0;
        let mag = 0;
        for (let i = 0; i < inner; i++) {
          exact += dense.data[i * cols + j] as number;
          mag += Math.abs(dense.data[i * cols + j] as number);
        }
        if (Number.isNaN(exact)) assert.ok(Number.isNaN(a.data[j]), `column ${j} holds a NaN`);
        else assert.ok(Math.abs((a.data[j] as number) - exact) <= mag * 2 ** -22 + 1e-30, `${dtype} [${inner}, ${cols}] column ${j}: ${a.data[j]} vs ${exact}`);
      }
      for (const x of [dense, spread, a, b]) be.free(x);
    }
  }
});
