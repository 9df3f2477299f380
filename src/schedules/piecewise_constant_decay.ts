/**
 * PiecewiseConstantDecay (Keras 3): boundaries [b0, b1, ...] and values [v0, v1, ..., vn]
 * (one more value than boundaries): v0 while step <= b0, v1 while b0 < step <= b1, ..., vn
 * after the last boundary. The boundary step belongs to the earlier interval (CONVENTIONS;
 * the book's per-epoch function puts it in the later one).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import type { OptionKeys } from '../core/options.js';
import { makeSchedule, numberArg, scheduleOptions, type LearningRateSchedule } from './schedule.js';

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing finite steps (at least one). */
  boundaries: readonly number[];
  /** The rates, finite and >= 0: boundaries.length + 1 of them. */
  values: readonly number[];
}

export const PIECEWISE_CONSTANT_DECAY_OPTIONS: OptionKeys<PiecewiseConstantDecayOptions> = { boundaries: true, values: true };

export type PiecewiseConstantDecay = LearningRateSchedule<'PiecewiseConstantDecay', { boundaries: number[]; values: number[] }>;

function numberList(who: string, arg: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new ValueError(`${who}: ${arg} must be a non-empty array of numbers, received ${fmtReceived(v)}`);
  return v.map((x: unknown, i) => numberArg(who, `${arg}[${i}]`, x, 'nonNegative'));
}

export function piecewiseConstantDecay(options: PiecewiseConstantDecayOptions): PiecewiseConstantDecay {
  const who = 'piecewiseConstantDecay';
  const o = scheduleOptions(who, options, PIECEWISE_CONSTANT_DECAY_OPTIONS);
  const boundaries = numberList(who, 'boundaries', o.boundaries);
  const values = numberList(who, 'values', o.values);
  if (values.length !== boundaries.length + 1) {
    throw new ValueError(`${who}: values must have one more entry than boundaries (${boundaries.length + 1}), received ${values.length}`);
  }
  // Keras does not check the order; an unordered or repeated boundary leaves a value that no
  // step reaches, which is a mistake worth an error.
  boundaries.forEach((b, i) => {
    const prev = boundaries[i - 1];
    if (prev !== undefined && !(b > prev)) throw new ValueError(`${who}: boundaries must be strictly increasing, received ${fmtReceived(boundaries)} (boundaries[${i}] = ${b} after ${prev})`);
  });
  return makeSchedule(who, 'PiecewiseConstantDecay', () => ({ boundaries: [...boundaries], values: [...values] }), (step) => {
    const i = boundaries.findIndex((b) => step <= b);
    return values[i === -1 ? boundaries.length : i] as number;
  });
}
