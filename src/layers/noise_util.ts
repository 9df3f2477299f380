/**
 * What the random layers (Dropout, AlphaDropout, GaussianNoise, GaussianDropout) share: option
 * checks for `rate`, `seed` and `noiseShape`, and the random stream of each call.
 *
 * Streams: a seeded layer draws call k from `new Generator(seed).split(k)`, k counting the
 * layer's training-mode calls from 0. So masks differ between steps yet are reproducible, do not
 * depend on how many numbers earlier calls drew (batch sizes), and are the same on every backend
 * (the counter-based generator, core/random.ts: Dropout's uniforms are made by the backend's
 * Philox kernel from the generator's counter, bit-identical to drawing them in JavaScript, and
 * the normals of GaussianNoise/GaussianDropout are drawn in JavaScript). An unseeded layer draws
 * from the global generator (reproducible after `setSeed`).
 */
import { ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import { Generator, globalGenerator } from '../core/random.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';

/** A rate in [0, 1) (1 would divide by 1 − rate = 0); absent gives the fallback. */
export function rateOption(who: string, name: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ValueError(`${who}: ${name} must be a number in [0, 1), received ${fmtReceived(value)}`);
  }
  return value;
}

/** A finite number >= min (or > min when `strict`); absent gives the fallback (required without one). */
export function numberOption(who: string, name: string, value: unknown, fallback: number | undefined, min: number, strict = false): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (strict && value === min)) {
    throw new ValueError(`${who}: ${name} must be a finite number ${strict ? '>' : '>='} ${min}, received ${fmtReceived(value)}`);
  }
  return value;
}

/** A seed: a safe integer, or null/absent for none. */
export function seedOption(who: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ValueError(`${who}: seed must be a safe integer or null, received ${fmtReceived(value)}`);
  return value;
}

/** noiseShape: positive integers or null (take the input's size), or absent for the input's shape. */
export function noiseShapeOption(who: string, value: unknown): SymbolicShape | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((d) => d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d < 1))) {
    throw new ValueError(`${who}: noiseShape must be an array of positive integers and nulls, received ${fmtReceived(value)}`);
  }
  return Object.freeze([...(value as (number | null)[])]);
}

/**
 * The concrete shape of the mask for an input of `shape`: null entries take the input's size
 * (Keras's noise_shape); every entry must be the input's size or 1 (so the mask broadcasts).
 */
export function resolveNoiseShape(who: string, noiseShape: SymbolicShape | null, shape: readonly number[]): number[] {
  if (noiseShape === null) return [...shape];
  if (noiseShape.length !== shape.length) {
    throw new ShapeError(`${who}: noiseShape ${fmtSymbolicShape(noiseShape)} has rank ${noiseShape.length}, the input has rank ${shape.length} (shape ${fmtSymbolicShape(shape)})`);
  }
  return noiseShape.map((d, i) => {
    const size = shape[i] as number;
    if (d !== null && d !== 1 && d !== size) {
      throw new ShapeError(`${who}: noiseShape ${fmtSymbolicShape(noiseShape)} does not broadcast to the input's shape ${fmtSymbolicShape(shape)} (axis ${i}: ${d} vs ${size})`);
    }
    return d ?? size;
  });
}

/** The generator of each call: seeded → a fresh split per call; unseeded → the global one. */
export class CallStream {
  #calls = 0;
  readonly #base: Generator | null;

  constructor(seed: number | null) {
    this.#base = seed === null ? null : new Generator(seed);
  }

  next(): Generator {
    return this.#base === null ? globalGenerator() : this.#base.split(this.#calls++);
  }
}
