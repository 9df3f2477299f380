/**
 * Seeded synthetic datasets that need no files: the embedded data of `hebb train` (the demo)
 * and of examples. moons, circles and blobs follow scikit-learn's `make_moons`,
 * `make_circles` and `make_blobs` (same point layout, same defaults, labels in the same
 * order before the shuffle; the random numbers are hebb's Philox stream, not NumPy's, so
 * the noise differs value by value). spirals and curve have no scikit-learn counterpart; their
 * formulas are in their doc comments.
 *
 * Every generator takes `seed`; without it, a seed is drawn from hebb's global generator, so
 * `hb.setSeed(n)` makes an unseeded call reproducible too.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import { Generator, globalGenerator } from '../../core/random.js';
import { checkOptions, type OptionKeys } from '../../core/options.js';
import type { ClassificationTable } from '../datasets/iris.js';
import type { RegressionData } from '../datasets/california_housing.js';

export interface MakeMoonsOptions {
  /** [100] total points; the outer moon gets floor(n/2), the inner the rest. */
  nSamples?: number;
  /** [true] shuffle the points (otherwise class 0 comes first). */
  shuffle?: boolean;
  /** [0] standard deviation of the Gaussian noise added to every coordinate. */
  noise?: number;
  seed?: number;
}

export interface MakeCirclesOptions extends MakeMoonsOptions {
  /** [0.8] radius of the inner circle relative to the outer (0 < factor < 1). */
  factor?: number;
}

export interface MakeBlobsOptions {
  /** [100] total points, split as evenly as possible (the first clusters get one more). */
  nSamples?: number;
  /** [2] */
  nFeatures?: number;
  /** [3] number of clusters (centres drawn uniformly in centerBox), or the centres themselves. */
  centers?: number | readonly (readonly number[])[];
  /** [1] standard deviation of each cluster. */
  clusterStd?: number;
  /** [[-10, 10]] the box the random centres are drawn from. */
  centerBox?: readonly [number, number];
  /** [true] */
  shuffle?: boolean;
  seed?: number;
}

export interface MakeSpiralsOptions {
  /** [300] total points, split evenly over the arms (the first arms get one more). */
  nSamples?: number;
  /** [2] arms, one class each. */
  nClasses?: number;
  /** [0.2] standard deviation of the noise on each point's angle (radians). */
  noise?: number;
  /** [true] */
  shuffle?: boolean;
  seed?: number;
}

export interface MakeCurveOptions {
  /** [200] */
  nSamples?: number;
  /** [0.1] standard deviation of the Gaussian noise added to y. */
  noise?: number;
  seed?: number;
}

const MOONS_OPTIONS: OptionKeys<MakeMoonsOptions> = { nSamples: true, shuffle: true, noise: true, seed: true };
const CIRCLES_OPTIONS: OptionKeys<MakeCirclesOptions> = { ...MOONS_OPTIONS, factor: true };
const BLOBS_OPTIONS: OptionKeys<MakeBlobsOptions> = { nSamples: true, nFeatures: true, centers: true, clusterStd: true, centerBox: true, shuffle: true, seed: true };
const SPIRALS_OPTIONS: OptionKeys<MakeSpiralsOptions> = { nSamples: true, nClasses: true, noise: true, shuffle: true, seed: true };
const CURVE_OPTIONS: OptionKeys<MakeCurveOptions> = { nSamples: true, noise: true, seed: true };

function generator(seed: number | undefined): Generator {
  return new Generator(seed ?? globalGenerator().uint32());
}

function count(fn: string, name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new ValueError(`${fn}: ${name} must be an integer >= ${min}, received ${fmtReceived(v)}`);
  return v;
}

function nonNegative(fn: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new ValueError(`${fn}: ${name} must be a finite number >= 0, received ${fmtReceived(v)}`);
  return v;
}

/** numpy.linspace(start, stop, n, endpoint) */
function linspace(start: number, stop: number, n: number, endpoint = true): Float64Array {
  const out = new Float64Array(n);
  const div = endpoint ? n - 1 : n;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  if (endpoint && n > 1) out[n - 1] = stop;
  return out;
}

