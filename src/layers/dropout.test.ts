import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ALPHA_PRIME, AlphaDropout, Dropout } from './dropout.js';
import { GaussianDropout, GaussianNoise } from './gaussian_noise.js';
import { assertClose, assertThrowsWith, f64, lcg, onBackend, vals } from '../../test/helpers.js';

/** The keep-mask of call k of a layer seeded `seed` (noise_util.ts's stream contract), drawn directly. */
function keepMask(seed: number, k: number, n: number, rate: number): number[] {
  const u = new Float64Array(n);
  new hb.Generator(seed).split(k).fillUniform(u);
  return Array.from(u, (v) => (v < 1 - rate ? 1 : 0));
}

function moments(v: readonly number[]): { mean: number; variance: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
}

/** Standard normal values (Box–Muller on the LCG), independent of the layers' generator. */
function normals(n: number, seed: number): number[] {
  const u = lcg(2 * n, seed, 0, 1);
  return Array.from({ length: n }, (_, i) => Math.sqrt(-2 * Math.log(1 - (u[2 * i] as number))) * Math.cos(2 * Math.PI * (u[2 * i + 1] as number)));
}

describe('Dropout', () => {
  it('inference is the identity; training keeps with probability 1 − rate and scales by 1/(1 − rate)', () => {
    const x = hb.tensor(lcg(20000, 1, 1, 2), [200, 100]);
    const d = new Dropout({ rate: 0.3 });
    assert.deepEqual(vals(d.apply(x)), vals(x));
    const y = vals(d.apply(x, { training: true }));
    const xs = vals(x);
    let dropped = 0;
    y.forEach((v, i) => {
      if (v === 0) dropped++;
      else assertClose([v], [(xs[i] as number) / 0.7], 1e-6, 0);
    });
    // Binomial(20000, 0.3): standard deviation of the fraction ≈ 0.0032.
    assert.ok(Math.abs(dropped / 20000 - 0.3) < 0.02, `dropped ${dropped / 20000}`);
  });

  it('a seeded layer: call k uses Generator(seed).split(k); masks differ between calls and agree on cpu and wasm', () => {
    const x = lcg(40, 2, 1, 2);
    const run = (): number[][] => {
      const d = new Dropout({ rate: 0.5, seed: 42 });
      const t = hb.tensor(x, [4, 10]);
      return [vals(d.apply(t, { training: true })), vals(d.apply(t, { training: true }))];
    };
    const [first, second] = run();
    assertClose(first as number[], keepMask(42, 0, 40, 0.5).map((k, i) => k * 2 * (x[i] as number)), 1e-6, 0);
    assertClose(second as number[], keepMask(42, 1, 40, 0.5).map((k, i) => k * 2 * (x[i] as number)), 1e-6, 0);
    assert.notDeepEqual(first, second);
    assert.deepEqual(onBackend('wasm', run), run());
    const others = (): number[][] => {
      const t = hb.tensor(x, [4, 10]);
      const layers = [new AlphaDropout({ rate: 0.3, seed: 1 }), new GaussianNoise({ stddev: 0.4, seed: 2 }), new GaussianDropout({ rate: 0.3, seed: 3 })];
      return layers.map((l) => vals(l.apply(t, { training: true })));
    };
    assert.deepEqual(onBackend('wasm', others), others());
  });

  it('noiseShape [null, 1] drops whole rows; rate 0 is the identity in training too', () => {
    const d = new Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 1 });
    const y = d.apply(hb.ones([50, 4]), { training: true }).arraySync() as number[][];
    for (const row of y) assert.ok(row.every((v) => v === row[0]) && (row[0] === 0 || row[0] === 2), JSON.stringify(row));
    assert.ok(y.some((r) => r[0] === 0) && y.some((r) => r[0] === 2));
    const x = hb.tensor([1, 2, 3]);
    assert.deepEqual(vals(new Dropout({ rate: 0 }).apply(x, { training: true })), [1, 2, 3]);
    assertThrowsWith(() => new Dropout({ rate: 0.5, noiseShape: [3, 1] }).apply(hb.ones([2, 4]), { training: true }), hb.ShapeError, 'noiseShape [3, 1] does not broadcast');
  });

  it('gradient: the mask times 1/(1 − rate) (finite differences, same seed each evaluation)', () => {
    const x = f64(lcg(12, 3), [3, 4]);
    hb.checkGradients((xi) => new Dropout({ rate: 0.4, seed: 9, dtype: 'float64' }).apply(xi, { training: true }), [x], { name: 'Dropout' });
    hb.checkGradients((xi) => new AlphaDropout({ rate: 0.4, seed: 9, dtype: 'float64' }).apply(xi, { training: true }), [x], { name: 'AlphaDropout' });
    hb.checkGradients((xi) => new GaussianNoise({ stddev: 0.5, seed: 9, dtype: 'float64' }).apply(xi, { training: true }), [x], { name: 'GaussianNoise' });
    hb.checkGradients((xi) => new GaussianDropout({ rate: 0.4, seed: 9, dtype: 'float64' }).apply(xi, { training: true }), [x], { name: 'GaussianDropout' });
  });
});

