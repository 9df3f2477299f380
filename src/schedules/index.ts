/**
 * Learning-rate schedules (`hb.schedules`): functions of the step, usable wherever a rate is
 * (`sgd({learningRate: hb.schedules.exponentialDecay({...})})`), each carrying its config.
 * `fromConfig` (alias `deserializeSchedule`) rebuilds one from `{className, config}`, from a
 * closed registry of the classes below.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { normalizeName } from '../core/names.js';
import type { OptionKeys } from '../core/options.js';
import { COSINE_DECAY_OPTIONS, cosineDecay } from './cosine_decay.js';
import { COSINE_DECAY_RESTARTS_OPTIONS, cosineDecayRestarts } from './cosine_decay_restarts.js';
import { EXPONENTIAL_DECAY_OPTIONS, exponentialDecay } from './exponential_decay.js';
import { INVERSE_TIME_DECAY_OPTIONS, POWER_DECAY_OPTIONS, inverseTimeDecay, powerDecay } from './inverse_time_decay.js';
import { ONE_CYCLE_MOMENTUM_OPTIONS, ONE_CYCLE_OPTIONS, oneCycle, oneCycleMomentum } from './one_cycle.js';
import { PIECEWISE_CONSTANT_DECAY_OPTIONS, piecewiseConstantDecay } from './piecewise_constant_decay.js';
import { POLYNOMIAL_DECAY_OPTIONS, polynomialDecay } from './polynomial_decay.js';
import { checkConfigKeys, type LearningRateSchedule } from './schedule.js';

export { isLearningRateSchedule, type LearningRateSchedule, type ScheduleConfig } from './schedule.js';
export { exponentialDecay, type ExponentialDecay, type ExponentialDecayOptions } from './exponential_decay.js';
export { inverseTimeDecay, powerDecay, type InverseTimeDecay, type InverseTimeDecayOptions, type PowerDecay, type PowerDecayOptions } from './inverse_time_decay.js';
export { piecewiseConstantDecay, type PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise_constant_decay.js';
export { polynomialDecay, type PolynomialDecay, type PolynomialDecayOptions } from './polynomial_decay.js';
export { cosineDecay, type CosineDecay, type CosineDecayOptions } from './cosine_decay.js';
export { cosineDecayRestarts, type CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine_decay_restarts.js';
export { oneCycle, oneCycleMomentum, type OneCycle, type OneCycleMomentum, type OneCycleMomentumOptions, type OneCycleOptions } from './one_cycle.js';

/**
 * The factories by class name. `entry` checks a config's keys against the factory's options
 * (which narrows it to the options type); the factory then checks the values as it does for
 * any options, so a config is read exactly as the same options would be.
 */
type Factory = (c: object) => LearningRateSchedule;
function entry<T extends object>(who: string, allowed: OptionKeys<T>, make: (o: T) => LearningRateSchedule): Factory {
  return (c) => {
    checkConfigKeys(who, c, allowed);
    return make(c);
  };
}
const CLASSES = {
  ExponentialDecay: entry('exponentialDecay', EXPONENTIAL_DECAY_OPTIONS, exponentialDecay),
  InverseTimeDecay: entry('inverseTimeDecay', INVERSE_TIME_DECAY_OPTIONS, inverseTimeDecay),
  PowerDecay: entry('powerDecay', POWER_DECAY_OPTIONS, powerDecay),
  PiecewiseConstantDecay: entry('piecewiseConstantDecay', PIECEWISE_CONSTANT_DECAY_OPTIONS, piecewiseConstantDecay),
  PolynomialDecay: entry('polynomialDecay', POLYNOMIAL_DECAY_OPTIONS, polynomialDecay),
  CosineDecay: entry('cosineDecay', COSINE_DECAY_OPTIONS, cosineDecay),
  CosineDecayRestarts: entry('cosineDecayRestarts', COSINE_DECAY_RESTARTS_OPTIONS, cosineDecayRestarts),
  OneCycle: entry('oneCycle', ONE_CYCLE_OPTIONS, oneCycle),
  OneCycleMomentum: entry('oneCycleMomentum', ONE_CYCLE_MOMENTUM_OPTIONS, oneCycleMomentum),
} as const satisfies Record<string, Factory>;

/** A built-in schedule's class name, as getConfig writes it. */
export type ScheduleClassName = keyof typeof CLASSES;

const BY_NORMALIZED: ReadonlyMap<string, Factory> = new Map(Object.entries(CLASSES).map(([k, f]) => [normalizeName(k), f]));

/**
 * Rebuilds a schedule from `{className, config}` (what getConfig returns). The class name is
 * compared without case and underscores ('exponential_decay' works too).
 */
export function deserializeSchedule(json: unknown): LearningRateSchedule {
  const where = 'schedules.fromConfig';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ValueError(`${where}: expected {className, config}, received ${fmtReceived(json)}`);
  const className: unknown = Reflect.get(json, 'className');
  const config: unknown = Reflect.get(json, 'config');
  const make = typeof className === 'string' ? BY_NORMALIZED.get(normalizeName(className)) : undefined;
  if (make === undefined) {
    throw new ValueError(`${where}: unknown schedule className ${fmtReceived(className)}; expected one of ${Object.keys(CLASSES).join(', ')}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new ValueError(`${where}: config of ${String(className)} must be an object, received ${fmtReceived(config)}`);
  return make({ ...config });
}

/** Keras's name for the same function. */
export const fromConfig = deserializeSchedule;