/** Shuffles rows (when asked), then adds noise, in scikit-learn's order. */
function finish(x: Float64Array, y: Int32Array, d: number, classes: number, rng: Generator, shuffle: boolean, noise: number): ClassificationTable {
  const n = y.length;
  let xs = x;
  let ys = y;
  if (shuffle) {
    const perm = rng.permutation(n);
    xs = new Float64Array(n * d);
    ys = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = perm[i] as number;
      xs.set(x.subarray(k * d, (k + 1) * d), i * d);
      ys[i] = y[k] as number;
    }
  }
  if (noise > 0) {
    const e = new Float64Array(n * d);
    rng.fillNormal(e, 0, noise);
    for (let i = 0; i < e.length; i++) xs[i] = (xs[i] as number) + (e[i] as number);
  }
  return {
    data: { data: xs, shape: [n, d] },
    target: { data: ys, shape: [n] },
    featureNames: Array.from({ length: d }, (_, j) => `x${j}`),
    targetNames: Array.from({ length: classes }, (_, c) => String(c)),
  };
}

/**
 * Two interleaving half circles (scikit-learn `make_moons`): the outer moon (class 0) is
 * (cos t, sin t) and the inner (class 1) is (1 − cos t, 1 − sin t − 0.5), t evenly spaced on [0, π].
 */
export function makeMoons(options: MakeMoonsOptions = {}): ClassificationTable {
  const fn = 'makeMoons';
  checkOptions(fn, options, MOONS_OPTIONS);
  const n = count(fn, 'nSamples', options.nSamples ?? 100, 2);
  const noise = nonNegative(fn, 'noise', options.noise ?? 0);
  const rng = generator(options.seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  linspace(0, Math.PI, nOut).forEach((t, i) => x.set([Math.cos(t), Math.sin(t)], 2 * i));
  linspace(0, Math.PI, nIn).forEach((t, i) => {
    x.set([1 - Math.cos(t), 1 - Math.sin(t) - 0.5], 2 * (nOut + i));
    y[nOut + i] = 1;
  });
  return finish(x, y, 2, 2, rng, options.shuffle ?? true, noise);
}

/**
 * A large circle (class 0, radius 1) around a small one (class 1, radius `factor`), each with
 * points at evenly spaced angles on [0, 2π) (scikit-learn `make_circles`).
 */
export function makeCircles(options: MakeCirclesOptions = {}): ClassificationTable {
  const fn = 'makeCircles';
  checkOptions(fn, options, CIRCLES_OPTIONS);
  const n = count(fn, 'nSamples', options.nSamples ?? 100, 2);
  const noise = nonNegative(fn, 'noise', options.noise ?? 0);
  const factor = options.factor ?? 0.8;
  if (!(factor > 0 && factor < 1)) throw new ValueError(`${fn}: factor must be in (0, 1), received ${fmtReceived(factor)}`);
  const rng = generator(options.seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  linspace(0, 2 * Math.PI, nOut, false).forEach((t, i) => x.set([Math.cos(t), Math.sin(t)], 2 * i));
  linspace(0, 2 * Math.PI, nIn, false).forEach((t, i) => {
    x.set([factor * Math.cos(t), factor * Math.sin(t)], 2 * (nOut + i));
    y[nOut + i] = 1;
  });
  return finish(x, y, 2, 2, rng, options.shuffle ?? true, noise);
}

/**
 * Isotropic Gaussian clusters (scikit-learn `make_blobs`): cluster c (class c) holds
 * floor(n/k) points, plus one for the first n mod k clusters, drawn around its centre.
 */
export function makeBlobs(options: MakeBlobsOptions = {}): ClassificationTable {
  const fn = 'makeBlobs';
  checkOptions(fn, options, BLOBS_OPTIONS);
  const n = count(fn, 'nSamples', options.nSamples ?? 100, 1);
  const std = nonNegative(fn, 'clusterStd', options.clusterStd ?? 1);
  const rng = generator(options.seed);
  const given = options.centers;
  let centers: number[][];
  let d: number;
  if (typeof given === 'object') {
    if (given.length === 0) throw new ValueError(`${fn}: centers must list at least one centre`);
    d = given[0]?.length ?? 0;
    if (options.nFeatures !== undefined && options.nFeatures !== d) throw new ValueError(`${fn}: nFeatures is ${options.nFeatures} but the centres have ${d} coordinates`);
    centers = given.map((c, i) => {
      if (c.length !== d || c.some((v) => !Number.isFinite(v))) throw new ValueError(`${fn}: centers[${i}] must hold ${d} finite numbers, received ${fmtReceived(c)}`);
      return [...c];
    });
  } else {
    const k = count(fn, 'centers', given ?? 3, 1);
    d = count(fn, 'nFeatures', options.nFeatures ?? 2, 1);
    const [lo, hi] = options.centerBox ?? [-10, 10];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) throw new ValueError(`${fn}: centerBox must be [low, high] with low <= high, received ${fmtReceived(options.centerBox)}`);
    const flat = new Float64Array(k * d);
    rng.fillUniform(flat, lo, hi);
    centers = Array.from({ length: k }, (_, c) => Array.from(flat.subarray(c * d, (c + 1) * d)));
  }
  const k = centers.length;
  const x = new Float64Array(n * d);
  const y = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const m = Math.floor(n / k) + (c < n % k ? 1 : 0);
    const e = new Float64Array(m * d);
    rng.fillNormal(e, 0, std);
    const centre = centers[c] as number[];
    for (let i = 0; i < m; i++, row++) {
      for (let j = 0; j < d; j++) x[row * d + j] = (centre[j] as number) + (e[i * d + j] as number);
      y[row] = c;
    }
  }
  return finish(x, y, d, k, rng, options.shuffle ?? true, 0);
}

