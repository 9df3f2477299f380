import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as init from './index.js';
import { vals, assertClose, assertNoLeak, assertThrowsWith } from '../../test/helpers.js';

/** Sample mean and (population) variance. */
function moments(v: number[]): { mean: number; variance: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
}

/**
 * Asserts sample statistics against a target variance with tolerances from the sample size: the
 * mean's standard error is σ/√n and the variance's is σ²·√((κ − 1)/n) with kurtosis κ ≤ 3 for
 * every distribution here; 5 standard errors (a fixed seed makes it deterministic anyway).
 */
function assertStats(v: number[], variance: number, what: string): void {
  const n = v.length;
  const m = moments(v);
  const sd = Math.sqrt(variance);
  assert.ok(Math.abs(m.mean) <= (5 * sd) / Math.sqrt(n), `${what}: mean ${m.mean}, tolerance ${(5 * sd) / Math.sqrt(n)}`);
  const tol = 5 * variance * Math.sqrt(2 / n);
  assert.ok(Math.abs(m.variance - variance) <= tol, `${what}: variance ${m.variance}, expected ${variance} ± ${tol}`);
}

const draw = (i: init.Initializer, shape: number[], seed = 1, dtype: hb.DType = 'float64'): number[] =>
  hb.scope(() => vals(i.apply(shape, dtype, new hb.Generator(seed))));

describe('computeFans (Keras compute_fans)', () => {
  it('scalar, vector, matrix, convolution kernels', () => {
    assert.deepEqual(init.computeFans([]), [1, 1]);
    assert.deepEqual(init.computeFans([7]), [7, 7]);
    assert.deepEqual(init.computeFans([784, 300]), [784, 300]);
    assert.deepEqual(init.computeFans([5, 3, 8]), [15, 40]);
    assert.deepEqual(init.computeFans([3, 3, 16, 32]), [144, 288]);
  });
});

describe('constant initializers', () => {
  it('zeros, ones, constant in any dtype', () => {
    assertNoLeak(() => {
      assert.deepEqual(vals(init.zeros().apply([2, 2], 'float32')), [0, 0, 0, 0]);
      const o = init.ones().apply([3], 'int32');
      assert.equal(o.dtype, 'int32');
      assert.deepEqual(vals(o), [1, 1, 1]);
      assert.deepEqual(vals(init.constant({ value: 2.5 }).apply([2], 'float64')), [2.5, 2.5]);
      assert.deepEqual(vals(init.constant().apply([1], 'float32')), [0]);
    });
  });
});

describe('random initializers: moments and bounds against the formulas', () => {
  it('randomNormal and randomUniform (Keras defaults 0.05)', () => {
    const n = draw(init.randomNormal(), [200, 200]);
    assertStats(n, 0.05 ** 2, 'randomNormal');
    const u = draw(init.randomUniform(), [200, 200]);
    assert.ok(u.every((x) => x >= -0.05 && x < 0.05));
    assertStats(u, 0.1 ** 2 / 12, 'randomUniform');
    const m = moments(draw(init.randomNormal({ mean: 3, stddev: 2 }), [100, 100]));
    assert.ok(Math.abs(m.mean - 3) < (5 * 2) / 100, `mean ${m.mean}`);
  });

  it('truncatedNormal: within ±2·stddev, variance 0.7737·stddev² (no rescaling, as Keras)', () => {
    const v = draw(init.truncatedNormal({ stddev: 1 }), [200, 200]);
    assert.ok(v.every((x) => Math.abs(x) <= 2));
    assertStats(v, 0.87962566103423978 ** 2, 'truncatedNormal');
  });

  const shape = [100, 400];
  const [fanIn, fanOut] = [100, 400];
  const cases: [string, init.Initializer, number, 'uniform' | 'truncated' | 'untruncated'][] = [
    ['glorotUniform', init.glorotUniform(), 2 / (fanIn + fanOut), 'uniform'],
    ['glorotNormal', init.glorotNormal(), 2 / (fanIn + fanOut), 'truncated'],
    ['heUniform', init.heUniform(), 2 / fanIn, 'uniform'],
    ['heNormal', init.heNormal(), 2 / fanIn, 'truncated'],
    ['lecunUniform', init.lecunUniform(), 1 / fanIn, 'uniform'],
    ['lecunNormal', init.lecunNormal(), 1 / fanIn, 'truncated'],
    ['varianceScaling fanOut untruncated', init.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'untruncatedNormal' }), 3 / fanOut, 'untruncated'],
    ['varianceScaling fan_avg uniform (snake_case)', init.varianceScaling({ scale: 0.5, mode: 'fan_avg', distribution: 'uniform' }), 0.5 / 250, 'uniform'],
    ['varianceScaling defaults (fanIn, truncated)', init.varianceScaling(), 1 / fanIn, 'truncated'],
  ];
  for (const [name, initializer, variance, kind] of cases) {
    it(`${name}: variance scale/n and the bounds of its distribution`, () => {
      const v = draw(initializer, shape, 7);
      assertStats(v, variance, name);
      const sd = Math.sqrt(variance);
      if (kind === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        assert.ok(v.every((x) => x >= -limit && x < limit), `${name}: outside ±${limit}`);
        assert.ok(Math.max(...v.map(Math.abs)) > 0.99 * limit, `${name}: does not reach the limit`);
      } else if (kind === 'truncated') {
        const bound = (2 * sd) / 0.87962566103423978;
        assert.ok(v.every((x) => Math.abs(x) <= bound), `${name}: outside ±${bound}`);
        assert.ok(Math.max(...v.map(Math.abs)) > 0.99 * bound);
      } else {
        // untruncated: P(|z| > 2) = 4.55%; 40,000 draws give ~1820 (5 sd: ±210)
        const beyond = v.filter((x) => Math.abs(x) > 2 * sd).length;
        assert.ok(Math.abs(beyond - 0.0455 * v.length) < 250, `${name}: ${beyond} beyond 2 sd`);
      }
    });
  }

  it('convolution kernels use the receptive field in the fans', () => {
    const v = draw(init.heNormal(), [3, 3, 16, 32], 3);
    assertStats(v, 2 / 144, 'heNormal conv');
    const g = draw(init.glorotUniform(), [3, 3, 16, 32], 3);
    const limit = Math.sqrt(6 / (144 + 288));
    assert.ok(g.every((x) => Math.abs(x) < limit));
    assertStats(g, 2 / (144 + 288), 'glorotUniform conv');
  });

  it('produce the requested float dtype; integer dtypes are rejected', () => {
    assertNoLeak(() => {
      assert.equal(init.glorotUniform().apply([3, 2], 'float32', new hb.Generator(1)).dtype, 'float32');
      assertThrowsWith(() => init.heNormal().apply([3, 2], 'int32', new hb.Generator(1)), hb.DTypeError, 'HeNormal', 'int32');
      assertThrowsWith(() => init.varianceScaling({ mode: 'fanAll' as init.FanMode }), hb.ValueError, 'mode', 'fanAll');
      assertThrowsWith(() => init.varianceScaling({ scale: -1 }), hb.ValueError, 'scale');
    });
  });
});

