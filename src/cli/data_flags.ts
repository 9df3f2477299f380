/** The data flags `hebb train` and `hebb evaluate` share, and their reading into a DataRequest. */
import { choiceFlag, intFlag, listFlag, numberFlag, stringFlag, boolFlag } from './args.js';
import { DATASET_NAMES } from './catalog.js';
import { UsageError, type FlagSpec, type ParsedArgs } from './command.js';
import type { DataRequest } from './task_data.js';

export const DATA_FLAGS: Readonly<Record<string, FlagSpec>> = {
  dataset: { type: 'string', short: 'd', value: 'name', help: `a named dataset: ${DATASET_NAMES.join(', ')}` },
  csv: { type: 'string', value: 'file', help: 'a numeric CSV table with a header line (use with --target)' },
  target: { type: 'string', value: 'column', help: 'the CSV column to predict' },
  exclude: { type: 'string', value: 'a,b', help: 'CSV columns to leave out (e.g. a text column)' },
  'drop-missing': { type: 'boolean', help: 'drop CSV rows with a missing value (default: an error listing them)' },
  task: { type: 'string', value: 'kind', help: 'for --csv: auto, classification or regression [auto]' },
  samples: { type: 'string', value: 'n', help: 'rows of a synthetic dataset [1000, 1500 for spirals]' },
  noise: { type: 'string', value: 'x', help: 'noise of a synthetic dataset (its standard deviation)' },
  'test-size': { type: 'string', value: 'f', help: 'fraction of a table split off (seeded) for testing [0.2]' },
  seed: { type: 'string', value: 'n', help: 'seed of the data, the split, the initial weights and the shuffling [42]' },
};

export const DEFAULT_SEED = 42;

/** What the data flags say; undefined where a flag was not given. */
export type DataFlags = Partial<DataRequest>;

/**
 * The data flags, checked: one of --dataset and --csv, --target with --csv (unless
 * `csvTarget`, a saved model's target column, stands in), values of the right kind.
 */
export function dataFlags(args: ParsedArgs, csvTarget?: string): DataFlags {
  const dataset = stringFlag(args, 'dataset');
  const csv = stringFlag(args, 'csv');
  if (dataset !== undefined && csv !== undefined) throw new UsageError('--dataset and --csv are alternatives; pass one');
  if (dataset !== undefined && !DATASET_NAMES.includes(dataset)) {
    throw new UsageError(`--dataset expects one of ${DATASET_NAMES.join(', ')}, received "${dataset}"`);
  }
  const target = stringFlag(args, 'target') ?? (csv !== undefined ? csvTarget : undefined);
  if (target !== undefined && csv === undefined) throw new UsageError('--target goes with --csv <file>');
  if (csv !== undefined && target === undefined) throw new UsageError('--csv needs --target <column>: the column to predict');
  const seed = intFlag(args, 'seed', 0);
  const testSize = numberFlag(args, 'test-size', { min: 0, max: 1, maxExclusive: true });
  const samples = intFlag(args, 'samples', 2);
  const noise = numberFlag(args, 'noise', { min: 0 });
  const task = choiceFlag(args, 'task', ['auto', 'classification', 'regression'] as const);
  const exclude = listFlag(args, 'exclude');
  const dropMissing = boolFlag(args, 'drop-missing');
  return {
    ...(dataset !== undefined ? { dataset } : {}),
    ...(csv !== undefined ? { csv } : {}),
    ...(target !== undefined ? { target } : {}),
    ...(exclude !== undefined ? { exclude } : {}),
    ...(dropMissing ? { dropMissing } : {}),
    ...(task !== undefined ? { task } : {}),
    ...(samples !== undefined ? { samples } : {}),
    ...(noise !== undefined ? { noise } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(testSize !== undefined ? { testSize } : {}),
  };
}
