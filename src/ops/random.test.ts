import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertNoLeak, assertThrowsExact, f64, lcg, vals } from '../../test/helpers.js';

/** Sample mean and (biased) variance. */
function moments(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = s / xs.length;
  for (let i = 0; i < xs.length; i++) s2 += (xs[i]! - mean) ** 2;
  return { mean, variance: s2 / xs.length };
}

/** |x − want| < 5 standard errors, where se is one standard error. */
function assertWithin(x: number, want: number, se: number, what: string): void {
  assert.ok(Math.abs(x - want) < 5 * se, `${what}: ${x}, expected ${want} ± ${5 * se}`);
}

const N = 100000;

describe('random ops', () => {
  it('randomUniform: [minval, maxval), mean (a+b)/2, variance (b−a)²/12', () => {
    assertNoLeak(() => {
      const t = hb.randomUniform([N / 100, 100], { minval: -3, maxval: 5, seed: 1 });
      assert.deepEqual(t.shape, [N / 100, 100]);
      assert.equal(t.dtype, 'float32');
      const v = t.dataSync();
      for (const x of v) assert.ok(x >= -3 && x < 5);
      const { mean, variance } = moments(v);
      const w = 8;
      assertWithin(mean, 1, Math.sqrt(w ** 2 / 12 / N), 'mean');
      // Var((u − μ)²) for a uniform of width w is w⁴/180
      assertWithin(variance, w ** 2 / 12, Math.sqrt(w ** 4 / 180 / N), 'variance');
    });
  });

  it('randomUniform: a float32 value that rounds up to maxval is kept below it', () => {
    assertNoLeak(() => {
      // width two float32 ulps from 1: 1 + 2^-22·u rounds to 1 + 2^-22 = maxval for u > 3/4
      const maxval = 1 + 2 ** -22;
      const v = hb.randomUniform([1000], { minval: 1, maxval, seed: 3 }).dataSync();
      for (const x of v) assert.ok(x === 1 || x === 1 + 2 ** -23, `${x}`);
      assert.ok(v.some((x) => x === 1) && v.some((x) => x === 1 + 2 ** -23));
      // bounds float32 cannot represent: fround(0.7) < 0.7 and fround(0.2) > 0.2, so plain
      // rounding would give values below minval, or not below maxval, in a few % of draws here
      for (const [minval, maxval] of [[0.7, 0.7 + 3e-7], [0.2 - 3e-7, 0.2]] as const) {
        for (const x of hb.randomUniform([10000], { minval, maxval, seed: 2 }).dataSync()) {
          assert.ok(x >= minval && x < maxval, `${x} outside [${minval}, ${maxval})`);
        }
      }
      // float64: 1 + (2^-52)·u with u > 1/2 rounds to maxval in float64
      const m64 = 1 + 2 ** -52;
      for (const x of hb.randomUniform([1000], { minval: 1, maxval: m64, dtype: 'float64', seed: 3 }).dataSync()) {
        assert.equal(x, 1);
      }
    });
  });

  it('randomUniform int32: integers in [minval, maxval), each value equally likely', () => {
    assertNoLeak(() => {
      const t = hb.randomUniform([60000], { minval: -2, maxval: 4, dtype: 'int32', seed: 8 });
      assert.equal(t.dtype, 'int32');
      const counts = new Map<number, number>();
      for (const x of t.dataSync()) {
        assert.ok(Number.isInteger(x) && x >= -2 && x < 4);
        counts.set(x, (counts.get(x) ?? 0) + 1);
      }
      assert.equal(counts.size, 6);
      const chi2 = [...counts.values()].reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
      assert.ok(chi2 < 25.7, `chi2 ${chi2}`); // 99.99th percentile, 5 degrees of freedom
      const wide = hb.randomUniform([1000], { minval: -(2 ** 31), maxval: 2 ** 31, dtype: 'int32', seed: 1 }).dataSync();
      assert.ok(wide.some((x) => x < -(2 ** 30)) && wide.some((x) => x > 2 ** 30));
    });
  });

  it('randomNormal: mean and variance within 5 standard errors; float64 too', () => {
    assertNoLeak(() => {
      const v = hb.randomNormal([N], { mean: 3, stddev: 2, seed: 4 }).dataSync();
      const { mean, variance } = moments(v);
      assertWithin(mean, 3, 2 / Math.sqrt(N), 'mean');
      assertWithin(variance, 4, 4 * Math.sqrt(2 / N), 'variance'); // Var((x − μ)²) = 2σ⁴
      const d = hb.randomNormal([5], { seed: 4, dtype: 'float64' });
      assert.equal(d.dtype, 'float64');
      // the same draws; float32 is the float64 value rounded
      assert.deepEqual(vals(hb.randomNormal([5], { seed: 4 })), vals(d).map(Math.fround));
      assert.deepEqual(vals(hb.randomNormal([3], { stddev: 0, mean: 7, seed: 1 })), [7, 7, 7]);
    });
  });

  it('truncatedNormal: nothing beyond 2 stddev; variance 0.7737·stddev²', () => {
    assertNoLeak(() => {
      const mean = -1;
      const stddev = 0.5;
      const v = hb.truncatedNormal([N], { mean, stddev, seed: 6 }).dataSync();
      const lo = Math.fround(mean - 2 * stddev);
      const hi = Math.fround(mean + 2 * stddev);
      for (const x of v) assert.ok(x >= lo && x <= hi, `${x} outside [${lo}, ${hi}]`);
      const m = moments(v);
      // standard normal truncated to [-2, 2]: variance 1 − 4φ(2)/(2Φ(2) − 1) = 0.7737413
      // (= 0.87962566103423978², the constant Keras divides by); Var(z²) = 0.8175 there.
      assertWithin(m.mean, mean, stddev * Math.sqrt(0.7738 / N), 'mean');
      assertWithin(m.variance / stddev ** 2, 0.7737413, Math.sqrt(0.8175 / N), 'variance / stddev²');
      assert.ok(Math.abs(0.87962566103423978 ** 2 - 0.7737413) < 1e-6);
    });
  });

  it('bernoulli: float32 zeros and ones with mean p; p = 0 and p = 1 are exact', () => {
    assertNoLeak(() => {
      const t = hb.bernoulli([N], 0.3, { seed: 12 });
      assert.equal(t.dtype, 'float32');
      const v = t.dataSync();
      for (const x of v) assert.ok(x === 0 || x === 1);
      assertWithin(moments(v).mean, 0.3, Math.sqrt((0.3 * 0.7) / N), 'mean');
      assert.ok(hb.bernoulli([1000], 0, { seed: 1 }).dataSync().every((x) => x === 0));
      assert.ok(hb.bernoulli([1000], 1, { seed: 1 }).dataSync().every((x) => x === 1));
    });
  });

  it('randomPermutation: an int32 permutation of 0..n−1', () => {
    assertNoLeak(() => {
      const t = hb.randomPermutation(500, { seed: 2 });
      assert.equal(t.dtype, 'int32');
      assert.deepEqual(t.shape, [500]);
      const v = vals(t);
      assert.deepEqual([...v].sort((a, b) => a - b), Array.from({ length: 500 }, (_, i) => i));
      assert.notDeepEqual(v, Array.from({ length: 500 }, (_, i) => i));
      assert.deepEqual(vals(hb.randomPermutation(0)), []);
    });
  });

  it('shuffle keeps rows together and reorders them', () => {
    assertNoLeak(() => {
      const n = 50;
      const rows = Array.from({ length: n }, (_, i) => [i, 10 * i, 100 * i]);
      const out = hb.shuffle(hb.tensor(rows), { seed: 5 });
      assert.deepEqual(out.shape, [n, 3]);
      const got = out.arraySync() as number[][];
      for (const r of got) assert.deepEqual(r, [r[0]!, 10 * r[0]!, 100 * r[0]!]);
      const firsts = got.map((r) => r[0]!);
      assert.deepEqual([...firsts].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
      assert.notDeepEqual(firsts, Array.from({ length: n }, (_, i) => i));
      // the order is the seed's permutation
      assert.deepEqual(firsts, vals(hb.randomPermutation(n, { seed: 5 })));
      // rank 1 and rank 3 work the same way
      assert.deepEqual(vals(hb.shuffle(hb.range(0, n), { seed: 5 })), firsts);
      assert.deepEqual(hb.shuffle(hb.zeros([4, 2, 3]), { seed: 1 }).shape, [4, 2, 3]);
    });
  });

  it('shuffle gradient: finite differences', () => {
    assertNoLeak(() => {
      hb.checkGradients((x) => hb.shuffle(x, { seed: 9 }), [f64(lcg(12), [4, 3])]);
    });
  });

  it('seed: results depend only on the seed; generator: advanced; default: the global generator', () => {
    assertNoLeak(() => {
      const a = vals(hb.randomNormal([20], { seed: 77 }));
      hb.randomUniform([100]); // draws from the global generator in between
      assert.deepEqual(vals(hb.randomNormal([20], { seed: 77 })), a);
      assert.notDeepEqual(vals(hb.randomNormal([20], { seed: 78 })), a);

      // an explicit generator is advanced: two calls differ, and replaying the generator repeats them
      const g = new hb.Generator(77);
      const g1 = vals(hb.randomNormal([20], { generator: g }));
      const g2 = vals(hb.randomNormal([20], { generator: g }));
      assert.deepEqual(g1, a); // a seed is a fresh Generator(seed)
      assert.notDeepEqual(g2, g1);
      const h = new hb.Generator(77);
      h.fillNormal(new Float32Array(20));
      assert.deepEqual(vals(hb.randomNormal([20], { generator: h })), g2);

      hb.setSeed(1234);
      const s1 = vals(hb.randomUniform([10]));
      const s2 = vals(hb.randomUniform([10]));
      assert.notDeepEqual(s1, s2);
      hb.setSeed(1234);
      assert.deepEqual(vals(hb.randomUniform([10])), s1);
      assert.deepEqual(vals(hb.randomUniform([10])), s2);
    });
  });

  it('every registered backend holds identical numbers for the same seed', async () => {
    const before = hb.getBackend().name;
    try {
      let reference: number[] | null = null;
      for (const name of hb.listBackends()) {
        hb.setBackend(name);
        const got: number[] = [];
        for (const t of [
          hb.randomUniform([64], { seed: 3 }),
          hb.randomNormal([64], { seed: 3 }),
          hb.truncatedNormal([64], { seed: 3 }),
          hb.bernoulli([64], 0.4, { seed: 3 }),
          hb.randomUniform([64], { minval: -5, maxval: 9, dtype: 'int32', seed: 3 }),
          hb.randomPermutation(64, { seed: 3 }),
        ]) {
          got.push(...(await t.data()));
          t.dispose();
        }
        if (reference === null) reference = got;
        else assert.deepEqual(got, reference, `backend ${name}`);
      }
    } finally {
      hb.setBackend(before);
    }
  });

  it('adding a split stream does not change an existing one (per-layer initialization)', () => {
    assertNoLeak(() => {
      const root = new hb.Generator(0);
      const k1 = vals(hb.randomUniform([10], { generator: root.split('dense_1') }));
      const root2 = new hb.Generator(0);
      vals(hb.randomUniform([10], { generator: root2.split('dense_0') })); // a new layer first
      assert.deepEqual(vals(hb.randomUniform([10], { generator: root2.split('dense_1') })), k1);
    });
  });

  it('initializing a 784x300 kernel takes milliseconds', () => {
    assertNoLeak(() => {
      const t0 = performance.now();
      hb.randomUniform([784, 300], { minval: -0.07, maxval: 0.07, seed: 1 });
      hb.truncatedNormal([784, 300], { stddev: 0.05, seed: 1 });
      const ms = performance.now() - t0;
      // ~30 ms measured for both on the 2-core dev machine; the bound leaves room for a busy one
      assert.ok(ms < 1000, `took ${ms} ms`);
    });
  });

  it('rejects bad arguments with typed errors naming the op and argument', () => {
    assertNoLeak(() => {
      assertThrowsExact(() => hb.randomNormal([2], { stddev: -1 }), hb.ValueError, 'randomNormal: stddev must be >= 0, received -1');
      assertThrowsExact(() => hb.truncatedNormal([2], { stddev: -0.5 }), hb.ValueError, 'truncatedNormal: stddev must be >= 0, received -0.5');
      assertThrowsExact(
        () => hb.randomUniform([2], { minval: 1, maxval: 1 }),
        hb.ValueError,
        'randomUniform: minval must be less than maxval, received minval 1, maxval 1',
      );
      assertThrowsExact(() => hb.bernoulli([2], 1.5), hb.ValueError, 'bernoulli: p must be a probability in [0, 1], received 1.5');
      assertThrowsExact(() => hb.bernoulli([2], NaN), hb.ValueError, 'bernoulli: p must be a probability in [0, 1], received NaN');
      assertThrowsExact(() => hb.randomUniform([2, 1.5]), hb.ShapeError, 'randomUniform: shape must be an array of non-negative integers, received [2, 1.5]');
      assertThrowsExact(() => hb.randomNormal([-1]), hb.ShapeError, 'randomNormal: shape must be an array of non-negative integers, received [-1]');
      assertThrowsExact(
        () => hb.randomUniform([2], { minval: 0.5, maxval: 3, dtype: 'int32' }),
        hb.ValueError,
        'randomUniform: int32 bounds must be integers in [-2^31, 2^31], received minval 0.5, maxval 3',
      );
      assertThrowsExact(() => hb.randomNormal([2], { dtype: 'int32' }), hb.DTypeError, 'randomNormal: dtype must be float32 or float64, received int32');
      assertThrowsExact(() => hb.randomUniform([2], { dtype: 'bool' }), hb.DTypeError, 'randomUniform: dtype must be float32 or float64, received bool');
      assertThrowsExact(
        () => hb.randomUniform([2], { seed: 1, generator: new hb.Generator(1) }),
        hb.ValueError,
        'randomUniform: give either seed or generator, not both',
      );
      assertThrowsExact(() => hb.randomPermutation(-2), hb.ValueError, 'randomPermutation: n must be a non-negative integer, received -2');
      assertThrowsExact(
        () => hb.randomUniform([2], { minval: 0.1, maxval: 0.100000000001 }),
        hb.ValueError,
        'randomUniform: no float32 value lies in [minval, maxval), received minval 0.1, maxval 0.100000000001',
      );
      assertThrowsExact(() => hb.shuffle(hb.scalar(1)), hb.ShapeError, 'shuffle: x must have at least one dimension, received shape []');
      assertThrowsExact(() => hb.randomUniform([2], { seed: 0.5 }), hb.ValueError, 'randomUniform: seed must be a safe integer, received 0.5');
    });
  });
});
