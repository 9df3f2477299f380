/**
 * Drives an oracle without training anything: each proposal is scored by a cheap function of
 * its values and recorded as a completed trial, as the tuner would (for oracle tests: Branin,
 * successive halving on a known curve).
 */
import type { HPDef, HPValues } from '../../src/tuner/hyperparameters.js';
import type { Oracle } from '../../src/tuner/oracles/oracle.js';
import type { Proposal, TrialRecord } from '../../src/tuner/storage/store.js';

export function record(id: number, p: Proposal, score: number | null, space: readonly HPDef[] = []): TrialRecord {
  return {
    ...p,
    id,
    status: 'completed',
    space,
    metrics: [],
    score,
    bestEpoch: null,
    checkpoint: null,
    worker: 'test:0',
    attempts: 1,
    createdAt: id,
    startedAt: id,
    endedAt: id,
    heartbeatAt: id,
    error: null,
  };
}

/** Runs the oracle to 'done' (or `limit` trials); `objective(values, proposal)` gives each trial's score. */
export function simulate(oracle: Oracle, space: readonly HPDef[], objective: (v: HPValues, p: Proposal) => number, direction: 'min' | 'max' = 'min', limit = 1000): TrialRecord[] {
  const trials: TrialRecord[] = [];
  while (trials.length < limit) {
    const p = oracle.propose({ trials, space, direction });
    if (p === 'done') break;
    if (p === 'wait') throw new Error('the oracle waits although every trial is completed');
    trials.push(record(trials.length, p, objective(p.values, p), space));
  }
  return trials;
}

/** Branin–Hoo on x1 ∈ [−5, 10], x2 ∈ [0, 15]; global minimum 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475). */
export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}
