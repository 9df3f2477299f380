/**
 * `hebb evaluate <model>`: the loss and metrics of a saved model. The data defaults to the
 * test rows of the model's own run (rebuilt from the hebb-data.json `hebb train` saved:
 * same dataset, seed and split); `--dataset` or `--csv` names other data, scaled with the
 * model's saved statistics.
 */
import { loadModel } from '../../io/model_io/load.js';
import { choiceFlag, intFlag, boolFlag } from '../args.js';
import { EXIT_OK, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.js';
import { DATA_FLAGS, DEFAULT_SEED, dataFlags } from '../data_flags.js';
import { formatLogs } from '../format.js';
import { loadTaskData, readRecipe, type DataRequest } from '../task_data.js';

export const evaluate: Command = {
  name: 'evaluate',
  summary: "a saved model's loss and metrics on its test rows or on other data",
  description: `
Loads a model saved by hebb train (or any TensorFlow.js layers model saved with its training
config) and prints its loss and metrics. Without data flags it uses the test rows of the
model's own run; --csv evaluates every row of that file (--split test: only the rows the
run's seeded split would hold out).`,
  positionals: [{ name: 'model', help: 'the model folder (holding model.json)', required: true }],
  flags: {
    ...DATA_FLAGS,
    split: { type: 'string', value: 'part', help: 'test, train or all [test; all for --csv]' },
    'batch-size': { type: 'string', short: 'b', value: 'n', help: 'samples per batch [32]' },
    json: { type: 'boolean', help: 'print the result as JSON' },
  },
  examples: ['hebb evaluate runs/moons/model', 'hebb evaluate runs/houses/model --csv holdout.csv --json'],
  run: runEvaluate,
};

async function runEvaluate(args: ParsedArgs, io: CliIO): Promise<number> {
  const dir = args.positionals[0];
  if (dir === undefined) throw new UsageError('needs the model folder: hebb evaluate <model>');
  const recipe = readRecipe(dir);
  const flags = dataFlags(args, recipe?.csv?.target);
  const split = choiceFlag(args, 'split', ['test', 'train', 'all'] as const) ?? (flags.csv !== undefined ? 'all' : 'test');
  const batchSize = intFlag(args, 'batch-size', 1) ?? 32;
  const json = boolFlag(args, 'json');
  const own = flags.dataset === undefined && flags.csv === undefined;
  if (own && recipe === null) throw new UsageError(`${dir} has no hebb-data.json (it was not saved by hebb train): name the data with --dataset or --csv`);
  let req: DataRequest;
  if (own && recipe !== null) {
    req = {
      ...(recipe.dataset !== null ? { dataset: recipe.dataset } : {}),
      ...(recipe.csv !== undefined ? { csv: recipe.csv.path, target: recipe.csv.target, exclude: recipe.csv.exclude, dropMissing: recipe.csv.dropMissing } : {}),
      ...(recipe.synthetic ?? {}),
      seed: flags.seed ?? recipe.seed,
      testSize: flags.testSize ?? recipe.testSize,
    };
  } else {
    req = {
      ...flags,
      ...(flags.csv !== undefined && recipe?.featureNames ? { columns: recipe.featureNames } : {}),
      seed: flags.seed ?? recipe?.seed ?? DEFAULT_SEED,
      testSize: flags.testSize ?? recipe?.testSize ?? 0.2,
    };
  }
  const images = req.dataset === 'fashion-mnist' || req.dataset === 'mnist';
  if (images && split === 'all') throw new UsageError('--split all is for tables; the image sets have a train and a test part');
  if (!images && split === 'all') req = { ...req, testSize: 0 };
  if (!images && split !== 'all' && req.testSize === 0) throw new UsageError(`--split ${split} needs a test split (--test-size > 0)`);
  const data = await loadTaskData(req, recipe ?? undefined);
  const part = split === 'test' ? data.test : data.train;
  if (part === null) throw new UsageError(`no ${split} rows in this data`);
  const model = await loadModel(dir);
  if (model.compiled === null) {
    model.dispose();
    throw new UsageError(`${dir} was saved without its training config (loss and metrics): there is nothing to evaluate it with`);
  }
  const logs = await model.evaluate(part.x, part.y, { batchSize, verbose: 0, returnDict: true });
  model.dispose();
  const rows = part.x.shape[0] as number;
  const what = req.dataset ?? req.csv ?? '';
  if (json) io.out(`${JSON.stringify({ model: dir, data: what, split, rows, metrics: logs })}\n`);
  else io.out(`${what} (${split}, ${rows} rows):${formatLogs(logs)}\n`);
  return EXIT_OK;
}