describe('seeds and generators', () => {
  it('a seeded initializer returns the same values on every call (Keras 3), whatever rng is passed', () => {
    const a = init.glorotNormal({ seed: 42 });
    assert.deepEqual(draw(a, [4, 5], 1), draw(a, [4, 5], 2));
    assert.deepEqual(draw(a, [4, 5]), draw(init.glorotNormal({ seed: 42 }), [4, 5]));
    assert.notDeepEqual(draw(a, [4, 5]), draw(init.glorotNormal({ seed: 43 }), [4, 5]));
  });

  it('an unseeded one draws from the rng: same seed same values, split streams differ, the rng advances', () => {
    assertNoLeak(() => {
      const he = init.heUniform();
      assert.deepEqual(draw(he, [3, 3], 9), draw(he, [3, 3], 9));
      const g = new hb.Generator(9);
      const x1 = vals(he.apply([3, 3], 'float32', g.split('dense_1')));
      const x2 = vals(he.apply([3, 3], 'float32', g.split('dense_2')));
      assert.notDeepEqual(x1, x2);
      assert.deepEqual(vals(he.apply([3, 3], 'float32', g.split('dense_1'))), x1);
      const a = vals(he.apply([3, 3], 'float32', g));
      const b = vals(he.apply([3, 3], 'float32', g));
      assert.notDeepEqual(a, b);
    });
  });
});

describe('orthogonal and identity', () => {
  /** Gram matrix of the columns (transposeA) or rows. */
  const gram = (v: number[], r: number, c: number, ofColumns: boolean): number[] => {
    const k = ofColumns ? c : r;
    const out: number[] = [];
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let i = 0; i < (ofColumns ? r : c); i++) s += ofColumns ? v[i * c + a]! * v[i * c + b]! : v[a * c + i]! * v[b * c + i]!;
        out.push(s);
      }
    }
    return out;
  };
  const eye = (k: number, g = 1): number[] => Array.from({ length: k * k }, (_, i) => (Math.floor(i / k) === i % k ? g * g : 0));

  it('QᵀQ = I for tall matrices, QQᵀ = I for wide ones, gain scales, kernels flatten to [prod(shape[:-1]), last]', () => {
    assertClose(gram(draw(init.orthogonal(), [7, 4], 1), 7, 4, true), eye(4), 0, 1e-13);
    assertClose(gram(draw(init.orthogonal(), [4, 7], 2), 4, 7, false), eye(4), 0, 1e-13);
    assertClose(gram(draw(init.orthogonal(), [6, 6], 3), 6, 6, true), eye(6), 0, 1e-13);
    assertClose(gram(draw(init.orthogonal({ gain: 2 }), [5, 3], 4), 5, 3, true), eye(3, 2), 0, 1e-12);
    assertClose(gram(draw(init.orthogonal(), [3, 2, 5], 5), 6, 5, true), eye(5), 0, 1e-13);
    assertClose(gram(draw(init.orthogonal(), [50, 20], 6, 'float32'), 50, 20, true), eye(20), 0, 1e-5);
    // not simply the identity: a random rotation
    const q = draw(init.orthogonal(), [4, 4], 8);
    assert.ok(Math.abs(q[0]!) < 0.999);
    assertThrowsWith(() => init.orthogonal().apply([5], 'float32'), hb.ShapeError, 'orthogonal', '[5]');
  });

  it('seeded orthogonal reproduces', () => {
    assert.deepEqual(draw(init.orthogonal({ seed: 3 }), [5, 4], 1), draw(init.orthogonal({ seed: 3 }), [5, 4], 2));
  });

  it('identity puts gain on the diagonal', () => {
    assert.deepEqual(draw(init.identity({ gain: 3 }), [2, 3]), [3, 0, 0, 0, 3, 0]);
  });
});

