/**
 * Random tensors, with Keras's option names. Every value comes from a Philox `Generator`
 * (core/random.ts), so all backends hold identical numbers for the same seed. Float uniforms
 * and bernoulli are made by the backend's Philox kernel (ops/random_counter.ts: the numbers the
 * host generator would give, no upload); normals, integers and permutations are drawn in
 * JavaScript and written with `fromValues` (normals need Math.log/cos/sin, which a kernel
 * would not reproduce bit for bit: docs/ARCHITECTURE.md, "Random numbers").
 *
 * Which generator: `seed` given → a fresh `new Generator(seed)` (the result depends on the seed
 * only); `generator` given → that generator, advanced; neither → the global generator
 * (`setSeed` makes it reproducible). Giving both is an error.
 */
import { type DType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { Generator, globalGenerator } from '../core/random.js';
import { type Shape } from '../core/shape.js';
import { checkTensorSize } from '../core/engine.js';
import { type Tensor } from '../core/tensor.js';
import { dtypeArg, numberArg, shapeArg, tensorArg } from './args.js';
import { maximum, minimum } from './elementwise.js';
import { defineFused, runFusedUnrecorded, type Expr } from './fused.js';
import { fromValues, gather } from './primitives.js';
import { philoxUniform } from './random_counter.js';

export interface RandomOptions {
  /** Results depend only on this seed (a safe integer). */
  seed?: number;
  /** Draw from (and advance) this generator. */
  generator?: Generator;
}

const RANDOM_OPTIONS: OptionKeys<RandomOptions> = { seed: true, generator: true };

export interface RandomUniformOptions extends RandomOptions {
  minval?: number;
  maxval?: number;
  dtype?: DType;
}

const RANDOM_UNIFORM_OPTIONS: OptionKeys<RandomUniformOptions> = { ...RANDOM_OPTIONS, minval: true, maxval: true, dtype: true };

export interface RandomNormalOptions extends RandomOptions {
  mean?: number;
  stddev?: number;
  dtype?: DType;
}

const RANDOM_NORMAL_OPTIONS: OptionKeys<RandomNormalOptions> = { ...RANDOM_OPTIONS, mean: true, stddev: true, dtype: true };

export interface BernoulliOptions extends RandomOptions {
  /** ['float32'] */
  dtype?: DType;
}

const BERNOULLI_OPTIONS: OptionKeys<BernoulliOptions> = { ...RANDOM_OPTIONS, dtype: true };

function pickGenerator(op: string, opts: RandomOptions): Generator {
  if (opts.seed !== undefined && opts.generator !== undefined) {
    throw new ValueError(`${op}: give either seed or generator, not both`);
  }
  if (opts.generator !== undefined) {
    if (!(opts.generator instanceof Generator)) {
      throw new ValueError(`${op}: generator must be a Generator, received ${fmtReceived(opts.generator)}`);
    }
    return opts.generator;
  }
  if (opts.seed !== undefined) {
    if (typeof opts.seed !== 'number' || !Number.isSafeInteger(opts.seed)) {
      throw new ValueError(`${op}: seed must be a safe integer, received ${fmtReceived(opts.seed)}`);
    }
    return new Generator(opts.seed);
  }
  return globalGenerator();
}

/** The shape's element count, once the dtype and size checks passed (before any host array is filled). */
function checkRandomShape(op: string, shape: Shape, dtype: DType): number {
  return checkTensorSize(op, shapeArg(op, 'shape', shape), dtypeArg(op, 'dtype', dtype));
}

function checkFinite(op: string, name: string, v: number): void {
  numberArg(op, name, v, true);
}

function floatArray(op: string, dtype: DType, n: number): Float32Array | Float64Array {
  dtypeArg(op, 'dtype', dtype);
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'float64') return new Float64Array(n);
  throw new DTypeError(`${op}: dtype must be float32 or float64, received ${dtype}`);
}

const FLOAT32_MAX = 3.4028234663852886e38;

