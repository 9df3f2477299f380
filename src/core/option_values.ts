/**
 * Checks of option values by kind, for options whose TypeScript type a JavaScript caller (or a
 * cast) can get around: `dense({useBias: 'no'})` must fail, not keep its bias because 'no' is
 * truthy. Each returns the value (or the default when the option is absent, i.e. undefined) and
 * throws a ValueError naming where, the option and what was received.
 */
import { ValueError, fmtReceived } from './errors.js';

/** A boolean option: true, false, or absent (the default). `where` is e.g. `Dense "dense_1"` or `fit`. */
export function boolOption(where: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ValueError(`${where}: ${name} must be true or false, received ${fmtReceived(value)}`);
  return value;
}

/** A positive integer option (units, batchSize); absent gives the default. */
export function positiveInt(where: string, name: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${where}: ${name} must be a positive integer, received ${fmtReceived(value)}`);
  }
  return value;
}
