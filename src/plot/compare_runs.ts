/**
 * Several runs side by side: one metric (default val_loss where every run has it, else loss)
 * against the epoch, one coloured line per run, so that "which flags trained better" is one
 * look. Scores (accuracy...) get the [0, 1] range, as in the learning curves.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { readHistory, type HistoryLike } from './history.js';
import { yDomain } from './learning_curves.js';
import { header, type PlotSizeOptions, type Row, type VegaLiteSpec } from './spec.js';

const WHO = 'plot.compareRuns';

export interface Run {
  /** The run's name in the legend (`hebb plot` uses its folder). */
  name: string;
  history: HistoryLike;
}

export interface CompareRunsOptions extends PlotSizeOptions {
  /** [val_loss, or loss when a run has no validation] the logged name to compare. */
  metric?: string;
}

const OPTIONS: OptionKeys<CompareRunsOptions> = { title: true, width: true, height: true, metric: true };

export function compareRunsSpec(runs: readonly Run[], options: CompareRunsOptions = {}): VegaLiteSpec {
  checkOptions(WHO, options, OPTIONS);
  if (!Array.isArray(runs) || runs.length === 0) throw new ValueError(`${WHO}: runs must be a non-empty array of {name, history}, received ${fmtReceived(runs)}`);
  const read = runs.map((r, i) => {
    if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || r.name === '') throw new ValueError(`${WHO}: runs[${i}] must be {name: a non-empty string, history}, received ${fmtReceived(r)}`);
    return { name: r.name, h: readHistory(WHO, r.history, `runs[${i}] ("${r.name}")`) };
  });
  const names = read.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new ValueError(`${WHO}: two runs are named "${dup}"; give each run its own name`);
  const common = Object.keys(read[0]?.h.series ?? {}).filter((k) => read.every((r) => k in r.h.series));
  const metric = options.metric ?? (common.includes('val_loss') ? 'val_loss' : 'loss');
  if (typeof metric !== 'string') throw new ValueError(`${WHO}: metric must be a string, received ${fmtReceived(metric)}`);
  for (const r of read) {
    if (!(metric in r.h.series)) {
      throw new ValueError(`${WHO}: run "${r.name}" has no "${metric}"; every run has ${common.length > 0 ? common.map((k) => `"${k}"`).join(', ') : 'no name in common'}`);
    }
  }
  const rows: Row[] = read.flatMap((r) => r.h.epochs.map((epoch, i) => ({ run: r.name, epoch, value: (r.h.series[metric] as (number | null)[])[i] ?? null })));
  const domain = yDomain([metric], rows.map((r) => r['value'] as number | null));
  const epochs = rows.map((r) => r['epoch'] as number);
  const lo = Math.min(...epochs);
  const hi = Math.max(...epochs, lo + 1);
  return {
    ...header(options, WHO),
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 2, point: hi - lo <= 30 ? { filled: true, size: 22 } : false },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', scale: { domain: [lo, hi], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: domain !== null ? { domain, nice: false } : { zero: false } },
      color: { field: 'run', type: 'nominal', title: 'Run', scale: { domain: names, scheme: 'category10' }, legend: { orient: 'right', symbolType: 'stroke', labelLimit: 260 } },
      tooltip: [{ field: 'run', type: 'nominal' }, { field: 'epoch', type: 'quantitative' }, { field: 'value', type: 'quantitative', format: '.4f' }],
    },
  } as VegaLiteSpec;
}
