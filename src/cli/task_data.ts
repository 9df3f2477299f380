/**
 * The data of one run, ready for fit: a named dataset or a user's CSV, split into training
 * and test rows, scaled, as float32 features and int32 class ids (or float32 values). What
 * was done is kept as a `DataRecipe` (written beside the saved model as hebb-data.json), so
 * `hebb evaluate` rebuilds the same test rows and `hebb predict` scales new rows the same
 * way, with the scaler fitted on the training rows only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HostArray } from '../io/datasets/arrays.js';
import { takeRows, trainTestSplitIndices } from '../io/datasets/arrays.js';
import { loadCsv } from '../io/tabular/csv_table.js';
import { StandardScaler, type StandardScalerState } from '../io/tabular/scaler.js';
import { findDataset, type TableData, type Task } from './catalog.js';
import { CommandError, UsageError } from './command.js';
import { ValueError } from '../core/errors.js';

export const RECIPE_FILE = 'hebb-data.json';

export type Scaling = { kind: 'pixels'; divisor: number } | ({ kind: 'standard' } & StandardScalerState);

/** How a run's data was made: enough to rebuild its test rows and to scale new inputs. */
export interface DataRecipe {
  readonly format: 1;
  /** A catalog name, or null for a CSV. */
  readonly dataset: string | null;
  readonly csv?: { readonly path: string; readonly target: string; readonly exclude: readonly string[]; readonly dropMissing: boolean };
  readonly synthetic?: { readonly samples?: number; readonly noise?: number };
  readonly task: Task;
  readonly seed: number;
  readonly testSize: number;
  readonly inputShape: readonly number[];
  /** 0 for a regression. */
  readonly numClasses: number;
  readonly classNames: readonly string[] | null;
  readonly featureNames: readonly string[] | null;
  readonly targetName: string | null;
  readonly scaling: Scaling;
}

export interface Split {
  readonly x: HostArray<Float32Array>;
  readonly y: HostArray<Int32Array | Float32Array>;
}

export interface TaskData {
  readonly recipe: DataRecipe;
  readonly train: Split;
  readonly test: Split | null;
  /** Lines printed before training (what was loaded, what was chosen). */
  readonly notes: readonly string[];
}

export interface DataRequest {
  readonly dataset?: string;
  readonly csv?: string;
  readonly target?: string;
  readonly exclude?: readonly string[];
  /** The CSV feature columns, in order (a saved model's, for evaluate). */
  readonly columns?: readonly string[];
  readonly dropMissing?: boolean;
  readonly task?: Task | 'auto';
  readonly seed: number;
  readonly testSize: number;
  readonly samples?: number;
  readonly noise?: number;
}

function f32(a: HostArray, scale?: (v: number, j: number) => number): HostArray<Float32Array> {
  const d = a.shape.length > 1 ? (a.shape[a.shape.length - 1] as number) : 1;
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = scale ? scale(a.data[i] as number, i % d) : (a.data[i] as number);
  return { data: out, shape: [...a.shape] };
}

/** Targets as the task wants them: int32 class ids, or float32 values shaped [n, 1]. */
function targets(y: HostArray, task: Task, where: string): HostArray<Int32Array | Float32Array> {
  const n = y.shape[0] as number;
  if (task === 'regression') return { data: Float32Array.from(y.data), shape: [n, 1] };
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = y.data[i] as number;
    if (!Number.isInteger(v) || v < 0) throw new UsageError(`${where}: a classification target must hold class ids 0, 1, 2, ..., received ${v} in row ${i + 1}; pass --task regression for a numeric target`);
    ids[i] = v;
  }
  return { data: ids, shape: [n] };
}

/** 'auto': classification when the target holds few distinct non-negative integers. */
export function guessTask(y: ArrayLike<number>): { task: Task; reason: string } {
  const distinct = new Set<number>();
  let integral = true;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isInteger(v) || v < 0) integral = false;
    distinct.add(v);
  }
  const limit = Math.max(2, Math.min(20, Math.floor(y.length / 10)));
  if (integral && distinct.size <= limit) return { task: 'classification', reason: `the target holds ${distinct.size} distinct class ids` };
  return { task: 'regression', reason: integral ? `the target holds ${distinct.size} distinct integers (more than ${limit})` : 'the target holds non-integer values' };
}

async function loadCsvTable(req: DataRequest & { csv: string }, notes: string[]): Promise<{ table: TableData; task: Task }> {
  {
    if (req.target === undefined) throw new UsageError('--csv needs --target <column>: the column to predict');
    const t = await loadCsv(req.csv, { target: req.target, ...(req.exclude ? { exclude: req.exclude } : {}), ...(req.columns ? { columns: req.columns } : {}), missing: req.dropMissing ? 'drop' : 'error' });
    if (t.droppedLines.length > 0) {
      notes.push(`dropped ${t.droppedLines.length} rows with missing values (lines ${t.droppedLines.slice(0, 10).join(', ')}${t.droppedLines.length > 10 ? ', ...' : ''})`);
    }
    const y = t.target as HostArray<Float64Array>;
    let task: Task;
    if (req.task === undefined || req.task === 'auto') {
      const g = guessTask(y.data);
      task = g.task;
      notes.push(`task: ${task} (${g.reason}; --task ${task === 'classification' ? 'regression' : 'classification'} to override)`);
    } else task = req.task;
    let classNames: string[] | null = null;
    if (task === 'classification') {
      let k = 0;
      y.data.forEach((v) => (k = Math.max(k, v + 1)));
      classNames = Array.from({ length: k }, (_, c) => String(c));
    }
    return { table: { kind: 'table', x: t.data, y, featureNames: t.featureNames, targetName: req.target, classNames }, task };
  }
}

