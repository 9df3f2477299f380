/**
 * The plot spec builders (`hb.plot.*Spec`): pure functions from a history, a learning-rate
 * curve, MC-dropout predictions or labels to a Vega-Lite spec, which a page renders with
 * vega-embed. In Node, `hb.plot.learningCurves` and friends (node.ts) also render it to SVG or
 * PNG and write the file.
 */
export { learningCurvesSpec, type LearningCurvesOptions } from './learning_curves.js';
export { lrFinderSpec, type LrFinderOptions, type LrCurveLike } from './lr_finder.js';
export { mcDropoutSpec, type McDropoutOptions, type McDropoutInput } from './mc_dropout.js';
export { compareRunsSpec, type CompareRunsOptions, type Run } from './compare_runs.js';
export { confusionMatrixSpec, confusionCounts, type ConfusionMatrixOptions } from './confusion_matrix.js';
export type { HistoryLike } from './history.js';
export type { Values } from './labels_input.js';
export type { VegaLiteSpec, PlotSizeOptions } from './spec.js';
export { tunerTrialsSpec, runningBest, type TunerTrialsOptions, type TrialLike } from './tuner_trials.js';
