/**
 * An oracle decides the next trial from the search so far. It keeps no state of its own: all
 * it knows is the trials in the store, so any worker in any process can ask it, a restarted
 * search continues where it stopped, and a seed makes the sequence reproducible (each
 * proposal's random numbers come from the seed split by the number of trials so far).
 */
import { Generator } from '../../core/random.js';
import { ValueError } from '../../core/errors.js';
import { activeValues, mergeSpaces, type HPDef, type HPValues } from '../hyperparameters.js';
import type { ProposeResult, TrialRecord } from '../storage/store.js';

export interface OracleContext {
  readonly trials: readonly TrialRecord[];
  /** The space met so far (the discovery run's, merged with every finished trial's). */
  readonly space: readonly HPDef[];
  readonly direction: 'min' | 'max';
}

export interface Oracle {
  /** Stored with the search; a store holding a search by another oracle refuses to mix them. */
  readonly name: string;
  propose(ctx: OracleContext): ProposeResult;
}

export interface SeededOptions {
  /** [0] Makes the search reproducible. */
  seed?: number;
}

export function proposalGenerator(seed: number, trials: readonly TrialRecord[]): Generator {
  return new Generator(seed).split('hebb.tuner').split(trials.length);
}

/** The space to sample from: the context's, merged with what finished trials discovered. */
export function knownSpace(ctx: OracleContext): HPDef[] {
  return mergeSpaces(ctx.space, ...ctx.trials.map((t) => t.space));
}

/** A value in "lower is better" terms: scores of a maximised objective are negated. */
export function loss(score: number, direction: 'min' | 'max'): number {
  return direction === 'max' ? -score : score;
}

/** Completed trials with a score, best first. */
export function ranked(trials: readonly TrialRecord[], direction: 'min' | 'max'): TrialRecord[] {
  return trials.filter((t) => t.status === 'completed' && t.score !== null && Number.isFinite(t.score)).sort((a, b) => loss(a.score!, direction) - loss(b.score!, direction) || a.id - b.id);
}

export function signature(space: readonly HPDef[], values: HPValues): string {
  return JSON.stringify(Object.entries(activeValues(space, values)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function checkCount(where: string, name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new ValueError(`${where}: ${name} must be an integer >= ${min}, received ${v}`);
}
