/**
 * The Initializer contract and what initializers share: Keras's fan computation and the choice
 * of random generator.
 */
import { type DType, isFloat } from '../core/dtype.js';
import { DTypeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { Generator, globalGenerator } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';

export interface Initializer {
  /** Keras's class name ('GlorotUniform', 'Zeros', ...): the key serialization uses. */
  readonly className: string;
  /**
   * A new tensor of this shape and dtype. Random initializers draw from `rng` (a layer passes
   * its own substream, e.g. `rng.split(layerName)`), unless they were given a `seed`: then
   * every call returns the same values, as in Keras 3.
   */
  apply(shape: readonly number[], dtype: DType, rng?: Generator): Tensor;
  /** Plain JSON options, so that getInitializer({className, config}) rebuilds it. */
  getConfig(): Record<string, unknown>;
}

/**
 * [fanIn, fanOut] like Keras's compute_fans: a scalar counts as [1, 1], a vector of n as
 * [n, n], a matrix [in, out] as it is, and a convolution kernel [...receptive, in, out] as
 * [in·r, out·r] with r the product of the receptive-field dimensions.
 */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0] as number, shape[0] as number];
  if (shape.length === 2) return [shape[0] as number, shape[1] as number];
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return [(shape[shape.length - 2] as number) * receptive, (shape[shape.length - 1] as number) * receptive];
}

/** Checks a shape of non-negative integers. */
export function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw new ValueError(`${op}: shape must be an array of non-negative integers, received ${fmtReceived(shape)}`);
  }
}

/** Random initializers produce floats only. */
export function checkFloat(op: string, dtype: DType): void {
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, received ${dtype}`);
}

/** A seed must be a safe integer (or absent). */
export function checkSeed(op: string, seed: number | undefined | null): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ValueError(`${op}: seed must be a safe integer, received ${fmtReceived(seed)}`);
  }
  return seed;
}

/** The generator to draw from: a fresh one from the seed, else the caller's, else the global one. */
export function pickRng(seed: number | undefined, rng: Generator | undefined): Generator {
  if (seed !== undefined) return new Generator(seed);
  return rng ?? globalGenerator();
}

/** Checks a finite number option. */
export function checkFinite(op: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, received ${fmtReceived(v)}`);
  return v;
}
