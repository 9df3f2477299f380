/**
 * The model of `hebb train`: built from flags (`--layers 300,100 --activation relu`), read from
 * a JSON model config (a Keras/TensorFlow.js `modelTopology`, or a whole model.json, whose
 * weights are ignored: the model starts untrained), or made by a JavaScript file's factory.
 *
 * A factory file (`.js`, `.mjs`, `.cjs`; `.ts`/`.mts` where Node can run TypeScript, see
 * docs/CLI.md) exports, as `default` or `createModel`, a function that receives
 * `{hb, inputShape, task, numClasses}` and returns a Model (or a promise of one). `hb` is the
 * library the command itself runs, so the model is made by the same engine that trains it,
 * whatever copy of hebb the file's own imports would find. A model the factory compiled is
 * trained as compiled; otherwise it is compiled from the flags like the others.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getActivation } from '../activations.js';
import { ValueError } from '../core/errors.js';
import { input } from '../layers/input.js';
import { Flatten } from '../layers/flatten.js';
import { Dense } from '../layers/dense.js';
import { Model } from '../models/model.js';
import { sequential } from '../models/sequential.js';
import { modelFromTopology } from '../io/model_io/load.js';
import { getOptimizer } from '../optimizers/index.js';
import type { CompileOptions } from '../training/compile.js';
import type { Task } from './catalog.js';
import { UsageError } from './command.js';
import type { DataRecipe } from './task_data.js';

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'adagrad', 'adamax', 'nadam', 'rmsprop'] as const;

export interface ModelRequest {
  /** --model: a .json config or a factory file. */
  readonly file?: string;
  readonly layers: readonly number[];
  readonly activation: string;
  readonly optimizer: string;
  readonly learningRate?: number;
}

/** What a factory file's function receives. */
export interface FactoryContext {
  readonly hb: typeof import('../index.js');
  readonly inputShape: readonly number[];
  readonly task: Task;
  /** 0 for a regression. */
  readonly numClasses: number;
}

export function checkActivation(name: string): void {
  try {
    getActivation(name as Parameters<typeof getActivation>[0]);
  } catch (e) {
    const names = e instanceof ValueError ? /expected one of (.*?) \(or/.exec(e.message)?.[1] : undefined;
    throw new UsageError(`--activation expects an activation name${names ? ` (${names})` : ''}, received "${name}"`);
  }
}

function fromFlags(req: ModelRequest, recipe: DataRecipe): Model {
  checkActivation(req.activation);
  const hidden = req.layers.map((units) => new Dense({ units, activation: req.activation as 'relu' }));
  const head = recipe.task === 'classification' ? new Dense({ units: recipe.numClasses, activation: 'softmax' }) : new Dense({ units: 1 });
  const flatten = recipe.inputShape.length > 1 ? [new Flatten()] : [];
  return sequential([input({ shape: [...recipe.inputShape] }), ...flatten, ...hidden, head]);
}

async function fromJson(file: string): Promise<Model> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ValueError(`--model ${file}: cannot read it as JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const topology = typeof json === 'object' && json !== null && 'modelTopology' in json ? json.modelTopology : json;
  return modelFromTopology(topology, `--model ${file}`);
}

async function fromFactory(file: string, recipe: DataRecipe): Promise<Model> {
  const ext = extname(file);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
    if ((ext === '.ts' || ext === '.mts') && code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new UsageError(
        `--model ${file}: this Node (${process.version}) cannot run TypeScript; compile the file (npx tsc) and pass the .js, or use Node >= 22.18 (or 22.6+ with NODE_OPTIONS=--experimental-strip-types)`,
      );
    }
    throw new ValueError(`--model ${file}: importing the file failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const make = mod['default'] ?? mod['createModel'];
  if (typeof make !== 'function') throw new ValueError(`--model ${file}: the file must export a function (default export or createModel) that returns a model; it exports ${Object.keys(mod).join(', ') || 'nothing'}`);
  const hb = await import('../index.js');
  const ctx: FactoryContext = { hb, inputShape: recipe.inputShape, task: recipe.task, numClasses: recipe.numClasses };
  const model: unknown = await (make as (c: FactoryContext) => unknown)(ctx);
  if (!(model instanceof Model)) {
    throw new ValueError(`--model ${file}: the factory returned ${model === null ? 'null' : typeof model}, expected a hebb Model (build it with the hb it receives: ({hb}) => hb.sequential([...]))`);
  }
  return model;
}

/** Loss and metrics for the task; the optimizer from the flags. */
export function compileOptions(task: Task, req: ModelRequest): CompileOptions {
  const optimizer = getOptimizer(req.learningRate !== undefined ? { className: req.optimizer, config: { learningRate: req.learningRate } } : (req.optimizer as (typeof OPTIMIZERS)[number]));
  return task === 'classification'
    ? { loss: 'sparseCategoricalCrossentropy', optimizer, metrics: ['accuracy'] }
    : { loss: 'mse', optimizer, metrics: ['rmse'] };
}

const FACTORY_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts'];

/** --model's file kind, checked before any data is loaded. */
export function modelFileKind(file: string): 'json' | 'factory' {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (FACTORY_EXTENSIONS.includes(ext)) return 'factory';
  throw new UsageError(`--model expects a .json model config or a .js/.mjs/.cjs/.ts factory file, received "${file}"`);
}

/** The model for a run, compiled, and where it came from (printed). */
export async function buildModel(req: ModelRequest, recipe: DataRecipe): Promise<{ model: Model; source: string }> {
  let model: Model;
  let source: string;
  if (req.file === undefined) {
    model = fromFlags(req, recipe);
    source = `Dense ${req.layers.join(', ')} (${req.activation})`;
  } else if (modelFileKind(req.file) === 'json') {
    model = await fromJson(req.file);
    source = `the config ${req.file}`;
  } else {
    model = await fromFactory(req.file, recipe);
    source = `the factory in ${req.file}`;
  }
  if (model.compiled === null) model.compile(compileOptions(recipe.task, req));
  else source += ' (compiled by the factory: --optimizer and --lr are not used)';
  return { model, source };
}