describe('AlphaDropout', () => {
  it("y = a·(x·keep + a'·(1 − keep)) + b exactly, with a' = −scale·alpha", () => {
    assertClose([ALPHA_PRIME], [-1.7580993408473766], 1e-15, 0);
    const rate = 0.2;
    const x = lcg(30, 5, -2, 2);
    const y = vals(new AlphaDropout({ rate, seed: 7, dtype: 'float64' }).apply(f64(x, [3, 10]), { training: true }));
    const ap = -1.0507009873554804934193349852946 * 1.6732632423543772848170429916717;
    const a = 1 / Math.sqrt((1 - rate) * (1 + rate * ap * ap));
    const b = -a * ap * rate;
    const keep = keepMask(7, 0, 30, rate);
    assert.ok(keep.includes(0) && keep.includes(1));
    assertClose(y, x.map((v, i) => a * (v * (keep[i] as number) + ap * (1 - (keep[i] as number))) + b), 1e-14, 1e-14);
    assert.deepEqual(vals(new AlphaDropout({ rate }).apply(hb.tensor(x))), vals(hb.tensor(x)));
  });

  it('keeps the mean at 0 and the variance at 1 for SELU-normalized (standard normal) inputs', () => {
    const n = 100000;
    const x = normals(n, 11);
    for (const rate of [0.1, 0.5]) {
      const y = vals(new AlphaDropout({ rate, seed: 3, dtype: 'float64' }).apply(f64(x, [n]), { training: true }));
      const { mean, variance } = moments(y);
      // n = 1e5: the sample mean's standard deviation is ≈ 0.003, the variance's ≈ 0.005–0.01.
      assert.ok(Math.abs(mean) < 0.02, `rate ${rate}: mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 0.04, `rate ${rate}: variance ${variance}`);
    }
  });
});

describe('GaussianNoise and GaussianDropout', () => {
  it('GaussianNoise adds N(0, stddev²) in training only', () => {
    const x = lcg(50000, 4);
    const t = hb.tensor(x, [50000]);
    const layer = new GaussianNoise({ stddev: 0.3, seed: 5 });
    assert.deepEqual(vals(layer.apply(t)), vals(t));
    const y = vals(layer.apply(t, { training: true }));
    const { mean, variance } = moments(y.map((v, i) => v - Math.fround(x[i] as number)));
    assert.ok(Math.abs(mean) < 0.01 && Math.abs(Math.sqrt(variance) - 0.3) < 0.01, `mean ${mean}, std ${Math.sqrt(variance)}`);
    assert.notDeepEqual(vals(layer.apply(t, { training: true })), y, 'a fresh draw per call');
    assert.deepEqual(vals(new GaussianNoise({ stddev: 0.3, seed: 5 }).apply(t, { training: true })), y, 'reproducible from the seed');
  });

  it('GaussianDropout multiplies by N(1, rate/(1 − rate)) in training only', () => {
    const t = hb.ones([50000]);
    const layer = new GaussianDropout({ rate: 0.2, seed: 6 });
    assert.deepEqual(vals(layer.apply(t)), vals(t));
    const { mean, variance } = moments(vals(layer.apply(t, { training: true })));
    assert.ok(Math.abs(mean - 1) < 0.01 && Math.abs(variance - 0.25) < 0.01, `mean ${mean}, variance ${variance}`);
  });
});

describe('the dropout family: options and configs', () => {
  it('rejects bad options, naming the layer and the value', () => {
    for (const rate of [1, -0.1, 1.5, Number.NaN]) {
      assertThrowsWith(() => new Dropout({ rate }), hb.ValueError, 'Dropout "', 'rate must be a number in [0, 1)');
      assertThrowsWith(() => new AlphaDropout({ rate }), hb.ValueError, 'AlphaDropout "', 'rate must be a number in [0, 1)');
      assertThrowsWith(() => new GaussianDropout({ rate }), hb.ValueError, 'GaussianDropout "', 'rate must be a number in [0, 1)');
    }
    const noRate: unknown = {};
    assertThrowsWith(() => new Dropout(noRate as { rate: number }), hb.ValueError, 'rate must be a number in [0, 1), received undefined');
    assertThrowsWith(() => new Dropout({ rate: 0.5, seed: 1.5 }), hb.ValueError, 'seed must be a safe integer or null, received 1.5');
    assertThrowsWith(() => new Dropout({ rate: 0.5, noiseShape: [0, 2] }), hb.ValueError, 'noiseShape must be an array of positive integers and nulls');
    assertThrowsWith(() => new GaussianNoise({ stddev: -1 }), hb.ValueError, 'stddev must be a finite number >= 0, received -1');
    const noStd: unknown = {};
    assertThrowsWith(() => new GaussianNoise(noStd as { stddev: number }), hb.ValueError, 'stddev must be a finite number >= 0, received undefined');
    const typo: unknown = { rate: 0.5, noise_shape: [1] };
    assertThrowsWith(() => new Dropout(typo as { rate: number }), hb.ValueError, 'noise_shape', 'noiseShape');
    const typo2: unknown = { stddev: 0.5, rate: 0.1 };
    assertThrowsWith(() => new GaussianNoise(typo2 as { stddev: number }), hb.ValueError, '"rate"');
  });

  it('getConfig → fromConfig (through JSON) under the Keras class names', () => {
    const layers = [
      new Dropout({ rate: 0.25, noiseShape: [null, 1, 3], seed: 4 }),
      new AlphaDropout({ rate: 0.1 }),
      new GaussianNoise({ stddev: 0.2, seed: 3 }),
      new GaussianDropout({ rate: 0.3 }),
    ];
    const names = ['Dropout', 'AlphaDropout', 'GaussianNoise', 'GaussianDropout'];
    layers.forEach((l, i) => {
      const json = JSON.parse(JSON.stringify(hb.serializeLayer(l))) as hb.layers.SerializedLayer;
      assert.equal(json.className, names[i]);
      const copy = hb.deserializeLayer(json);
      assert.equal(copy.constructor, l.constructor);
      assert.deepEqual(copy.getConfig(), l.getConfig());
    });
    // A seeded copy draws the same masks as the original.
    const t = hb.ones([4, 5, 3]);
    const copy = hb.deserializeLayer(JSON.parse(JSON.stringify(hb.serializeLayer(layers[0] as Dropout))) as hb.layers.SerializedLayer);
    assert.deepEqual(vals(copy.apply(t, { training: true })), vals((layers[0] as Dropout).apply(t, { training: true })));
  });
});
