import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pairwiseSum } from './sum.js';

const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** Σ values exactly, as a BigInt count of 2^-1074 units (every double is a multiple of it). */
function exactSum(values: Float64Array): number {
  let s = 0n;
  const view = new DataView(new ArrayBuffer(8));
  for (const v of values) {
    view.setFloat64(0, v);
    const bits = view.getBigUint64(0);
    const exp = Number((bits >> 52n) & 0x7ffn);
    const frac = bits & ((1n << 52n) - 1n);
    const mant = exp === 0 ? frac : frac | (1n << 52n);
    const units = mant << BigInt(Math.max(exp - 1, 0));
    s += bits >> 63n ? -units : units;
  }
  // Back to a double, to within one rounding and 2^-74 (the units below 2^1000 dropped).
  return Number(s >> 1000n) * 2 ** -74;
}

describe('pairwiseSum (NumPy pairwise summation)', () => {
  it('is exact on small integers and follows offsets (a strided column)', () => {
    const a = Float64Array.from({ length: 1000 }, (_, i) => i);
    assert.equal(pairwiseSum(a, identity(1000), 0, 1000), 499500);
    // Every 10th value starting at 3, through an offsets array.
    const at = Int32Array.from({ length: 100 }, (_, i) => 3 + 10 * i);
    assert.equal(pairwiseSum(a, at, 0, 100), 49800);
    assert.equal(pairwiseSum(a, at, 10, 5), 103 + 113 + 123 + 133 + 143);
    assert.equal(pairwiseSum(a, at, 0, 0), 0);
  });

  it('float64 sums of 1e6 values stay within the pairwise bound; a running sum does not', () => {
    const n = 1_000_000;
    for (const make of [(): number => 0.1, (i: number): number => Math.sin(i) + 1.5, (i: number): number => ((i * 7919) % 1000) / 997 - 0.5]) {
      const a = Float64Array.from({ length: n }, (_, i) => make(i));
      const exact = exactSum(a);
      let abs = 0;
      let naive = 0;
      for (const v of a) {
        abs += Math.abs(v);
        naive += v;
      }
      // 16 adds in a block, 3 combining accumulators, 7 tail adds, ceil(log2(n / 128)) levels.
      const bound = (16 + 3 + 7 + Math.ceil(Math.log2(n / 128))) * 2 ** -53 * abs;
      const got = pairwiseSum(a, identity(n), 0, n);
      assert.ok(Math.abs(got - exact) <= bound, `pairwise ${got} vs exact ${exact}, bound ${bound}`);
      if (make(0) === 0.1) assert.ok(Math.abs(naive - exact) > 100 * bound, 'the running sum should be far off here');
    }
  });
});
