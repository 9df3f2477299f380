/**
 * `hb.plot` in Node: each plot as a function that builds the Vega-Lite spec (index.ts), renders
 * it to SVG and, given `file`, writes the SVG or a PNG by the file's extension. Returns both the
 * spec and the SVG, so a caller can embed either.
 */
import { compareRunsSpec, type CompareRunsOptions, type Run } from './compare_runs.js';
import { confusionMatrixSpec, type ConfusionMatrixOptions } from './confusion_matrix.js';
import type { HistoryLike } from './history.js';
import type { Values } from './labels_input.js';
import { learningCurvesSpec, type LearningCurvesOptions } from './learning_curves.js';
import { lrFinderSpec, type LrCurveLike, type LrFinderOptions } from './lr_finder.js';
import { mcDropoutSpec, type McDropoutInput, type McDropoutOptions } from './mc_dropout.js';
import { tunerTrialsSpec, type TrialLike, type TunerTrialsOptions } from './tuner_trials.js';
import { formatOf, toSvg, writePlotFile, type PngOptions } from './render.js';
import type { VegaLiteSpec } from './spec.js';

export * from './index.js';
export { toSvg, svgToPng, fontFiles, type PngOptions } from './render.js';

/** Where to write: `file` ending in .svg or .png; PNG pixels per SVG pixel in `scale`. */
export interface FileOptions extends PngOptions {
  file?: string;
}

export interface Plot {
  spec: VegaLiteSpec;
  svg: string;
  /** The file written, when `file` was given. */
  file?: string;
}

async function draw(who: string, spec: VegaLiteSpec, o: FileOptions): Promise<Plot> {
  if (o.file !== undefined) formatOf(who, o.file); // a bad extension fails before the rendering
  const svg = await toSvg(spec);
  if (o.file === undefined) return { spec, svg };
  writePlotFile(who, o.file, svg, o.scale !== undefined ? { scale: o.scale } : {});
  return { spec, svg, file: o.file };
}

function split<T extends FileOptions>(o: T): [Omit<T, 'file' | 'scale'>, FileOptions] {
  const { file, scale, ...rest } = o;
  return [rest, { ...(file !== undefined ? { file } : {}), ...(scale !== undefined ? { scale } : {}) }];
}

export async function learningCurves(history: HistoryLike, options: LearningCurvesOptions & FileOptions = {}): Promise<Plot> {
  const [o, f] = split(options);
  return draw('plot.learningCurves', learningCurvesSpec(history, o), f);
}

export async function lrFinder(curve: LrCurveLike, options: LrFinderOptions & FileOptions = {}): Promise<Plot> {
  const [o, f] = split(options);
  return draw('plot.lrFinder', lrFinderSpec(curve, o), f);
}

export async function mcDropout(prediction: McDropoutInput, options: McDropoutOptions & FileOptions = {}): Promise<Plot> {
  const [o, f] = split(options);
  return draw('plot.mcDropout', mcDropoutSpec(prediction, o), f);
}

export async function compareRuns(runs: readonly Run[], options: CompareRunsOptions & FileOptions = {}): Promise<Plot> {
  const [o, f] = split(options);
  return draw('plot.compareRuns', compareRunsSpec(runs, o), f);
}

export async function confusionMatrix(yTrue: Values, yPred: Values, options: ConfusionMatrixOptions & FileOptions = {}): Promise<Plot> {
  const [o, f] = split(options);
  return draw('plot.confusionMatrix', confusionMatrixSpec(yTrue, yPred, o), f);
}

export async function tunerTrials(trials: readonly TrialLike[], options: TunerTrialsOptions & FileOptions): Promise<Plot> {
  const [o, f] = split(options);
  return draw('plot.tunerTrials', tunerTrialsSpec(trials, o), f);
}