/**
 * Interleaved spiral arms, one class each (the CS231n layout): arm c has m points at radius
 * r_i = i/(m−1) and angle θ_i = 4c + 4·r_i + noise·ε_i, at (r sin θ, r cos θ), where
 * ε_i ~ N(0, 1). With two arms the classes wind around each other and no linear model separates them.
 */
export function makeSpirals(options: MakeSpiralsOptions = {}): ClassificationTable {
  const fn = 'makeSpirals';
  checkOptions(fn, options, SPIRALS_OPTIONS);
  const k = count(fn, 'nClasses', options.nClasses ?? 2, 2);
  const n = count(fn, 'nSamples', options.nSamples ?? 300, k);
  const noise = nonNegative(fn, 'noise', options.noise ?? 0.2);
  const rng = generator(options.seed);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const m = Math.floor(n / k) + (c < n % k ? 1 : 0);
    const e = new Float64Array(m);
    rng.fillNormal(e, 0, noise);
    const r = linspace(0, 1, m);
    for (let i = 0; i < m; i++, row++) {
      const ri = r[i] as number;
      const t = 4 * c + 4 * ri + (e[i] as number);
      x.set([ri * Math.sin(t), ri * Math.cos(t)], 2 * row);
      y[row] = c;
    }
  }
  return finish(x, y, 2, k, rng, options.shuffle ?? true, 0);
}

/**
 * A noisy regression curve: x ~ U(−3, 3), y = sin(x) + noise·ε with ε ~ N(0, 1); data [n, 1].
 * Non-linear, so a linear model leaves a residual an MLP can remove (MSE → noise²).
 */
export function makeCurve(options: MakeCurveOptions = {}): RegressionData {
  const fn = 'makeCurve';
  checkOptions(fn, options, CURVE_OPTIONS);
  const n = count(fn, 'nSamples', options.nSamples ?? 200, 1);
  const noise = nonNegative(fn, 'noise', options.noise ?? 0.1);
  const rng = generator(options.seed);
  const x = new Float64Array(n);
  rng.fillUniform(x, -3, 3);
  const e = new Float64Array(n);
  rng.fillNormal(e, 0, noise);
  const y = x.map((v, i) => Math.sin(v) + (e[i] as number));
  return { data: { data: x, shape: [n, 1] }, target: { data: y, shape: [n] }, featureNames: ['x'], targetName: 'y' };
}
