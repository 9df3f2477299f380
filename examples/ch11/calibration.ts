/**
 * Calibration measures for the Monte Carlo dropout experiment, computed on the host from
 * predicted class probabilities (row-major [n, classes]) and integer labels.
 *
 * - Log loss: the mean of −log p(true class), with p clipped to [1e-7, 1 − 1e-7] as Keras's
 *   cross-entropy clips (its backend epsilon), so one confident mistake is finite.
 * - Expected calibration error (Guo et al. 2017, "On Calibration of Modern Neural Networks"):
 *   the confidence of a prediction is its largest probability; the predictions are put in
 *   `bins` equal-width bins over [0, 1] by confidence (bin m holds (m−1)/M < conf ≤ m/M, the
 *   first bin also holds 0), and ECE = Σ_m |B_m|/n · |accuracy(B_m) − mean confidence(B_m)|.
 *   15 bins is the paper's choice.
 */

export const LOG_LOSS_EPSILON = 1e-7;

function rowsOf(probs: ArrayLike<number>, labels: ArrayLike<number>): { n: number; k: number } {
  const n = labels.length;
  if (n === 0 || probs.length % n !== 0) throw new Error(`calibration: ${probs.length} probabilities do not split into ${n} rows`);
  return { n, k: probs.length / n };
}

export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { n, k } = rowsOf(probs, labels);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[i * k + (labels[i] as number)] as number;
    s -= Math.log(Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON));
  }
  return s / n;
}

/** Fraction of rows whose largest probability is at the true label (first maximum wins). */
export function accuracy(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { n, k } = rowsOf(probs, labels);
  let correct = 0;
  for (let i = 0; i < n; i++) if (argmaxRow(probs, i, k).index === labels[i]) correct++;
  return correct / n;
}

function argmaxRow(probs: ArrayLike<number>, i: number, k: number): { index: number; value: number } {
  let index = 0;
  let value = probs[i * k] as number;
  for (let j = 1; j < k; j++) {
    const v = probs[i * k + j] as number;
    if (v > value) {
      value = v;
      index = j;
    }
  }
  return { index, value };
}

export interface CalibrationBin {
  /** Upper edge of the bin, m/M. */
  upper: number;
  count: number;
  accuracy: number;
  confidence: number;
}

/** ECE with `bins` equal-width confidence bins, and the bins themselves (for a reliability table). */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): { ece: number; bins: CalibrationBin[] } {
  const { n, k } = rowsOf(probs, labels);
  const count = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const conf = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const { index, value } = argmaxRow(probs, i, k);
    const m = Math.min(bins - 1, Math.max(0, Math.ceil(value * bins) - 1));
    count[m] = (count[m] as number) + 1;
    conf[m] = (conf[m] as number) + value;
    if (index === labels[i]) correct[m] = (correct[m] as number) + 1;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let m = 0; m < bins; m++) {
    const c = count[m] as number;
    const acc = c > 0 ? (correct[m] as number) / c : 0;
    const cf = c > 0 ? (conf[m] as number) / c : 0;
    ece += (c / n) * Math.abs(acc - cf);
    out.push({ upper: (m + 1) / bins, count: c, accuracy: acc, confidence: cf });
  }
  return { ece, bins: out };
}
