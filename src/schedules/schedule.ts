/**
 * What every learning-rate schedule is: a plain `(step) => rate` function (so it goes wherever
 * a `Schedule` does: an optimizer's `learningRate`, or any rate-valued hyperparameter) that
 * also carries its Keras-style config, `{className: 'ExponentialDecay', config: {...}}`, so
 * that `fromConfig` can rebuild it. `step` counts updates from 0 (the first update uses
 * lr(0), CONVENTIONS). The arithmetic is float64 on the host: a schedule costs no kernel and
 * no read-back.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type AllowedOptions, type OptionKeys } from '../core/options.js';
import { checkHyperparameter, type HyperparameterRule } from '../optimizers/hyperparameters.js';

/** The JSON form of a schedule: what `getConfig` returns and `fromConfig` reads. */
export interface ScheduleConfig<N extends string = string, C extends object = Record<string, unknown>> {
  className: N;
  config: C;
}

/** A schedule function carrying its class name and config. */
export interface LearningRateSchedule<N extends string = string, C extends object = Record<string, unknown>> {
  (step: number): number;
  readonly className: N;
  /** A fresh copy each call: plain JSON (numbers, booleans, null, arrays of numbers). */
  getConfig(): ScheduleConfig<N, C>;
}

/**
 * Wraps `rate` (already validated arguments, float64 arithmetic) as a LearningRateSchedule. The
 * step is checked here once for all schedules: a JavaScript caller's `undefined` or a negative
 * step would otherwise give NaN or a rate from before training started.
 */
export function makeSchedule<N extends string, C extends object>(who: string, className: N, config: () => C, rate: (step: number) => number): LearningRateSchedule<N, C> {
  const fn = (step: number): number => {
    if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
      throw new ValueError(`${who}: step must be a finite number >= 0, received ${fmtReceived(step)}`);
    }
    return rate(step);
  };
  return Object.assign(fn, { className, getConfig: () => ({ className, config: config() }) });
}

/** A schedule built by this module (a function with a string className and getConfig). */
export function isLearningRateSchedule(x: unknown): x is LearningRateSchedule {
  return typeof x === 'function' && 'className' in x && typeof x.className === 'string' && 'getConfig' in x && typeof x.getConfig === 'function';
}

/**
 * The options object of a schedule factory: required (every schedule has a required argument),
 * and free of unknown keys.
 */
export function scheduleOptions<T extends object>(who: string, options: T | undefined, allowed: AllowedOptions): T {
  if (options === undefined) throw new ValueError(`${who}: options are required: {${Object.keys(allowed).join(', ')}}`);
  checkOptions(who, options, allowed);
  return options;
}

/** A required numeric argument, checked by the optimizers' hyperparameter rules (same messages). */
export function numberArg(who: string, arg: string, value: unknown, rule: Exclude<HyperparameterRule, 'boolean' | 'learningRate'>): number {
  checkHyperparameter(who, arg, value, rule); // throws unless a finite number that fits the rule
  return Number(value);
}

/** An optional numeric argument: `fallback` when absent (undefined). */
export function optionalNumber(who: string, arg: string, value: unknown, rule: Exclude<HyperparameterRule, 'boolean' | 'learningRate'>, fallback: number): number {
  return value === undefined ? fallback : numberArg(who, arg, value, rule);
}

/** A positive integer argument (a number of steps that must be whole). */
export function stepCountArg(who: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${who}: ${arg} must be a positive integer, received ${fmtReceived(value)}`);
  }
  return value;
}

/**
 * Narrows a config read from JSON to a factory's options type once its keys are checked; the
 * factory checks the values (and the required ones' presence) as it does for any options.
 */
export function checkConfigKeys<T extends object>(who: string, config: object, allowed: OptionKeys<T>): asserts config is T {
  checkOptions(who, config, allowed);
}
