/**
 * Grid search: every combination of the parameters' grid values (hyperparameters.gridValues), in
 * odometer order (the last parameter defined varies fastest). A conditional parameter counts
 * only where it is active, so combinations that differ only in inactive values run once. A
 * branch met for the first time during the search adds its parameters to the grid.
 */
import { activeValues, gridValues, isActive, type HPValue, type HPValues } from '../hyperparameters.js';
import type { ProposeResult } from '../storage/store.js';
import { checkCount, knownSpace, signature, type Oracle, type OracleContext } from './oracle.js';

export interface GridSearchOptions {
  /** [all combinations] */
  maxTrials?: number;
}

export class GridSearchOracle implements Oracle {
  readonly name = 'GridSearch';
  readonly maxTrials: number;

  constructor(o: GridSearchOptions = {}) {
    checkCount('GridSearch', 'maxTrials', o.maxTrials, 1);
    this.maxTrials = o.maxTrials ?? Infinity;
  }

  propose(ctx: OracleContext): ProposeResult {
    if (ctx.trials.length >= this.maxTrials) return 'done';
    const space = knownSpace(ctx);
    const seen = new Set(ctx.trials.map((t) => signature(space, t.values)));
    const grids = space.map(gridValues);
    const idx = grids.map(() => 0);
    // Walk the odometer; a digit whose parameter is inactive stays at 0 (its values do not matter).
    for (;;) {
      const values: HPValues = {};
      space.forEach((d, i) => {
        if (isActive(d, values)) values[d.name] = grids[i]![idx[i]!] as HPValue;
      });
      const act = activeValues(space, values);
      if (!seen.has(signature(space, act))) return { values: act };
      let k = space.length - 1;
      for (; k >= 0; k--) {
        const d = space[k]!;
        if (isActive(d, values) && idx[k]! + 1 < grids[k]!.length) {
          idx[k]!++;
          break;
        }
        idx[k] = 0;
      }
      if (k < 0) return 'done';
    }
  }
}
