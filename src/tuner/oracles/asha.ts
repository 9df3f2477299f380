/**
 * ASHA, asynchronous successive halving (Li et al., "A System for Massively Parallel
 * Hyperparameter Tuning", 2020). Rung k trains to minEpochs·η^k epochs (up to maxEpochs).
 * Whenever a worker asks, the highest rung with a completed trial in the top 1/η of its rung
 * that has not been promoted yet gives that trial one rung more (resuming its checkpoint);
 * otherwise a new random trial starts at rung 0. Nobody waits for a rung to fill, at the
 * price of promoting on incomplete rungs.
 */
import { sampleSpace } from '../hyperparameters.js';
import { ValueError } from '../../core/errors.js';
import type { ProposeResult } from '../storage/store.js';
import { MAX_DRAWS } from './random_search.js';
import { checkCount, knownSpace, proposalGenerator, ranked, signature, type Oracle, type OracleContext, type SeededOptions } from './oracle.js';

export interface AshaOptions extends SeededOptions {
  /** The most epochs any trial trains. */
  maxEpochs: number;
  /** [1] Epochs at rung 0. */
  minEpochs?: number;
  /** [3] η */
  factor?: number;
  /** [10] New trials started at rung 0 (promotions come on top). */
  maxTrials?: number;
}

export class AshaOracle implements Oracle {
  readonly name = 'ASHA';
  /** Epochs of each rung. */
  readonly rungs: number[];
  private readonly factor: number;
  private readonly maxTrials: number;
  private readonly seed: number;

  constructor(o: AshaOptions) {
    if (typeof o !== 'object' || o === null || o.maxEpochs === undefined) throw new ValueError('ASHA: maxEpochs is required (the most epochs one trial trains)');
    checkCount('ASHA', 'maxEpochs', o.maxEpochs, 1);
    checkCount('ASHA', 'minEpochs', o.minEpochs, 1);
    checkCount('ASHA', 'maxTrials', o.maxTrials, 1);
    if (o.factor !== undefined && !(Number.isInteger(o.factor) && o.factor >= 2)) throw new ValueError(`ASHA: factor must be an integer >= 2, received ${o.factor}`);
    const min = o.minEpochs ?? 1;
    if (min > o.maxEpochs) throw new ValueError(`ASHA: minEpochs (${min}) must be <= maxEpochs (${o.maxEpochs})`);
    this.factor = o.factor ?? 3;
    this.rungs = [];
    for (let e = min; e <= o.maxEpochs; e *= this.factor) this.rungs.push(e);
    if (this.rungs[this.rungs.length - 1] !== o.maxEpochs && this.rungs.length > 0) this.rungs.push(o.maxEpochs);
    this.maxTrials = o.maxTrials ?? 10;
    this.seed = o.seed ?? 0;
  }

  propose(ctx: OracleContext): ProposeResult {
    const rungOf = (t: { info?: Readonly<Record<string, number | string | null>> }): number => Number(t.info?.['rung'] ?? 0);
    for (let k = this.rungs.length - 2; k >= 0; k--) {
      const here = ctx.trials.filter((t) => rungOf(t) === k);
      const done = ranked(here, ctx.direction);
      const top = done.slice(0, Math.floor(done.length / this.factor));
      const promoted = new Set(ctx.trials.filter((t) => rungOf(t) === k + 1).map((t) => t.info?.['parent']));
      const next = top.find((t) => !promoted.has(t.id));
      if (next !== undefined) return { values: next.values, epochs: this.rungs[k + 1]!, initialEpoch: this.rungs[k]!, info: { rung: k + 1, parent: next.id } };
    }
    if (ctx.trials.filter((t) => rungOf(t) === 0).length >= this.maxTrials) return 'done';
    const space = knownSpace(ctx);
    const seen = new Set(ctx.trials.map((t) => signature(space, t.values)));
    const g = proposalGenerator(this.seed, ctx.trials);
    for (let i = 0; i < MAX_DRAWS; i++) {
      const values = sampleSpace(space, g);
      if (!seen.has(signature(space, values))) return { values, epochs: this.rungs[0]!, info: { rung: 0, parent: null } };
    }
    return 'done';
  }
}
