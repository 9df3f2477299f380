/**
 * `hebb train`: data in, a trained, evaluated and saved model out. With no flags it runs the
 * embedded demo (an MLP on the built-in `moons` set: no files, no network, seconds).
 *
 * It writes, under --out (default runs/<dataset>):
 *   model/             the model in TensorFlow.js layers format (model.json + weights),
 *                      with hebb-data.json: how its inputs were made and scaled
 *   history.json       {epoch, history, params, test}: the per-epoch logs, the input of a plot
 *   history.csv        the same logs from the CSVLogger callback, one row per epoch
 *   metrics.json       the test metrics
 *   checkpoint/        with --checkpoint: the best model by the monitored loss
 *   logs/              with --tensorboard: TensorBoard event files
 * The learning curves belong beside history.json: the place is marked `curves` below.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { listBackends, setBackend } from '../../core/engine.js';
import { setSeed } from '../../core/random.js';
import { resetLayerNames } from '../../layers/layer_names.js';
import { sliceRows } from '../../io/datasets/arrays.js';
import { CSVLogger } from '../../callbacks/csv_logger.js';
import { EarlyStopping } from '../../callbacks/early_stopping.js';
import { ModelCheckpoint } from '../../callbacks/model_checkpoint.js';
import { ProgbarLogger } from '../../callbacks/progbar.js';
import { TensorBoard } from '../../callbacks/tensorboard.js';
import type { Callback, Logs } from '../../callbacks/callback.js';
import { boolFlag, choiceFlag, intFlag, intListFlag, numberFlag, stringFlag } from '../args.js';
import { CSV_DEFAULTS, findDataset } from '../catalog.js';
import { EXIT_OK, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.js';
import { DATA_FLAGS, DEFAULT_SEED, dataFlags } from '../data_flags.js';
import { OPTIMIZERS, buildModel, checkActivation, modelFileKind } from '../model_spec.js';
import { RECIPE_FILE, loadTaskData, type Split } from '../task_data.js';
import { formatLogs } from '../format.js';
import { learningCurves } from '../../plot/node.js';
import { writePlotFile } from '../../plot/render.js';

/** The dataset `hebb train` uses when none is named: the demo. */
export const DEMO_DATASET = 'moons';

export const train: Command = {
  name: 'train',
  summary: 'train a model on a dataset or a CSV file, evaluate it and save it (no flags: the demo)',
  description: `
Trains a model, evaluates it on held-out test rows and saves it with its history.
With no flags, runs the demo: an MLP on the built-in "moons" dataset (no files, no network).

Data: --dataset <name>, or --csv <file> --target <column>. Tables are split (seeded) into
training and test rows and standardized with statistics of the training rows; the image sets
use their official test set and pixels scaled to [0, 1].
Model: --layers/--activation (a Dense stack with a softmax or linear head), or --model with a
JSON model config (Keras/TensorFlow.js topology) or a .js/.mjs factory file (docs/CLI.md).
Defaults depend on the dataset (fashion-mnist/mnist: the book's 300,100 relu, SGD, 30 epochs).`,
  flags: {
    ...DATA_FLAGS,
    model: { type: 'string', short: 'm', value: 'file', help: 'a JSON model config, or a .js/.mjs/.ts file exporting a model factory' },
    layers: { type: 'string', value: 'n,n', help: 'hidden Dense layer sizes, e.g. 300,100' },
    activation: { type: 'string', value: 'name', help: 'activation of the hidden layers [relu]' },
    optimizer: { type: 'string', value: 'name', help: `${OPTIMIZERS.join(', ')}` },
    lr: { type: 'string', value: 'rate', help: "learning rate [the optimizer's default, or the dataset's]" },
    epochs: { type: 'string', short: 'e', value: 'n', help: 'training epochs' },
    'batch-size': { type: 'string', short: 'b', value: 'n', help: 'samples per gradient step [32]' },
    'validation-split': { type: 'string', value: 'f', help: 'fraction of the training rows (the last ones) kept for validation' },
    'early-stopping': { type: 'string', value: 'patience', help: 'stop after this many epochs without a better validation loss (restores the best weights)' },
    checkpoint: { type: 'boolean', help: 'save the best model so far to <out>/checkpoint after each epoch' },
    tensorboard: { type: 'boolean', help: 'write TensorBoard logs to <out>/logs' },
    backend: { type: 'string', value: 'name', help: 'compute backend (e.g. wasm, cpu) [the fastest available]' },
    out: { type: 'string', short: 'o', value: 'dir', help: 'output folder [runs/<dataset>]' },
    verbose: { type: 'string', short: 'v', value: '0|1|2', help: '0 quiet, 1 progress bar, 2 one line per epoch [1]' },
  },
  examples: [
    'hebb train',
    'hebb train --dataset fashion-mnist',
    'hebb train --dataset california-housing --layers 50,50,50 --optimizer adam --lr 1e-3 --epochs 20',
    'hebb train --csv houses.csv --target price --early-stopping 5',
    'hebb train --dataset iris --model my_model.mjs',
  ],
  run: runTrain,
};

