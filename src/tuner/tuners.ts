/** The tuners users construct: a Tuner with its oracle, the options of both in one object (KerasTuner's shape). */
import type { Model } from '../models/model.js';
import { AshaOracle, type AshaOptions } from './oracles/asha.js';
import { BayesianOptimizationOracle, type BayesianOptions } from './oracles/bayesian.js';
import { GridSearchOracle, type GridSearchOptions } from './oracles/grid_search.js';
import { HyperbandOracle, type HyperbandOptions } from './oracles/hyperband.js';
import { RandomSearchOracle, type RandomSearchOptions } from './oracles/random_search.js';
import { Tuner, type TunerOptions } from './tuner.js';

export class RandomSearch<M = Model> extends Tuner<M> {
  constructor(options: TunerOptions<M> & RandomSearchOptions) {
    super(new RandomSearchOracle(options), options, options.seed ?? 0);
  }
}

export class GridSearch<M = Model> extends Tuner<M> {
  constructor(options: TunerOptions<M> & GridSearchOptions & { seed?: number }) {
    super(new GridSearchOracle(options), options, options.seed ?? 0);
  }
}

export class Hyperband<M = Model> extends Tuner<M> {
  constructor(options: TunerOptions<M> & HyperbandOptions) {
    super(new HyperbandOracle(options), options, options.seed ?? 0);
  }
}

export class BayesianOptimization<M = Model> extends Tuner<M> {
  constructor(options: TunerOptions<M> & BayesianOptions) {
    super(new BayesianOptimizationOracle(options), options, options.seed ?? 0);
  }
}

export class ASHA<M = Model> extends Tuner<M> {
  constructor(options: TunerOptions<M> & AshaOptions) {
    super(new AshaOracle(options), options, options.seed ?? 0);
  }
}
