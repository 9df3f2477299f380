/**
 * A hyperparameter search's picture (ISSUE15; Optuna's plot_optimization_history and
 * plot_slice): on top the score of each completed trial in the order the trials were made, with
 * the running best as a step line, so one sees whether the search is still finding better
 * trials; below it one panel per hyperparameter against the score: a scatter for a number (a log
 * x axis when it was log-sampled, as learning rates are), and the scores of each value as a
 * box with its points for a choice or a boolean.
 *
 * Input is the stored trials (`tuner.trials()`, or a store's `list()`), as `hebb plot --tuner`
 * reads them from SQLite or PostgreSQL. The score drawn is the stored one (the tuner's rule:
 * the objective's best over the trial's epochs, the mean over executions); failed and running
 * trials, and completed ones that have no score, are left out and counted in the subtitle.
 * Pure (no Node imports, no tuner runtime), so it runs in a page too.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { HPDef, HPValue } from '../tuner/hyperparameters.js';
import { objectiveDirection, type Objective } from '../tuner/objective.js';
import type { TrialRecord } from '../tuner/storage/store.js';
import { baseConfig, type PlotSizeOptions, type Row, type VegaLiteSpec } from './spec.js';

const WHO = 'plot.tunerTrials';

/** What the plot reads of a stored trial. */
export type TrialLike = Pick<TrialRecord, 'id' | 'status' | 'score' | 'values' | 'space'> & { readonly metrics?: TrialRecord['metrics'] };

export interface TunerTrialsOptions extends PlotSizeOptions {
  /**
   * The search's objective: a metric name, or {name, direction}. Its name titles the score axes;
   * its direction says which way the running best goes. A bare name is 'max' for accuracy-like
   * names (acc, auc, precision, recall, f1, r2), else 'min': the tuner's own rule.
   */
  objective: string | { name: string; direction: 'min' | 'max' };
  /** [3] Hyperparameter panels per row. */
  columns?: number;
}

const OPTIONS: OptionKeys<TunerTrialsOptions> = { title: true, width: true, height: true, objective: true, columns: true };

function objectiveOf(o: unknown): Objective {
  if (typeof o === 'string' && o !== '') return { name: o, direction: objectiveDirection(o) };
  if (typeof o === 'object' && o !== null) {
    const { name, direction } = o as Record<string, unknown>;
    if (typeof name === 'string' && name !== '' && (direction === 'min' || direction === 'max')) return { name, direction };
  }
  throw new ValueError(`${WHO}: objective must be a metric name or {name, direction: 'min' | 'max'}, received ${fmtReceived(o)}`);
}

/** The running best of `scores` in order: the lowest so far for 'min', the highest for 'max'. */
export function runningBest(scores: readonly number[], direction: 'min' | 'max'): number[] {
  const out: number[] = [];
  let best = direction === 'min' ? Infinity : -Infinity;
  for (const s of scores) {
    best = direction === 'min' ? Math.min(best, s) : Math.max(best, s);
    out.push(best);
  }
  return out;
}

/** The definition of each hyperparameter the trials ran with, by first appearance; fixed ones (one value) say nothing and are left out. */
function parameters(trials: readonly TrialLike[]): HPDef[] {
  const defs = new Map<string, HPDef>();
  for (const t of trials) for (const d of t.space ?? []) if (!defs.has(d.name)) defs.set(d.name, d);
  // A value with no definition (a store written by hand): numbers drawn linearly, anything else by value.
  for (const t of trials) {
    for (const [name, v] of Object.entries(t.values)) {
      if (defs.has(name)) continue;
      defs.set(name, typeof v === 'number' ? { type: 'float', name, min: v, max: v, sampling: 'linear', default: v } : { type: 'choice', name, values: [], ordered: false, default: v });
    }
  }
  return [...defs.values()].filter((d) => d.type !== 'fixed');
}

