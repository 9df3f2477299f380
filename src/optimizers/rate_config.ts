/**
 * A rate-valued hyperparameter (a learning rate, SGD's momentum) in an optimizer's config, and
 * back. A number stays a number; a schedule from `hb.schedules` is written Keras-style,
 * `{className: 'ExponentialDecay', config: {...}}`, and rebuilt by `schedules.fromConfig`. A
 * plain function `(step) => number` has no config: like Keras, which writes a Python function
 * by name and refuses to load it back in safe mode, getConfig still succeeds (the rest of the
 * config is useful, for a summary or a log) and writes `{className: 'function', config: name}`;
 * fromConfig then throws, naming the hyperparameter and what to pass instead.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { deserializeSchedule, isLearningRateSchedule, type ScheduleConfig } from '../schedules/index.js';

/** What a plain function is written as: its name ('(anonymous)' for an arrow function without one). */
export interface FunctionConfig {
  className: 'function';
  config: string;
}

export type RateConfig = number | ScheduleConfig | FunctionConfig;

/** The config form of a number or a schedule. */
export function rateConfig(value: number | ((step: number) => number)): RateConfig {
  if (typeof value === 'number') return value;
  if (isLearningRateSchedule(value)) return value.getConfig();
  return { className: 'function', config: value.name === '' ? '(anonymous)' : value.name };
}

/** True for `{className, config}` objects (a schedule's config or the function marker). */
export function isClassConfig(v: unknown): v is { className: unknown; config: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'className' in v && 'config' in v;
}

/**
 * The value back from its config form: a number as is, a schedule rebuilt; the function
 * marker throws (a function's code is not in the config).
 */
export function rateFromConfig(who: string, arg: string, value: unknown): unknown {
  if (!isClassConfig(value)) return value;
  if (value.className === 'function') {
    throw new ValueError(
      `${who}: ${arg} was the plain function ${fmtReceived(value.config)}, which a config cannot rebuild; ` +
        `use a schedule from hb.schedules (it has getConfig), or pass ${arg} again when rebuilding`,
    );
  }
  return deserializeSchedule(value);
}
