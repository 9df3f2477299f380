/**
 * What the plot builders share: the spec type, the look (one font, the grid, sizes), and the
 * checks on series of numbers. Pure: no Node imports, so the builders run in a page too (the
 * Node side, render.ts, turns a spec into SVG or PNG).
 *
 * The font is DejaVu Sans because the PNG renderer (resvg) gets that font from the
 * dejavu-fonts-ttf package rather than from the system, which on a CI machine may have none;
 * the SVG names it first and falls back to any sans-serif in a browser.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite spec (what vega-embed or `vega-lite`'s compile take). */
export type VegaLiteSpec = TopLevelSpec;

/** One row of a plot's inline data. */
export type Row = Record<string, string | number | null>;

export const FONT = 'DejaVu Sans, sans-serif';

/** Options every builder takes. */
export interface PlotSizeOptions {
  /** The plot's title; none when omitted. */
  title?: string;
  /** [480] the plotting area's width in pixels (axes and legend come on top). */
  width?: number;
  /** [300] the plotting area's height in pixels. */
  height?: number;
}

/** The look of every plot: white background, the grid on, readable text. */
export function baseConfig(): NonNullable<TopLevelSpec['config']> {
  return {
    font: FONT,
    background: 'white',
    padding: 10,
    axis: { grid: true, gridColor: '#dddddd', labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', domainColor: '#444444', tickColor: '#444444' },
    legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', symbolStrokeWidth: 2, symbolSize: 150 },
    title: { fontSize: 14, fontWeight: 'normal', anchor: 'middle' },
    view: { stroke: '#444444' },
  };
}

/** The top of a spec: schema, title, size, config. */
export function header(o: PlotSizeOptions, who: string, defaults: { width: number; height: number } = { width: 480, height: 300 }): Pick<TopLevelSpec, '$schema' | 'config'> & { title?: string; width: number; height: number } {
  const width = size(who, 'width', o.width, defaults.width);
  const height = size(who, 'height', o.height, defaults.height);
  if (o.title !== undefined && typeof o.title !== 'string') throw new ValueError(`${who}: title must be a string, received ${fmtReceived(o.title)}`);
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...(o.title !== undefined ? { title: o.title } : {}), width, height, config: baseConfig() };
}

function size(who: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 50 || v > 4000) throw new ValueError(`${who}: ${name} must be a whole number of pixels in [50, 4000], received ${fmtReceived(v)}`);
  return v;
}

/**
 * A series as plot data: finite numbers stay, NaN and ±Infinity become null, which Vega-Lite
 * draws as a gap in a line (its default "break-paths" mode) and leaves out of the scales.
 * A series with no finite value at all says nothing and is refused.
 */
export function seriesValues(who: string, name: string, v: unknown): (number | null)[] {
  // null too: JSON.stringify writes a NaN as null, so a history.json holds its NaNs that way.
  const ok = isNumberList(v) || (Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null));
  if (!ok) throw new ValueError(`${who}: ${name} must be an array of numbers, received ${fmtReceived(v)}`);
  const out = Array.from(v as ArrayLike<number | null>, (x) => (x !== null && Number.isFinite(x) ? x : null));
  if (out.length > 0 && out.every((x) => x === null)) throw new ValueError(`${who}: ${name} has no finite value (${out.length} values, all NaN or infinite)`);
  return out;
}

export function isNumberList(v: unknown): v is ArrayLike<number> {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return true;
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/**
 * Whether a Keras log name is a score in [0, 1] (accuracy, AUC, precision, recall, F1), whose
 * plot gets the [0, 1] range; losses and errors (mse, mae) do not.
 */
export function isUnitMetric(name: string): boolean {
  const base = name.replace(/^val_/, '').toLowerCase();
  return /(^|_)acc(uracy)?($|_)|accuracy|(^|_)auc($|_)|precision|recall|(^|_)f1|fbeta/.test(base);
}

/** The finite values' [min, max], or null when there are none. */
export function extent(values: Iterable<number | null>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo <= hi ? [lo, hi] : null;
}
