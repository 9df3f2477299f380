/**
 * The SIMD float32 exp, expm1, tanh and sigmoid (asm/simd_math.ts) against double-precision Math,
 * rounded once: within 4 ulp everywhere in the normal range, special values exact. The
 * conformance suite allows 1e-5 relative; this pins the formulas much tighter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmBackend } from './wasm_backend.js';

const REF: Record<'exp' | 'expm1' | 'tanh' | 'sigmoid', (x: number) => number> = {
  exp: Math.exp,
  expm1: Math.expm1,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

describe('wasm SIMD transcendental functions', () => {
  const be = new WasmBackend({ threads: 1 });
  const n = 200_003;
  // A grid over [-100, 100] plus tiny arguments (the polynomial branches of tanh and expm1).
  const xs = Float32Array.from({ length: n }, (_, i) => (i < 1000 ? (i - 500) * 1e-6 : -100 + (200 * i) / (n - 1)));
  for (const op of ['exp', 'expm1', 'tanh', 'sigmoid'] as const) {
    it(`${op}: within 4 ulp of the double result on [-100, 100]`, () => {
      const x = be.alloc(n, 'float32');
      const o = be.alloc(n, 'float32');
      be.write(x, xs);
      be.unary(op, { buf: x, shape: [n], strides: [1], offset: 0 }, o);
      const got = be.readSync(o);
      for (let i = 0; i < n; i++) {
        const want = Math.fround(REF[op](xs[i] as number));
        const g = got[i] as number;
        if (Math.abs(want) < 2 ** -126) {
          assert.ok(Math.abs(g) < 2 ** -125, `${op}(${xs[i]}) = ${g}, expected ~${want}`);
          continue;
        }
        if (!Number.isFinite(want)) {
          assert.equal(g, want, `${op}(${xs[i]})`);
          continue;
        }
        const ulps = Math.abs(g - want) / (Math.abs(want) * 2 ** -23);
        assert.ok(ulps <= 4, `${op}(${xs[i]}) = ${g}, expected ${want} (${ulps.toFixed(1)} ulp)`);
      }
      be.free(x);
      be.free(o);
    });
  }

  it('special values: infinities, NaN, overflow and signed zeros', () => {
    const cases: [string, number, number][] = [
      ['exp', Infinity, Infinity],
      ['exp', -Infinity, 0],
      ['exp', 89, Infinity],
      ['exp', 88.5, Math.fround(Math.exp(88.5))],
      ['exp', -200, 0],
      ['exp', NaN, NaN],
      ['expm1', 1e-10, Math.fround(1e-10)],
      ['expm1', -Infinity, -1],
      ['expm1', Infinity, Infinity],
      ['expm1', NaN, NaN],
      ['tanh', Infinity, 1],
      ['tanh', -Infinity, -1],
      ['tanh', -0.7, Math.fround(Math.tanh(-0.7))],
      ['tanh', NaN, NaN],
      ['sigmoid', Infinity, 1],
      ['sigmoid', -Infinity, 0],
      ['sigmoid', NaN, NaN],
    ];
    for (const [op, v, want] of cases) {
      const x = be.alloc(4, 'float32');
      const o = be.alloc(4, 'float32');
      be.write(x, Float32Array.from([v, v, v, v]));
      be.unary(op as 'exp' | 'expm1' | 'tanh' | 'sigmoid', { buf: x, shape: [4], strides: [1], offset: 0 }, o);
      for (const g of be.readSync(o)) {
        if (Number.isNaN(want)) assert.ok(Number.isNaN(g), `${op}(${v}) = ${g}, expected NaN`);
        else if (!Number.isFinite(want)) assert.equal(g, want, `${op}(${v})`);
        else assert.ok(Math.abs(g - want) <= Math.abs(want) * 2 ** -21, `${op}(${v}) = ${g}, expected ${want}`);
      }
      be.free(x);
      be.free(o);
    }
  });
});
