/**
 * A search's objective and the direction a bare metric name implies. Pure (no Node imports), so
 * the tuner (Node) and the trials plot (src/plot/tuner_trials.ts, also in the browser bundle)
 * share one rule.
 */

export interface Objective {
  readonly name: string;
  readonly direction: 'min' | 'max';
}

/** 'max' for accuracy-like metric names (accuracy, AUC, precision, recall, F1, R²), 'min' otherwise (losses, errors). */
export function objectiveDirection(name: string): 'min' | 'max' {
  return /acc|auc|precision|recall|f1|r2/i.test(name) ? 'max' : 'min';
}