/** The float32 next to x (a finite float32) towards +∞ (up) or −∞. */
function float32Step(x: number, up: boolean): number {
  if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  bits[0]! += x > 0 === up ? 1 : -1;
  return f[0]!;
}

/** The double just below x (x finite, > −MAX_VALUE). */
function float64Below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0]! += x > 0 ? -1n : 1n;
  return f[0]!;
}

/**
 * The closed range [lo, hi] of dtype values that lie in [minval, maxval) as real numbers.
 * minval + width·u is exactly in range, but rounding to the dtype can land on maxval (either
 * dtype) or, in float32, just below a minval that float32 cannot represent; such values are
 * moved to the nearest in-range value. This happens with probability ~2^-24 per element, so
 * the distribution is unchanged for any practical purpose, and code may rely on
 * `minval <= x < maxval` without flaky failures.
 */
function floatInterval(op: string, dtype: DType, minval: number, maxval: number): [number, number] {
  if (dtype !== 'float32') return [minval, float64Below(maxval)];
  if (Math.abs(minval) > FLOAT32_MAX || Math.abs(maxval) > FLOAT32_MAX) {
    throw new ValueError(`${op}: float32 bounds must lie within ±${FLOAT32_MAX}, received minval ${minval}, maxval ${maxval}`);
  }
  const fmin = Math.fround(minval);
  const fmax = Math.fround(maxval);
  const lo = fmin < minval ? float32Step(fmin, true) : fmin;
  const hi = fmax >= maxval ? float32Step(fmax, false) : fmax;
  if (lo > hi) {
    throw new ValueError(`${op}: no float32 value lies in [minval, maxval), received minval ${minval}, maxval ${maxval}`);
  }
  return [lo, hi];
}

/**
 * Uniform values in [minval, maxval) (Keras/TF `random.uniform`). Floats are
 * minval + (maxval − minval)·u with u = k·2^-24 in float64, then stored (float64 gets the
 * same draws as float32, unrounded); see floatInterval for the half-open guarantee. With
 * dtype 'int32', minval and maxval must be integers and the result is uniform over
 * [minval, maxval) without modulo bias.
 */
export function randomUniform(shape: Shape, opts: RandomUniformOptions = {}): Tensor {
  const op = 'randomUniform';
  checkOptions(op, opts, RANDOM_UNIFORM_OPTIONS);
  const { minval = 0, maxval = 1, dtype = 'float32' } = opts;
  const n = checkRandomShape(op, shape, dtype);
  checkFinite(op, 'minval', minval);
  checkFinite(op, 'maxval', maxval);
  if (!(minval < maxval)) {
    throw new ValueError(`${op}: minval must be less than maxval, received minval ${minval}, maxval ${maxval}`);
  }
  if (dtype === 'int32') {
    if (!Number.isInteger(minval) || !Number.isInteger(maxval) || minval < -2147483648 || maxval > 2147483648) {
      throw new ValueError(`${op}: int32 bounds must be integers in [-2^31, 2^31], received minval ${minval}, maxval ${maxval}`);
    }
    const gen = pickGenerator(op, opts);
    const out = new Int32Array(n);
    gen.fillUniformInt(out, minval, maxval);
    return fromValues(out, shape, 'int32');
  }
  floatArray(op, dtype, 0);
  const [lo, hi] = floatInterval(op, dtype, minval, maxval);
  const u = philoxUniform(shape, dtype as 'float32' | 'float64', pickGenerator(op, opts), minval, maxval);
  // [0, 1) needs no clamp: u = k·2^-24 <= 1 − 2^-24 in either dtype.
  if (minval === 0 && maxval === 1) return u;
  // Clamping rounded values to representable bounds is exact in the dtype, as on the host.
  const a = maximum(u, lo);
  const b = minimum(a, hi);
  u.dispose();
  a.dispose();
  return b;
}