/** int and float: a scatter. A choice, even of numbers (hp.choice('units', [16, 32, 64])), is drawn by value: a few columns, not a cloud. */
function isNumeric(d: HPDef): boolean {
  return d.type === 'int' || d.type === 'float';
}

function checkTrials(trials: unknown): asserts trials is readonly TrialLike[] {
  if (!Array.isArray(trials)) throw new ValueError(`${WHO}: trials must be an array of stored trials (tuner.trials() or a store's list()), received ${fmtReceived(trials)}`);
  trials.forEach((t: unknown, i) => {
    const r = t as Partial<TrialLike> | null;
    if (typeof r !== 'object' || r === null || typeof r.id !== 'number' || typeof r.status !== 'string' || typeof r.values !== 'object' || r.values === null) {
      throw new ValueError(`${WHO}: trials[${i}] must be a stored trial with id, status, score and values, received ${fmtReceived(t)}`);
    }
  });
}

/** The names logged by the completed trials' epochs, for the unknown-objective message. */
function loggedNames(trials: readonly TrialLike[]): Set<string> {
  const names = new Set<string>();
  for (const t of trials) for (const e of t.metrics ?? []) for (const k of Object.keys(e.logs)) if (k !== 'execution') names.add(k);
  return names;
}

export function tunerTrialsSpec(trials: readonly TrialLike[], options: TunerTrialsOptions): VegaLiteSpec {
  if (typeof options !== 'object' || options === null) throw new ValueError(`${WHO}: options must be an object with the objective, received ${fmtReceived(options)}`);
  checkOptions(WHO, options, OPTIONS);
  checkTrials(trials);
  const objective = objectiveOf(options.objective);
  const columns = options.columns ?? 3;
  if (!Number.isInteger(columns) || columns < 1 || columns > 12) throw new ValueError(`${WHO}: columns must be a whole number in [1, 12], received ${fmtReceived(options.columns)}`);
  const byId = [...trials].sort((a, b) => a.id - b.id);
  const done = byId.filter((t) => t.status === 'completed' && typeof t.score === 'number' && Number.isFinite(t.score));
  const skipped = { failed: 0, running: 0, unscored: 0 };
  for (const t of byId) {
    if (t.status === 'failed') skipped.failed++;
    else if (t.status === 'running') skipped.running++;
    else if (!done.includes(t)) skipped.unscored++;
  }
  if (done.length === 0) {
    throw new ValueError(`${WHO}: no completed trial with a score to draw (${trials.length} trials: ${skipped.failed} failed, ${skipped.running} running, ${skipped.unscored} completed without a score)`);
  }
  // The score is the stored one, so the objective only names it; a name the trials never logged is a mistake (a trial whose fit returned a number logs no epochs, and proves nothing).
  const logged = loggedNames(done);
  if (logged.size > 0 && !logged.has(objective.name)) throw new ValueError(`${WHO}: unknown objective "${objective.name}": the trials logged ${[...logged].join(', ')}`);

  const width = options.width ?? 480;
  const height = options.height ?? 260;
  for (const [k, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 50 || v > 4000) throw new ValueError(`${WHO}: ${k} must be a whole number of pixels in [50, 4000], received ${fmtReceived(v)}`);
  }
  const best = runningBest(done.map((t) => t.score as number), objective.direction);
  const rows: Row[] = done.map((t, i) => ({ trial: t.id, score: t.score as number, best: best[i] as number }));
  const y = { field: 'score', type: 'quantitative', title: objective.name, scale: { zero: false } } as const;
  const history = {
    width,
    height,
    title: { text: `${objective.name} per trial (${objective.direction === 'min' ? 'lower' : 'higher'} is better)`, subtitle: subtitle(done.length, skipped) },
    data: { values: rows },
    layer: [
      { mark: { type: 'line', interpolate: 'step-after', color: '#d62728', strokeWidth: 2 }, encoding: { x: { field: 'trial', type: 'quantitative' }, y: { field: 'best', type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 50, color: '#1f77b4', opacity: 0.8 },
        encoding: { x: { field: 'trial', type: 'quantitative', title: 'Trial', scale: { nice: false, padding: 8 }, axis: { tickMinStep: 1, format: 'd' } }, y },
      },
    ],
  };
  const panelW = Math.max(120, Math.round(width / Math.min(columns, 3)) - 60);
  const panels = parameters(done).map((d) => panel(d, done, objective, panelW, Math.round(height * 0.8)));
  const spec: Record<string, unknown> = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title !== undefined ? { title: String(options.title) } : {}),
    config: { ...baseConfig(), concat: { spacing: 30 } },
    vconcat: panels.length === 0 ? [history] : [history, { columns, concat: panels }],
  };
  return spec as unknown as VegaLiteSpec;
}