describe('getInitializer / serializeInitializer', () => {
  it('accepts camelCase, snake_case, Keras class names, Initializer objects and {className, config}', () => {
    const pairs: [string, string][] = [
      ['glorotUniform', 'GlorotUniform'],
      ['glorot_uniform', 'GlorotUniform'],
      ['GlorotUniform', 'GlorotUniform'],
      ['he_normal', 'HeNormal'],
      ['lecunUniform', 'LecunUniform'],
      ['zeros', 'Zeros'],
      ['random_normal', 'RandomNormal'],
      ['truncatedNormal', 'TruncatedNormal'],
      ['variance_scaling', 'VarianceScaling'],
      ['orthogonal', 'Orthogonal'],
    ];
    // Keras class names are accepted at run time only (the type lists camelCase and snake_case).
    for (const [id, cls] of pairs) assert.equal(init.getInitializer(id as init.InitializerId).className, cls, id);
    const o = init.ones();
    assert.equal(init.getInitializer(o), o);
    const vs = init.getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 5 } });
    assert.deepEqual(vs.getConfig(), { scale: 2, mode: 'fanOut', distribution: 'uniform', seed: 5 });
    // @ts-expect-error: the type rejects the typo; plain JavaScript gets the run-time error
    assertThrowsWith(() => init.getInitializer('glorot'), hb.ValueError, 'getInitializer', '"glorot"', 'glorotUniform');
    assertThrowsWith(() => init.getInitializer({ className: 'Nope' }), hb.ValueError, 'Nope');
  });

  it('resolves every name InitializerId lists, to the class its camelCase name gives', () => {
    // Record<InitializerId, ...> with no extra keys: the compiler keeps this list equal to the type.
    const all = {
      zeros: 'Zeros',
      ones: 'Ones',
      constant: 'Constant',
      randomNormal: 'RandomNormal',
      random_normal: 'RandomNormal',
      normal: 'RandomNormal',
      randomUniform: 'RandomUniform',
      random_uniform: 'RandomUniform',
      uniform: 'RandomUniform',
      truncatedNormal: 'TruncatedNormal',
      truncated_normal: 'TruncatedNormal',
      varianceScaling: 'VarianceScaling',
      variance_scaling: 'VarianceScaling',
      glorotUniform: 'GlorotUniform',
      glorot_uniform: 'GlorotUniform',
      glorotNormal: 'GlorotNormal',
      glorot_normal: 'GlorotNormal',
      heNormal: 'HeNormal',
      he_normal: 'HeNormal',
      heUniform: 'HeUniform',
      he_uniform: 'HeUniform',
      lecunNormal: 'LecunNormal',
      lecun_normal: 'LecunNormal',
      lecunUniform: 'LecunUniform',
      lecun_uniform: 'LecunUniform',
      orthogonal: 'Orthogonal',
      identity: 'Identity',
    } satisfies Record<init.InitializerId, string>;
    for (const [id, cls] of Object.entries(all)) assert.equal(init.getInitializer(id as init.InitializerId).className, cls, id);
  });

  it('serializeInitializer round-trips through JSON, values included for seeded ones', () => {
    const all: init.Initializer[] = [
      init.zeros(),
      init.ones(),
      init.constant({ value: 0.3 }),
      init.randomNormal({ mean: 1, stddev: 0.2, seed: 1 }),
      init.randomUniform({ minval: -1, maxval: 2, seed: 2 }),
      init.truncatedNormal({ stddev: 0.1, seed: 3 }),
      init.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'untruncatedNormal', seed: 4 }),
      init.glorotUniform({ seed: 5 }),
      init.glorotNormal(),
      init.heNormal({ seed: 6 }),
      init.heUniform(),
      init.lecunNormal(),
      init.lecunUniform({ seed: 7 }),
      init.orthogonal({ gain: 1.5, seed: 8 }),
      init.identity({ gain: 2 }),
    ];
    for (const i of all) {
      const s = init.serializeInitializer(i);
      const back = init.getInitializer(JSON.parse(JSON.stringify(s)) as init.InitializerConfig);
      assert.deepEqual(init.serializeInitializer(back), s, i.className);
      assert.deepEqual(draw(back, [4, 3], 11), draw(i, [4, 3], 11), i.className);
    }
    assert.deepEqual(init.serializeInitializer(init.glorotUniform()), { className: 'GlorotUniform', config: { seed: null } });
  });
});