/** The last `fraction` of the rows (Keras's validationSplit takes the end, before shuffling). */
function holdOut(s: Split, fraction: number): { train: Split; val: Split | null } {
  const n = s.x.shape[0] as number;
  const nVal = Math.round(n * fraction);
  if (nVal === 0) return { train: s, val: null };
  if (nVal >= n) throw new UsageError(`--validation-split ${fraction} leaves no training rows out of ${n}`);
  return {
    train: { x: sliceRows(s.x, 0, n - nVal), y: sliceRows(s.y, 0, n - nVal) },
    val: { x: sliceRows(s.x, n - nVal), y: sliceRows(s.y, n - nVal) },
  };
}

async function runTrain(args: ParsedArgs, io: CliIO): Promise<number> {
  // Every flag is read and checked before anything is loaded or trained.
  const data = dataFlags(args);
  const demo = data.dataset === undefined && data.csv === undefined;
  const datasetName = demo ? DEMO_DATASET : data.dataset;
  const entry = datasetName !== undefined ? findDataset(datasetName) : undefined;
  const defaults = entry?.defaults ?? CSV_DEFAULTS;
  const modelFile = stringFlag(args, 'model');
  if (modelFile !== undefined) modelFileKind(modelFile);
  const layers = intListFlag(args, 'layers') ?? [...defaults.layers];
  const activation = stringFlag(args, 'activation') ?? defaults.activation;
  if (modelFile === undefined) checkActivation(activation);
  const optimizer = choiceFlag(args, 'optimizer', OPTIMIZERS) ?? defaults.optimizer;
  const lrFlag = numberFlag(args, 'lr', { min: 0, minExclusive: true });
  // A dataset's learning rate goes with its optimizer; another optimizer keeps its own default.
  const learningRate = lrFlag ?? (optimizer === defaults.optimizer ? defaults.learningRate : undefined);
  const epochs = intFlag(args, 'epochs', 1) ?? defaults.epochs;
  const batchSize = intFlag(args, 'batch-size', 1) ?? defaults.batchSize;
  const validationSplit = numberFlag(args, 'validation-split', { min: 0, max: 1, maxExclusive: true }) ?? defaults.validationSplit;
  const patience = intFlag(args, 'early-stopping', 0);
  const verboseFlag = choiceFlag(args, 'verbose', ['0', '1', '2'] as const);
  const verbose = verboseFlag === undefined ? 1 : Number(verboseFlag);
  const backend = stringFlag(args, 'backend');
  if (backend !== undefined && !listBackends().includes(backend)) throw new UsageError(`--backend expects one of ${listBackends().join(', ')}, received "${backend}"`);
  const seed = data.seed ?? DEFAULT_SEED;
  const label = datasetName ?? basename(data.csv as string, extname(data.csv as string));
  const out = stringFlag(args, 'out') ?? join('runs', label);
  const say = (s: string): void => {
    if (verbose > 0) io.out(`${s}\n`);
  };

  if (backend !== undefined) setBackend(backend);
  // Initial weights come from the seed split by layer name, so a run starts from fresh names
  // (Keras's clear_session): the same flags give the same run, in a new process or not.
  resetLayerNames();
  setSeed(seed);
  if (demo) say('hebb train: the demo (an MLP on the built-in "moons" dataset); see hebb train --help for your own data');
  const taskData = await loadTaskData({ ...data, ...(datasetName !== undefined ? { dataset: datasetName } : {}), seed, testSize: data.testSize ?? defaults.testSize });
  for (const n of taskData.notes) say(n);
  const { recipe } = taskData;
  const { model, source } = await buildModel({ ...(modelFile !== undefined ? { file: modelFile } : {}), layers, activation, optimizer, ...(learningRate !== undefined ? { learningRate } : {}) }, recipe);
  say(`model: ${source}; ${model.optimizer?.name ?? optimizer}${learningRate !== undefined && modelFile === undefined ? ` (learning rate ${learningRate})` : ''}, ${epochs} epochs, batch size ${batchSize}`);
  if (verbose > 0) model.summary((line) => io.out(`${line}\n`));

  const { train: fitSet, val } = holdOut(taskData.train, validationSplit);
  const monitor = val !== null ? 'val_loss' : 'loss';
  await mkdir(out, { recursive: true });
  const callbacks: Callback[] = [];
  if (verbose > 0) callbacks.push(new ProgbarLogger({ stream: io.progress, ...(verbose === 2 ? { dynamic: false } : {}) }));
  const historyCsv = join(out, 'history.csv');
  callbacks.push(new CSVLogger({ filename: historyCsv }));
  if (patience !== undefined) callbacks.push(new EarlyStopping({ monitor, patience, restoreBestWeights: true }));
  if (boolFlag(args, 'checkpoint')) callbacks.push(new ModelCheckpoint({ filepath: join(out, 'checkpoint'), monitor, saveBestOnly: true }));
  if (boolFlag(args, 'tensorboard')) callbacks.push(new TensorBoard({ logDir: join(out, 'logs') }));

  const t0 = performance.now();
  const history = await model.fit(fitSet.x, fitSet.y, { epochs, batchSize, verbose: 0, callbacks, ...(val !== null ? { validationData: [val.x, val.y] as const } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  let test: Logs | null = null;
  if (taskData.test !== null) test = await model.evaluate(taskData.test.x, taskData.test.y, { batchSize, verbose: 0, returnDict: true });

  const modelDir = join(out, 'model');
  await model.save(modelDir);
  await writeFile(join(modelDir, RECIPE_FILE), `${JSON.stringify(recipe, null, 2)}\n`);
  const historyJson = join(out, 'history.json');
  const record = { epoch: history.epoch, history: history.history, params: { ...history.params, batchSize, seed, dataset: recipe.dataset ?? data.csv }, test, seconds };
  await writeFile(historyJson, `${JSON.stringify(record, null, 2)}\n`);
  const metricsJson = join(out, 'metrics.json');
  await writeFile(metricsJson, `${JSON.stringify(test ?? {}, null, 2)}\n`);
  // The learning curves of history.json, as SVG (to embed) and PNG (to look at); rendered once.
  const curves = { svg: join(out, 'curves.svg'), png: join(out, 'curves.png') };
  // A history the plot refuses (every loss NaN) must not cost the saved run: warn and go on.
  let plotted = true;
  try {
    const drawn = await learningCurves(record, { file: curves.svg, title: `hebb train: ${label}` });
    writePlotFile('hebb train', curves.png, drawn.svg);
  } catch (e) {
    plotted = false;
    io.err(`hebb train: warning: no learning curves (${e instanceof Error ? e.message : String(e)})\n`);
  }

  const ran = history.epoch.length;
  say(`trained ${ran} epoch${ran === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${patience !== undefined && ran < epochs ? ` (early stopping: no better ${monitor} for ${patience === 0 ? 'one epoch' : `${patience} epochs`}; the best epoch's weights were restored)` : ''}`);
  if (test !== null) say(`test:${formatLogs(test)}`);
  say(`model:   ${modelDir}`);
  say(`history: ${historyJson} (and ${historyCsv})`);
  say(`metrics: ${metricsJson}`);
  if (plotted) say(`curves:  ${curves.png} (and ${curves.svg})`);
  model.dispose();
  return EXIT_OK;
}