function subtitle(n: number, s: { failed: number; running: number; unscored: number }): string {
  const left = [s.failed > 0 ? `${s.failed} failed` : '', s.running > 0 ? `${s.running} running` : '', s.unscored > 0 ? `${s.unscored} without a score` : ''].filter((x) => x !== '');
  return `${n} completed trial${n === 1 ? '' : 's'}; running best as a line${left.length > 0 ? `; left out: ${left.join(', ')}` : ''}`;
}

function panel(d: HPDef, trials: readonly TrialLike[], objective: Objective, width: number, height: number): Record<string, unknown> {
  const rows: Row[] = trials.filter((t) => t.values[d.name] !== undefined).map((t) => ({ trial: t.id, score: t.score as number, value: cell(t.values[d.name] as HPValue) }));
  const y = { field: 'score', type: 'quantitative', title: objective.name, scale: { zero: false } } as const;
  if (isNumeric(d)) {
    const log = (d.type === 'int' || d.type === 'float') && d.sampling === 'log';
    const ticks = log ? decades(rows.map((r) => r.value as number)) : [];
    // A log axis ticks at the powers of ten and spans them; an int's axis has whole ticks only (no "1.5 layers").
    const scale = log ? { type: 'log', domain: [ticks[0], ticks[ticks.length - 1]], nice: false } : { zero: false };
    const axis = log ? { format: '.0e', values: ticks } : d.type === 'int' ? { format: 'd', tickMinStep: d.sampling === 'linear' ? (d.step ?? 1) : 1 } : {};
    const x = { field: 'value', type: 'quantitative', title: log ? `${d.name} (log scale)` : d.name, scale, axis };
    return { width, height, data: { values: rows }, mark: { type: 'point', filled: true, size: 45, color: '#1f77b4', opacity: 0.8 }, encoding: { x, y } };
  }
  const order = d.type === 'choice' && d.values.length > 0 ? d.values.map(cell) : d.type === 'boolean' ? ['false', 'true'] : undefined;
  const x = { field: 'value', type: 'nominal', title: d.name, ...(order !== undefined ? { sort: order, scale: { domain: order } } : {}), axis: { labelAngle: 0 } };
  return {
    width,
    height,
    data: { values: rows },
    layer: [
      { mark: { type: 'boxplot', extent: 'min-max', size: 24, color: '#9ecae1', median: { color: '#08519c' }, opacity: 0.7 }, encoding: { x, y } },
      { mark: { type: 'point', filled: true, size: 40, color: '#1f77b4', opacity: 0.8 }, encoding: { x, y } },
    ],
  };
}

/** A value as plot data: numbers stay numbers; strings and booleans become their text (a nominal axis). */
function cell(v: HPValue): string | number {
  return typeof v === 'number' ? v : String(v);
}

/** The powers of ten spanning the values: a log axis's ticks and grid (vega's own puts a line at every 2..9 as well). */
function decades(values: readonly number[]): number[] {
  const pos = values.filter((v) => v > 0);
  if (pos.length === 0) return [];
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  const hi = Math.ceil(Math.log10(Math.max(...pos)));
  return Array.from({ length: hi - lo + 1 }, (_, i) => Number(`1e${lo + i}`));
}