/**
 * Loads, splits and scales the data a run asks for. With `saved` (a trained model's recipe),
 * features are scaled with its scaling instead of statistics of these rows, and its task
 * and class count are kept.
 */
export async function loadTaskData(req: DataRequest, saved?: DataRecipe): Promise<TaskData> {
  const notes: string[] = [];
  const entry = req.dataset !== undefined ? findDataset(req.dataset) : undefined;
  if (req.dataset !== undefined && entry === undefined) throw new UsageError(`unknown dataset "${req.dataset}"`);
  const synthetic = entry !== undefined && entry.files === null ? { ...(req.samples !== undefined ? { samples: req.samples } : {}), ...(req.noise !== undefined ? { noise: req.noise } : {}) } : undefined;
  let table: TableData;
  let task: Task;
  const name = entry?.name ?? null;
  if (entry !== undefined) {
    const loaded = await entry.load({ seed: req.seed, ...(synthetic ?? {}) });
    if (loaded.kind === 'images') {
      const d = loaded.data;
      const scaling: Scaling = { kind: 'pixels', divisor: 255 };
      const recipe: DataRecipe = { format: 1, dataset: entry.name, task: 'classification', seed: req.seed, testSize: 0, inputShape: [28, 28], numClasses: d.classNames.length, classNames: d.classNames, featureNames: null, targetName: null, scaling };
      return {
        recipe,
        train: { x: f32(d.xTrain, (v) => v / 255), y: targets(d.yTrain, 'classification', entry.name) },
        test: { x: f32(d.xTest, (v) => v / 255), y: targets(d.yTest, 'classification', entry.name) },
        notes: [`${entry.name}: ${d.xTrain.shape[0]} training and ${d.xTest.shape[0]} test images (the official test set), pixels scaled to [0, 1]`],
      };
    }
    table = loaded;
    task = entry.task;
  } else {
    if (req.csv === undefined) throw new UsageError('no data: pass --dataset <name> or --csv <file> --target <column>');
    ({ table, task } = await loadCsvTable({ ...req, csv: req.csv, ...(saved && req.task === undefined ? { task: saved.task } : {}) }, notes));
  }
  if (saved !== undefined && saved.task !== task) throw new UsageError(`the model was trained for ${saved.task}, but this data is a ${task} task`);
  const n = table.x.shape[0] as number;
  const y = targets(table.y, task, name ?? (req.csv as string));
  const split = req.testSize > 0 ? trainTestSplitIndices(n, { testSize: req.testSize, seed: req.seed, ...(task === 'classification' ? { stratify: y.data } : {}) }) : null;
  const xTrain = split ? takeRows(table.x, split.train) : table.x;
  const scaling: Scaling = saved !== undefined ? saved.scaling : { kind: 'standard', ...new StandardScaler().fit(xTrain).toJSON() };
  const scale = (a: HostArray<Float64Array>): HostArray<Float32Array> => applyScaling({ scaling }, a);
  const recipe: DataRecipe = {
    format: 1,
    dataset: name,
    ...(req.csv !== undefined ? { csv: { path: req.csv, target: req.target as string, exclude: req.exclude ?? [], dropMissing: req.dropMissing ?? false } } : {}),
    ...(synthetic !== undefined ? { synthetic } : {}),
    task,
    seed: req.seed,
    testSize: req.testSize,
    inputShape: [table.x.shape[1] as number],
    numClasses: saved?.numClasses ?? (task === 'classification' ? (table.classNames?.length ?? 0) : 0),
    classNames: saved?.classNames ?? table.classNames,
    featureNames: table.featureNames,
    targetName: table.targetName,
    scaling,
  };
  notes.unshift(`${name ?? req.csv}: ${n} rows, ${table.x.shape[1]} features (${task}); ${split ? `${split.train.length} for training, ${split.test.length} for testing (seed ${req.seed}), ` : ''}features standardized ${saved !== undefined ? "with the model's saved statistics" : 'on the training rows'}`);
  return {
    recipe,
    train: { x: scale(xTrain), y: split ? takeRows(y, split.train) : y },
    test: split ? { x: scale(takeRows(table.x, split.test)), y: takeRows(y, split.test) } : null,
    notes,
  };
}

/** Scales feature rows as the recipe says (for evaluate/predict on new data). */
export function applyScaling(recipe: Pick<DataRecipe, 'scaling'>, x: HostArray): HostArray<Float32Array> {
  const s = recipe.scaling;
  if (s.kind === 'pixels') return f32(x, (v) => v / s.divisor);
  const scaler = StandardScaler.fromJSON(s);
  const rows = { data: x.data instanceof Float64Array ? x.data : Float64Array.from(x.data), shape: x.shape };
  return f32(scaler.transform(rows));
}

/** The recipe saved in a model folder, or null when the folder has none (a model not made by hebb train). */
export function readRecipe(model: string): DataRecipe | null {
  if (!existsSync(model)) throw new CommandError(`${model}: no such model folder or file`);
  const modelDir = basename(model) === 'model.json' ? dirname(model) : model;
  const p = join(modelDir, RECIPE_FILE);
  if (!existsSync(p)) return null;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new ValueError(`${p}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || !('format' in v) || v.format !== 1 || !('task' in v) || !('scaling' in v)) throw new ValueError(`${p}: not a hebb data recipe (format 1)`);
  return v as DataRecipe;
}
