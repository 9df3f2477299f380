/**
 * The small get/set-state protocol that lets an object take part in a checkpoint of a
 * training run (backupAndRestore): callbacks (early stopping's best and wait, History's
 * epochs), metrics (their running totals) and fit's own trackers describe what they hold as
 * plain values plus tensors, and are given it back in a fresh process.
 *
 * Ownership, both ways: the tensors `getState` returns stay the object's own (the caller
 * reads them at once, before training goes on, and never disposes them); the tensors passed
 * to `setState` stay the caller's (the object copies what it keeps). Values are JSON-like,
 * except that numbers may be ±Infinity, NaN or −0: the writer encodes those (`encodeState`).
 */
import { ValueError, fmtReceived } from './errors.js';
import type { Tensor } from './tensor.js';

export type StateValue = number | string | boolean | null | StateValue[] | { [key: string]: StateValue };

export interface SavedState {
  readonly values: { readonly [key: string]: StateValue };
  readonly tensors: Readonly<Record<string, Tensor>>;
}

export interface Stateful {
  getState(): SavedState;
  /** Checks `state` whole before changing anything; throws a ValueError naming what is wrong. */
  setState(state: SavedState): void;
}

/** JSON of a StateValue tree: numbers JSON cannot hold exactly become `{"$num": "Infinity"}`. */
export function encodeState(v: StateValue): StateValue {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { $num: Object.is(v, -0) ? '-0' : String(v) };
  if (Array.isArray(v)) return v.map(encodeState);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, encodeState(e)]));
  return v;
}

const SPECIAL: Readonly<Record<string, number>> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN, '-0': -0 };

/** The inverse of encodeState, on parsed JSON (anything else is refused, naming `where`). */
export function decodeState(v: unknown, where: string): StateValue {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  if (Array.isArray(v)) return v.map((e) => decodeState(e, where));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$num') {
      const s = o['$num'];
      if (typeof s === 'string' && Object.hasOwn(SPECIAL, s)) return SPECIAL[s] as number;
      throw new ValueError(`${where}: {"$num": ...} must hold Infinity, -Infinity, NaN or -0, received ${fmtReceived(s)}`);
    }
    return Object.fromEntries(keys.map((k) => [k, decodeState(o[k], where)]));
  }
  throw new ValueError(`${where}: expected JSON values, received ${fmtReceived(v)}`);
}

/** Reads a number field of a state (±Infinity allowed), or throws naming `who`. */
export function stateNumber(who: string, state: SavedState, key: string): number {
  const v = state.values[key];
  if (typeof v !== 'number') throw new ValueError(`${who}.setState: "${key}" must be a number, received ${fmtReceived(v)}`);
  return v;
}

/** Reads an integer field >= 0 of a state, or throws naming `who`. */
export function stateCount(who: string, state: SavedState, key: string): number {
  const v = stateNumber(who, state, key);
  if (!Number.isSafeInteger(v) || v < 0) throw new ValueError(`${who}.setState: "${key}" must be an integer >= 0, received ${fmtReceived(v)}`);
  return v;
}
