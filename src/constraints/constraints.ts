/**
 * Weight constraints (Keras 3's keras.constraints): projections the training step applies to
 * a weight right after each optimizer update (CONVENTIONS, step 5). Norms are taken over
 * `axis` (0 by default: for a Dense kernel [fanIn, units], the weights into each unit), with
 * Keras's formulas, eps_k = 1e-7:
 * - maxNorm: w·clip(‖w‖, 0, maxValue)/(eps_k + ‖w‖);
 * - unitNorm: w/(eps_k + ‖w‖);
 * - minMaxNorm: w·(rate·clip(‖w‖, minValue, maxValue) + (1 − rate)·‖w‖)/(eps_k + ‖w‖);
 * - nonNeg: max(w, 0).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { add, div, maximum, mul, sqrt, square } from '../ops/elementwise.js';
import { clip } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';

/** Keras's backend epsilon. */
const EPSILON = 1e-7;

/** A projection applied to a weight after each update: `apply(w)` returns w's shape and dtype. */
export interface Constraint {
  readonly className: string;
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** An axis or a non-empty list of distinct axes (checked against the weight's rank when applied). */
export type ConstraintAxis = number | readonly number[];

function checkAxis(op: string, v: unknown): ConstraintAxis {
  const ok = (a: unknown): boolean => typeof a === 'number' && Number.isInteger(a);
  if (ok(v)) return v as number;
  if (Array.isArray(v) && v.length > 0 && v.every(ok) && new Set(v).size === v.length) return Object.freeze([...(v as number[])]);
  throw new ValueError(`${op}: axis must be an integer or a non-empty array of distinct integers, received ${fmtReceived(v)}`);
}

function checkNumber(op: string, name: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ValueError(`${op}: ${name} must be ${expected}, received ${fmtReceived(v)}`);
  return v;
}

/** ‖w‖ over `axis`, kept as size-1 axes so that it broadcasts against w. */
function norms(w: Tensor, axis: ConstraintAxis): Tensor {
  return sqrt(sum(square(w), axis, true));
}

/** w·desired/(eps + ‖w‖): rescales each slice to the norm `desired(‖w‖)`. */
function rescale(w: Tensor, axis: ConstraintAxis, desired: (n: Tensor) => Tensor): Tensor {
  const n = norms(w, axis);
  return mul(w, div(desired(n), add(n, EPSILON)));
}

export interface MaxNormOptions {
  /** [2] the largest norm allowed (> 0) */
  maxValue?: number;
  /** [0] the axis (or axes) norms are taken over */
  axis?: ConstraintAxis;
}

const MAX_NORM_OPTIONS: OptionKeys<MaxNormOptions> = { maxValue: true, axis: true };

class MaxNorm implements Constraint {
  readonly className = 'MaxNorm';
  constructor(
    readonly maxValue: number,
    readonly axis: ConstraintAxis,
  ) {}
  apply(w: Tensor): Tensor {
    return rescale(w, this.axis, (n) => clip(n, 0, this.maxValue));
  }
  getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Caps the norm of each slice (each unit's incoming weights) at maxValue. */
export function maxNorm(opts: MaxNormOptions = {}): Constraint {
  checkOptions('maxNorm', opts, MAX_NORM_OPTIONS);
  const maxValue = checkNumber('maxNorm', 'maxValue', opts.maxValue ?? 2, (x) => x > 0, 'a finite number > 0');
  return new MaxNorm(maxValue, checkAxis('maxNorm', opts.axis ?? 0));
}

class NonNeg implements Constraint {
  readonly className = 'NonNeg';
  apply(w: Tensor): Tensor {
    return maximum(w, 0);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Sets negative weights to 0. */
export function nonNeg(): Constraint {
  return new NonNeg();
}

export interface UnitNormOptions {
  /** [0] the axis (or axes) norms are taken over */
  axis?: ConstraintAxis;
}

const UNIT_NORM_OPTIONS: OptionKeys<UnitNormOptions> = { axis: true };

class UnitNorm implements Constraint {
  readonly className = 'UnitNorm';
  constructor(readonly axis: ConstraintAxis) {}
  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    return div(w, add(n, EPSILON));
  }
  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** Scales each slice to norm 1 (a zero slice stays zero). */
export function unitNorm(opts: UnitNormOptions = {}): Constraint {
  checkOptions('unitNorm', opts, UNIT_NORM_OPTIONS);
  return new UnitNorm(checkAxis('unitNorm', opts.axis ?? 0));
}

export interface MinMaxNormOptions {
  /** [0] the smallest norm (≥ 0) */
  minValue?: number;
  /** [1] the largest norm (≥ minValue, > 0) */
  maxValue?: number;
  /** [1] in [0, 1]: 1 enforces the bounds at once, less moves the norm part of the way each step */
  rate?: number;
  /** [0] the axis (or axes) norms are taken over */
  axis?: ConstraintAxis;
}

const MIN_MAX_NORM_OPTIONS: OptionKeys<MinMaxNormOptions> = { minValue: true, maxValue: true, rate: true, axis: true };

class MinMaxNorm implements Constraint {
  readonly className = 'MinMaxNorm';
  constructor(
    readonly minValue: number,
    readonly maxValue: number,
    readonly rate: number,
    readonly axis: ConstraintAxis,
  ) {}
  apply(w: Tensor): Tensor {
    const { minValue, maxValue, rate } = this;
    return rescale(w, this.axis, (n) => add(mul(clip(n, minValue, maxValue), rate), mul(n, 1 - rate)));
  }
  getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Keeps the norm of each slice in [minValue, maxValue] (moving it there at `rate`). */
export function minMaxNorm(opts: MinMaxNormOptions = {}): Constraint {
  checkOptions('minMaxNorm', opts, MIN_MAX_NORM_OPTIONS);
  const minValue = checkNumber('minMaxNorm', 'minValue', opts.minValue ?? 0, (x) => x >= 0, 'a finite number >= 0');
  const maxValue = checkNumber('minMaxNorm', 'maxValue', opts.maxValue ?? 1, (x) => x > 0 && x >= minValue, `a finite number > 0 and >= minValue (${minValue})`);
  const rate = checkNumber('minMaxNorm', 'rate', opts.rate ?? 1, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
  return new MinMaxNorm(minValue, maxValue, rate, checkAxis('minMaxNorm', opts.axis ?? 0));
}
