import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../core/errors.js';
import { setSeed } from '../../core/random.js';
import { makeBlobs, makeCircles, makeCurve, makeMoons, makeSpirals } from './synthetic.js';

const loose = <T>(v: unknown): T => v as T;
const rows = (d: { data: { data: Float64Array; shape: readonly number[] } }): number[][] => {
  const [n, k] = d.data.shape as [number, number];
  return Array.from({ length: n }, (_, i) => Array.from(d.data.data.subarray(i * k, (i + 1) * k)));
};
const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);
function meanStd(v: ArrayLike<number>): [number, number] {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  const m = s / v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += ((v[i] as number) - m) ** 2;
  return [m, Math.sqrt(q / v.length)];
}

describe('synthetic datasets', () => {
  it('makeMoons without noise or shuffle lays the points out as scikit-learn does', () => {
    const d = makeMoons({ nSamples: 7, shuffle: false, seed: 1 });
    assert.deepEqual([...d.target.data], [0, 0, 0, 1, 1, 1, 1]);
    // outer: t = 0, π/2, π → (cos t, sin t); inner: t = 0, π/3, 2π/3, π → (1 − cos t, 0.5 − sin t)
    const want = [[1, 0], [0, 1], [-1, 0], [0, 0.5], [0.5, 0.5 - Math.sqrt(3) / 2], [1.5, 0.5 - Math.sqrt(3) / 2], [2, 0.5]];
    rows(d).forEach((r, i) => r.forEach((v, j) => close(v, want[i]?.[j] as number, 1e-12, `row ${i} col ${j}`)));
  });

  it('makeMoons shuffles rows with their labels, seeded, and adds N(0, noise²) noise', () => {
    const clean = makeMoons({ nSamples: 50, shuffle: false });
    const a = makeMoons({ nSamples: 50, seed: 3 });
    const key = (r: number[], y: number): string => `${r.map((v) => v.toFixed(9)).join(',')}:${y}`;
    assert.deepEqual(rows(a).map((r, i) => key(r, a.target.data[i] as number)).sort(), rows(clean).map((r, i) => key(r, clean.target.data[i] as number)).sort());
    assert.deepEqual(makeMoons({ nSamples: 50, seed: 3 }), a);
    assert.notDeepEqual(makeMoons({ nSamples: 50, seed: 4 }).target, a.target);
    const n = 20000;
    const base = makeMoons({ nSamples: n, shuffle: false, seed: 0 });
    const noisy = makeMoons({ nSamples: n, shuffle: false, noise: 0.1, seed: 0 });
    const res = noisy.data.data.map((v, i) => v - (base.data.data[i] as number));
    const [m, s] = meanStd(res);
    close(m, 0, 4 * (0.1 / Math.sqrt(2 * n)), 'noise mean');
    close(s, 0.1, 0.003, 'noise std');
  });

  it('makeCircles puts class 0 on the unit circle and class 1 on radius factor, at evenly spaced angles', () => {
    const d = makeCircles({ nSamples: 9, factor: 0.3, shuffle: false, seed: 0 });
    assert.deepEqual([...d.target.data], [0, 0, 0, 0, 1, 1, 1, 1, 1]);
    rows(d).forEach((r, i) => {
      const outer = i < 4;
      const k = outer ? i : i - 4;
      const t = (2 * Math.PI * k) / (outer ? 4 : 5); // endpoint excluded
      const rad = outer ? 1 : 0.3;
      close(r[0] as number, rad * Math.cos(t), 1e-12, `x of ${i}`);
      close(r[1] as number, rad * Math.sin(t), 1e-12, `y of ${i}`);
    });
    assert.throws(() => makeCircles({ factor: 1 }), (e: unknown) => e instanceof ValueError && /factor must be in \(0, 1\)/.test(e.message));
  });

  it('makeBlobs: cluster sizes floor(n/k) (+1 for the first n mod k), means at the centres, the given spread', () => {
    const d = makeBlobs({ nSamples: 3001, centers: [[0, 0], [10, -5], [-3, 4]], clusterStd: 0.5, seed: 7 });
    const counts = [0, 0, 0];
    d.target.data.forEach((c) => (counts[c] = (counts[c] as number) + 1));
    assert.deepEqual(counts, [1001, 1000, 1000]);
    const centres = [[0, 0], [10, -5], [-3, 4]];
    for (let c = 0; c < 3; c++) {
      for (let j = 0; j < 2; j++) {
        const v = rows(d).filter((_, i) => d.target.data[i] === c).map((r) => r[j] as number);
        const [m, s] = meanStd(v);
        close(m, centres[c]?.[j] as number, 4 * (0.5 / Math.sqrt(1000)), `mean of cluster ${c}, feature ${j}`);
        close(s, 0.5, 0.05, `std of cluster ${c}, feature ${j}`);
      }
    }
    const r = makeBlobs({ nSamples: 10, centers: 4, nFeatures: 3, clusterStd: 0, centerBox: [2, 3], seed: 1 });
    assert.deepEqual(r.data.shape, [10, 3]);
    assert.ok(r.data.data.every((v) => v >= 2 && v < 3), 'with clusterStd 0 every point is a centre inside centerBox');
    assert.equal(new Set(r.target.data).size, 4);
  });

  it('makeSpirals: per arm, radii are evenly spaced on [0, 1] (noise moves only the angle)', () => {
    const d = makeSpirals({ nSamples: 31, nClasses: 3, noise: 0.3, seed: 2 });
    for (let c = 0; c < 3; c++) {
      const m = c === 0 ? 11 : 10;
      const radii = rows(d).filter((_, i) => d.target.data[i] === c).map((r) => Math.hypot(r[0] as number, r[1] as number)).sort((a, b) => a - b);
      assert.equal(radii.length, m);
      radii.forEach((r, i) => close(r, i / (m - 1), 1e-12, `radius ${i} of arm ${c}`));
    }
    // without noise, arm c's point at radius r has angle 4c + 4r (atan2(x, y), as x = r sin θ)
    const clean = makeSpirals({ nSamples: 20, noise: 0, shuffle: false });
    rows(clean).forEach((p, i) => {
      const c = clean.target.data[i] as number;
      const r = Math.hypot(p[0] as number, p[1] as number);
      if (r > 0) close(Math.cos(Math.atan2(p[0] as number, p[1] as number) - (4 * c + 4 * r)), 1, 1e-9, `angle of point ${i}`);
    });
  });

  it('makeCurve: x in [-3, 3), y − sin(x) has the noise standard deviation', () => {
    const d = makeCurve({ nSamples: 20000, noise: 0.2, seed: 5 });
    assert.deepEqual(d.data.shape, [20000, 1]);
    assert.ok(d.data.data.every((v) => v >= -3 && v < 3));
    const [m, s] = meanStd(d.target.data.map((y, i) => y - Math.sin(d.data.data[i] as number)));
    close(m, 0, 4 * (0.2 / Math.sqrt(20000)), 'residual mean');
    close(s, 0.2, 0.005, 'residual std');
  });

  it('unseeded calls follow setSeed; bad options name the function and the option', () => {
    setSeed(11);
    const a = makeMoons({ noise: 0.1 });
    setSeed(11);
    assert.deepEqual(makeMoons({ noise: 0.1 }), a);
    assert.throws(() => makeMoons({ nSamples: 1 }), (e: unknown) => e instanceof ValueError && e.message === 'makeMoons: nSamples must be an integer >= 2, received 1');
    assert.throws(() => makeCurve({ noise: -1 }), (e: unknown) => e instanceof ValueError && e.message === 'makeCurve: noise must be a finite number >= 0, received -1');
    assert.throws(() => makeBlobs(loose({ n_samples: 3 })), (e: unknown) => e instanceof ValueError && /makeBlobs: unknown option "n_samples"/.test(e.message));
  });
});
