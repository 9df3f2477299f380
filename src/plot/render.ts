/**
 * Node side of the plots: a Vega-Lite spec compiled by vega-lite, laid out by vega's headless
 * View (no canvas: vega estimates text widths generously, so labels get room rather than
 * overlap), written as SVG, or rasterized to PNG by resvg (Rust, prebuilt for each platform:
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

const require = createRequire(import.meta.url);

/** The TrueType files resvg draws text with. */
export function fontFiles(): string[] {
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(dir, f));
}

/** The spec as an SVG document. */
export async function toSvg(spec: VegaLiteSpec): Promise<string> {
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
