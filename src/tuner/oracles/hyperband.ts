/**
 * Hyperband (Li et al., 2018), as KerasTuner runs it. With R = maxEpochs and η = factor,
 * sMax = ⌊log_η R⌋; bracket s (sMax down to 0) starts n = ⌈(sMax + 1)/(s + 1)·η^s⌉ random
 * trials at R·η^−s epochs, and each rung of successive halving keeps the best ⌊n/η^i⌋ and
 * trains them η times longer. A promoted trial is a new trial with its parent's values that
 * resumes the parent's checkpoint at the epoch the parent reached (`initialEpoch`), so it
 * trains only the extra epochs.
 *
 * A rung waits for the whole rung below it (synchronous halving); while one bracket waits,
 * the next one may start, so parallel workers stay busy. ASHA (asha.ts) never waits.
 */
import { sampleSpace } from '../hyperparameters.js';
import { ValueError } from '../../core/errors.js';
import type { ProposeResult, TrialRecord } from '../storage/store.js';
import { MAX_DRAWS } from './random_search.js';
import { checkCount, knownSpace, proposalGenerator, ranked, signature, type Oracle, type OracleContext, type SeededOptions } from './oracle.js';

export interface HyperbandOptions extends SeededOptions {
  /** The most epochs any trial trains (R). */
  maxEpochs: number;
  /** [3] η: each rung keeps 1/η of the trials and trains them η times longer. */
  factor?: number;
  /** [1] How many times to run the whole set of brackets. */
  hyperbandIterations?: number;
  /** [no limit] A cap on the number of trials (promotions included). */
  maxTrials?: number;
}

export interface Rung {
  readonly trials: number;
  readonly epochs: number;
}

/** The brackets of one Hyperband iteration, bracket sMax first: the trial count and epochs of each rung. */
export function hyperbandBrackets(maxEpochs: number, factor: number): Rung[][] {
  const sMax = Math.floor(Math.log(maxEpochs) / Math.log(factor) + 1e-9);
  const out: Rung[][] = [];
  for (let s = sMax; s >= 0; s--) {
    const n0 = Math.ceil(((sMax + 1) / (s + 1)) * Math.pow(factor, s));
    const rungs: Rung[] = [];
    for (let i = 0; i <= s; i++) rungs.push({ trials: Math.floor(n0 / Math.pow(factor, i)), epochs: Math.max(1, Math.round(maxEpochs / Math.pow(factor, s - i))) });
    out.push(rungs);
  }
  return out;
}

export class HyperbandOracle implements Oracle {
  readonly name = 'Hyperband';
  readonly brackets: Rung[][];
  private readonly iterations: number;
  private readonly maxTrials: number;
  private readonly seed: number;

  constructor(o: HyperbandOptions) {
    if (typeof o !== 'object' || o === null) throw new ValueError('Hyperband: expected options with maxEpochs');
    checkCount('Hyperband', 'maxEpochs', o.maxEpochs, 1);
    if (o.maxEpochs === undefined) throw new ValueError('Hyperband: maxEpochs is required (the most epochs one trial trains)');
    if (o.factor !== undefined && !(Number.isInteger(o.factor) && o.factor >= 2)) throw new ValueError(`Hyperband: factor must be an integer >= 2, received ${o.factor}`);
    checkCount('Hyperband', 'hyperbandIterations', o.hyperbandIterations, 1);
    checkCount('Hyperband', 'maxTrials', o.maxTrials, 1);
    this.brackets = hyperbandBrackets(o.maxEpochs, o.factor ?? 3);
    this.iterations = o.hyperbandIterations ?? 1;
    this.maxTrials = o.maxTrials ?? Infinity;
    this.seed = o.seed ?? 0;
  }

  propose(ctx: OracleContext): ProposeResult {
    if (ctx.trials.length >= this.maxTrials) return 'done';
    let blocked = false;
    for (let it = 0; it < this.iterations; it++) {
      for (let b = 0; b < this.brackets.length; b++) {
        const r = this.bracket(ctx, it, b);
        if (r === 'wait') blocked = true;
        else if (r !== 'done') return r;
      }
    }
    return blocked ? 'wait' : 'done';
  }

  private bracket(ctx: OracleContext, iteration: number, b: number): ProposeResult {
    const rungs = this.brackets[b]!;
    const at = (i: number): TrialRecord[] => ctx.trials.filter((t) => t.info?.['iteration'] === iteration && t.info?.['bracket'] === b && t.info?.['rung'] === i);
    const info = (i: number, parent: number | null): Record<string, number | null> => ({ iteration, bracket: b, rung: i, parent });
    for (let i = 0; i < rungs.length; i++) {
      const here = at(i);
      const want = rungs[i]!;
      if (here.length < want.trials) {
        if (i === 0) {
          const space = knownSpace(ctx);
          const seen = new Set(ctx.trials.map((t) => signature(space, t.values)));
          const g = proposalGenerator(this.seed, ctx.trials);
          for (let k = 0; k < MAX_DRAWS; k++) {
            const values = sampleSpace(space, g);
            if (!seen.has(signature(space, values))) return { values, epochs: want.epochs, info: info(0, null) };
          }
          return 'done';
        }
        const below = at(i - 1);
        if (below.some((t) => t.status === 'running')) return 'wait';
        const promoted = new Set(here.map((t) => t.info?.['parent']));
        const next = ranked(below, ctx.direction)
          .slice(0, want.trials)
          .find((t) => !promoted.has(t.id));
        // Fewer scored trials than places (some failed): the rung runs short.
        if (next === undefined) continue;
        return { values: next.values, epochs: want.epochs, initialEpoch: rungs[i - 1]!.epochs, info: info(i, next.id) };
      }
      if (here.some((t) => t.status === 'running') && i + 1 < rungs.length) return 'wait';
    }
    return 'done';
  }
}
