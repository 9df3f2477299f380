/** Random search: each trial draws every parameter independently from its sampling distribution. */
import { sampleSpace } from '../hyperparameters.js';
import type { ProposeResult } from '../storage/store.js';
import { checkCount, knownSpace, proposalGenerator, signature, type Oracle, type OracleContext, type SeededOptions } from './oracle.js';

export interface RandomSearchOptions extends SeededOptions {
  /** [10] */
  maxTrials?: number;
}

/** Draws until unseen values come up; a space this many draws cannot escape is exhausted (KerasTuner also gives up, after 100). */
export const MAX_DRAWS = 100;

export class RandomSearchOracle implements Oracle {
  readonly name = 'RandomSearch';
  readonly maxTrials: number;
  private readonly seed: number;

  constructor(o: RandomSearchOptions = {}) {
    checkCount('RandomSearch', 'maxTrials', o.maxTrials, 1);
    this.maxTrials = o.maxTrials ?? 10;
    this.seed = o.seed ?? 0;
  }

  propose(ctx: OracleContext): ProposeResult {
    if (ctx.trials.length >= this.maxTrials) return 'done';
    const space = knownSpace(ctx);
    const seen = new Set(ctx.trials.map((t) => signature(space, t.values)));
    const g = proposalGenerator(this.seed, ctx.trials);
    for (let i = 0; i < MAX_DRAWS; i++) {
      const values = sampleSpace(space, g);
      if (!seen.has(signature(space, values))) return { values };
    }
    return 'done';
  }
}
