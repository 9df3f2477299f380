import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { BayesianOptimizationOracle } from '../../src/tuner/oracles/bayesian.js';
import { RandomSearchOracle } from '../../src/tuner/oracles/random_search.js';
import { branin, simulate } from './simulate.js';
const hp = new HyperParameters();
hp.float('x1', { min: -5, max: 10 }); hp.float('x2', { min: 0, max: 15 });
const f = (v: Record<string, unknown>) => branin(v['x1'] as number, v['x2'] as number);
for (let seed = 0; seed < 5; seed++) {
  const t0 = Date.now();
  const bo = simulate(new BayesianOptimizationOracle({ maxTrials: 40, seed }), hp.space, f);
  const t1 = Date.now();
  const rs = simulate(new RandomSearchOracle({ maxTrials: 40, seed }), hp.space, f);
  const first = (ts: typeof bo) => ts.findIndex((t) => t.score! < 0.5);
  console.log(seed, 'bo', first(bo), Math.min(...bo.map((t) => t.score!)).toFixed(3), 'rs', first(rs), Math.min(...rs.map((t) => t.score!)).toFixed(3), 'ms', t1 - t0);
}
