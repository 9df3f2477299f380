/**
 * Node side of the plots: a Vega-Lite spec compiled by vega-lite, laid out by vega's headless
 * View (no canvas: text widths come from the font's own metrics, text_width.ts), written as SVG, or rasterized to PNG by resvg (Rust, prebuilt for each platform:
 * no native build step, no browser). resvg is given the DejaVu fonts from the dejavu-fonts-ttf
 * package and no system fonts, so a PNG shows its text on a machine without any font installed
 * and looks the same everywhere.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { ValueError } from '../core/errors.js';
import type { VegaLiteSpec } from './spec.js';
import { fontMeasure } from './text_width.js';

const require = createRequire(import.meta.url);

/** The TrueType files resvg draws text with. */
export function fontFiles(): string[] {
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(dir, f));
}

let measuring = false;

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

/** Vega's text widths from DejaVu Sans's own metrics (text_width.ts), once per process. */
function measureWithFont(): void {
  if (measuring) return;
  const measure = fontMeasure(fontFiles()[0] as string);
  // vega calls width(item, line) for each text line; item carries the font size and weight.
  // textMetrics is exported by vega (vega-scenegraph) but missing from its typings.
  (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics.width = (item: TextItem, text: unknown): number => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    // 3% over the advances: resvg's shaping (kerning, hinting at 2x) may set a line a little wider.
    return text == null ? 0 : 1.03 * measure(String(text).trim(), size, bold);
  };
  measuring = true;
}

/** The spec as an SVG document. */
export async function toSvg(spec: VegaLiteSpec): Promise<string> {
  measureWithFont();
  const { spec: vg } = compile(spec);
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** [2] PNG pixels per SVG pixel: sharp on a high-density screen, still small. */
export interface PngOptions {
  scale?: number;
}

/** An SVG document as PNG bytes. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  return rasterize(svg, options).asPng();
}

/** The SVG drawn by resvg with the packaged fonts: RGBA `pixels`, `width`, `height`, `asPng()`. */
export function rasterize(svg: string, options: PngOptions = {}): ReturnType<Resvg['render']> {
  const scale = options.scale ?? 2;
  if (!(typeof scale === 'number' && scale > 0 && scale <= 8)) throw new ValueError(`svgToPng: scale must be a number in (0, 8], received ${String(scale)}`);
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render();
}

export type PlotFormat = 'svg' | 'png';

/** The format a file's extension names; anything but .svg or .png is refused. */
export function formatOf(who: string, file: string): PlotFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.svg') return 'svg';
  if (ext === '.png') return 'png';
  throw new ValueError(`${who}: file "${file}" must end in .svg or .png (the format to write), received "${ext || 'no extension'}"`);
}

/**
 * Writes the SVG (or its PNG) to `file`: to a temporary file beside it first, renamed into
 * place, so a failed write never leaves half a picture.
 */
export function writePlotFile(who: string, file: string, svg: string, options: PngOptions = {}): void {
  const bytes = formatOf(who, file) === 'svg' ? svg : svgToPng(svg, options);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