/** Validates normal options and fills a float array with `fill` (plain or truncated). */
function normalTensor(
  op: string,
  shape: Shape,
  opts: RandomNormalOptions,
  fill: (gen: Generator, out: Float32Array | Float64Array, mean: number, stddev: number) => void,
): Tensor {
  checkOptions(op, opts, RANDOM_NORMAL_OPTIONS);
  const { mean = 0, stddev = 1, dtype = 'float32' } = opts;
  const n = checkRandomShape(op, shape, dtype);
  checkFinite(op, 'mean', mean);
  checkFinite(op, 'stddev', stddev);
  if (stddev < 0) throw new ValueError(`${op}: stddev must be >= 0, received ${stddev}`);
  const out = floatArray(op, dtype, n);
  fill(pickGenerator(op, opts), out, mean, stddev);
  return fromValues(out, shape, dtype);
}

/** Normal values with the given mean and standard deviation (Box–Muller). */
export function randomNormal(shape: Shape, opts: RandomNormalOptions = {}): Tensor {
  return normalTensor('randomNormal', shape, opts, (g, out, m, s) => g.fillNormal(out, m, s));
}

/**
 * Normal values re-drawn when more than 2 standard deviations from the mean, like
 * tf.random.truncated_normal. `stddev` is the parameter of the normal before truncation; the
 * result's standard deviation is 0.87962566103423978·stddev (Keras's initializers divide by
 * that constant themselves).
 */
export function truncatedNormal(shape: Shape, opts: RandomNormalOptions = {}): Tensor {
  return normalTensor('truncatedNormal', shape, opts, (g, out, m, s) => g.fillTruncatedNormal(out, m, s));
}

/** float32 ones with probability p and zeros otherwise (1 when float() < p). */
export function bernoulli(shape: Shape, p: number, opts: BernoulliOptions = {}): Tensor {
  const op = 'bernoulli';
  checkOptions(op, opts, BERNOULLI_OPTIONS);
  const dtype = opts.dtype ?? 'float32';
  const n = checkRandomShape(op, shape, dtype);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ValueError(`${op}: p must be a probability in [0, 1], received ${fmtReceived(p)}`);
  }
  floatArray(op, dtype, 0);
  // float() = k·2^-24 < p: exactly probability p for p a multiple of 2^-24, within 2^-24 else.
  // k·2^-24 < p exactly when k < ceil(p·2^24): the threshold ceil(p·2^24)·2^-24 is exact in
  // float32, so the comparison on the backend gives the host's float64 answer.
  const u = philoxUniform(shape, dtype as 'float32' | 'float64', pickGenerator(op, opts));
  const [out] = runFusedUnrecorded(BERNOULLI, [u], [Math.ceil(p * 16777216) / 16777216]) as [Tensor];
  u.dispose();
  return out;
}

const BERNOULLI = defineFused('bernoulli', 1, 1, (e, [u], [t]) => [e.where(e.less(u as Expr, t as Expr), 1, 0)]);

/** A random permutation of 0..n−1 as an int32 tensor of shape [n] (Fisher–Yates). */
export function randomPermutation(n: number, opts: RandomOptions = {}): Tensor {
  const op = 'randomPermutation';
  checkOptions(op, opts, RANDOM_OPTIONS);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2147483647) {
    throw new ValueError(`${op}: n must be a non-negative integer, received ${fmtReceived(n)}`);
  }
  checkTensorSize(op, [n], 'int32');
  return fromValues(pickGenerator(op, opts).permutation(n), [n], 'int32');
}

/**
 * The rows of x (its slices along axis 0) in a random order, as tf.random.shuffle: each row is
 * kept whole. Built on gather, so it is differentiable with respect to x.
 */
export function shuffle(xIn: Tensor, opts: RandomOptions = {}): Tensor {
  const op = 'shuffle';
  checkOptions(op, opts, RANDOM_OPTIONS);
  const x = tensorArg(op, 'x', xIn);
  if (x.rank === 0) throw new ShapeError(`${op}: x must have at least one dimension, received shape ${fmtShape(x.shape)}`);
  const perm = randomPermutation(x.shape[0]!, opts);
  // perm is not disposed here: gather's gradient reads it during the backward pass. Like any
  // composite op's temporaries it is freed by the enclosing scope.
  return gather(x, perm, 0);
}
