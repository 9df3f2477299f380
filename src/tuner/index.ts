/** Hyperparameter tuning (docs/TUNING.md): hyperparameters, oracles, tuners and the stores trials live in. Node only (storage). */
export { HyperParameters, type HPDef, type HPValue, type HPValues, type RangeOptions, type Sampling } from './hyperparameters.js';
export { Tuner, TunerSetupError, bestOf, inferObjective, type BuildFn, type FitHook, type FitResult, type Objective, type TunerOptions } from './tuner.js';
export { ASHA, BayesianOptimization, GridSearch, Hyperband, RandomSearch } from './tuners.js';
export type { Oracle, OracleContext } from './oracles/oracle.js';
export { RandomSearchOracle, type RandomSearchOptions } from './oracles/random_search.js';
export { GridSearchOracle, type GridSearchOptions } from './oracles/grid_search.js';
export { HyperbandOracle, hyperbandBrackets, type HyperbandOptions } from './oracles/hyperband.js';
export { AshaOracle, type AshaOptions } from './oracles/asha.js';
export { BayesianOptimizationOracle, type BayesianOptions } from './oracles/bayesian.js';
export { GaussianProcess } from './oracles/gp.js';
export { MemoryStore } from './storage/memory.js';
export { openStore, type StorageSpec } from './storage/open.js';
export type { TrialRecord, TrialStore, TrialStatus, SearchConfig } from './storage/store.js';
export { trialsTable } from './table.js';
