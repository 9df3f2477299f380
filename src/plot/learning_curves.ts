/**
 * Learning curves as the book draws them (Géron, ch. 10: `pd.DataFrame(history.history).plot(
 * grid=True, ylim=[0, 1], xlabel="Epoch")`): every logged value on one axis against the epoch,
 * the grid on, one colour per metric with training dashed and validation solid (the book's
 * "r--", "b-" pairs), and the [0, 1] range when a score such as accuracy is plotted (widened
 * only if a loss goes above 1, so that nothing is cut off).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { available, readHistory, type HistoryLike } from './history.js';
import { extent, header, isUnitMetric, type PlotSizeOptions, type Row, type VegaLiteSpec } from './spec.js';

export interface LearningCurvesOptions extends PlotSizeOptions {
  /** [all but learning_rate] the logged names to draw (`['loss', 'val_loss']`); each must be in the history. */
  metrics?: readonly string[];
}

/** The book's palette order (matplotlib's tab10): red for the loss, blue for the first score, ... */
const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const DASH_TRAIN = [6, 4];
const DASH_VAL: number[] = [];

const WHO = 'plot.learningCurves';

/** Logged names that are settings, not measures, left out unless asked for. */
export const NOT_METRICS = ['learning_rate', 'lr'];

/** The names to draw, in the book's order: each metric, its val_ twin after it; loss first. */
export function orderSeries(names: readonly string[]): string[] {
  const bases: string[] = [];
  for (const n of names) {
    const b = n.replace(/^val_/, '');
    if (!bases.includes(b)) bases.push(b);
  }
  bases.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  return bases.flatMap((b) => [b, `val_${b}`].filter((n) => names.includes(n)));
}

/** The y range: [0, 1] (or [0, max] past 1) when a score is drawn; else fitted to the data. */
export function yDomain(names: readonly string[], values: Iterable<number | null>): [number, number] | null {
  if (!names.some(isUnitMetric)) return null;
  const e = extent(values);
  const hi = e === null ? 1 : Math.max(1, e[1]);
  const lo = e === null ? 0 : Math.min(0, e[0]);
  return [lo, hi];
}

const OPTIONS: OptionKeys<LearningCurvesOptions> = { title: true, width: true, height: true, metrics: true };

export function learningCurvesSpec(history: HistoryLike, options: LearningCurvesOptions = {}): VegaLiteSpec {
  checkOptions(WHO, options, OPTIONS);
  const h = readHistory(WHO, history);
  const logged = Object.keys(h.series);
  // The rate is logged beside the metrics (fit's learning_rate) but is not one: off by default.
  let names = logged.filter((n) => !NOT_METRICS.includes(n));
  if (names.length === 0) names = logged;
  if (options.metrics !== undefined) {
    if (!Array.isArray(options.metrics) || options.metrics.length === 0 || !options.metrics.every((m) => typeof m === 'string')) {
      throw new ValueError(`${WHO}: metrics must be a non-empty array of names, received ${fmtReceived(options.metrics)}`);
    }
    for (const m of options.metrics) {
      if (!logged.includes(m)) throw new ValueError(`${WHO}: unknown metric "${m}"; the history has ${available(h.series)}`);
    }
    names = [...options.metrics];
  }
  const order = orderSeries(names);
  const rows: Row[] = [];
  for (const name of order) {
    const v = h.series[name] as (number | null)[];
    h.epochs.forEach((epoch, i) => rows.push({ epoch, series: name, value: v[i] ?? null }));
  }
  const bases = [...new Set(order.map((n) => n.replace(/^val_/, '')))];
  const color = (n: string) => PALETTE[bases.indexOf(n.replace(/^val_/, '')) % PALETTE.length] as string;
  const domain = yDomain(order, rows.map((r) => r['value'] as number | null));
  const single = h.epochs.length === 1;
  return {
    ...header(options, WHO),
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 2, point: single || h.epochs.length <= 30 ? { filled: true, size: single ? 60 : 22 } : false },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', scale: { domain: [h.epochs[0] as number, Math.max(h.epochs[h.epochs.length - 1] as number, (h.epochs[0] as number) + 1)], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: order.length === 1 ? order[0] : 'Value', scale: domain !== null ? { domain, nice: false } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: order, range: order.map(color) }, legend: { orient: 'right', symbolType: 'stroke' } },
      strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: order, range: order.map((n) => (n.startsWith('val_') ? DASH_VAL : DASH_TRAIN)) } },
      tooltip: [{ field: 'series', type: 'nominal' }, { field: 'epoch', type: 'quantitative' }, { field: 'value', type: 'quantitative', format: '.4f' }],
    },
  } as VegaLiteSpec;
}
