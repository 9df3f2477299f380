/**
 * Normalization.adapt's statistics: per-position mean and population variance over the
 * reduced axes, computed on the host in float64. The data are visited `batchSize` samples at a
 * time (the batch axis first); each batch's mean and sum of squared deviations (two passes
 * over the batch, so no cancellation from Σx² − n·mean²) are merged into the running totals
 * with Chan, Golub & LeVeque's pairwise update:
 *   n = na + nb, δ = mean_b − mean_a, mean = mean_a + δ·nb/n, M2 = M2_a + M2_b + δ²·na·nb/n.
 */
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { positiveInt } from '../core/option_values.js';
import type { TypedArray } from '../core/dtype.js';

/** Raw values with their shape, batch axis first (row-major). */
export interface AdaptData {
  data: TypedArray | readonly number[];
  shape: readonly number[];
}

export interface AdaptStatistics {
  mean: Float64Array;
  variance: Float64Array;
  /** Values per statistic. */
  count: number;
}

export function adaptStatistics(
  values: ArrayLike<number>,
  shape: readonly number[],
  keepAxes: readonly number[],
  batchSize: number,
  who: string,
): AdaptStatistics {
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new ShapeError(`${who}.adapt: data of shape ${fmtShape(shape)} needs ${size} values, received ${values.length}`);
  if (size === 0) throw new ValueError(`${who}.adapt: the data are empty (shape ${fmtShape(shape)})`);
  positiveInt(`${who}.adapt`, 'batchSize', batchSize);
  // NaN or ±Infinity would turn the statistics (and then every output) into NaN without a word.
  for (let i = 0; i < size; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new ValueError(`${who}.adapt: data contains ${v} at sample ${rank === 0 ? 0 : Math.floor(i / (size / (shape[0] as number)))} (flat index ${i}); expected finite numbers`);
    }
  }
  // Stride of each axis in the flattened statistics (0 on reduced axes).
  const kStride = new Array<number>(rank).fill(0);
  let stats = 1;
  for (let j = keepAxes.length - 1; j >= 0; j--) {
    const d = keepAxes[j] as number;
    kStride[d] = stats;
    stats *= shape[d] as number;
  }
  const mean = new Float64Array(stats);
  const m2 = new Float64Array(stats);
  const n = new Float64Array(stats);
  const bMean = new Float64Array(stats);
  const bM2 = new Float64Array(stats);
  const bN = new Float64Array(stats);
  const rows = rank === 0 ? 1 : (shape[0] as number);
  const rowSize = rank === 0 ? 1 : size / rows;
  const idx = new Array<number>(rank).fill(0);

  // Visits flat elements [start, end) with their statistic index k (an odometer over the axes).
  const visit = (start: number, end: number, f: (v: number, k: number) => void): void => {
    let rem = start;
    let k = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const dim = shape[d] as number;
      idx[d] = rem % dim;
      rem = Math.floor(rem / dim);
      k += (idx[d] as number) * (kStride[d] as number);
    }
    for (let i = start; i < end; i++) {
      f(values[i] as number, k);
      for (let d = rank - 1; d >= 0; d--) {
        idx[d] = (idx[d] as number) + 1;
        k += kStride[d] as number;
        if ((idx[d] as number) < (shape[d] as number)) break;
        k -= (shape[d] as number) * (kStride[d] as number);
        idx[d] = 0;
      }
    }
  };

  for (let r0 = 0; r0 < rows; r0 += batchSize) {
    const start = r0 * rowSize;
    const end = Math.min(rows, r0 + batchSize) * rowSize;
    bMean.fill(0);
    bM2.fill(0);
    bN.fill(0);
    visit(start, end, (v, k) => {
      bMean[k] = (bMean[k] as number) + v;
      bN[k] = (bN[k] as number) + 1;
    });
    for (let k = 0; k < stats; k++) if ((bN[k] as number) > 0) bMean[k] = (bMean[k] as number) / (bN[k] as number);
    visit(start, end, (v, k) => {
      const e = v - (bMean[k] as number);
      bM2[k] = (bM2[k] as number) + e * e;
    });
    for (let k = 0; k < stats; k++) {
      const nb = bN[k] as number;
      if (nb === 0) continue;
      const na = n[k] as number;
      const tot = na + nb;
      const delta = (bMean[k] as number) - (mean[k] as number);
      mean[k] = (mean[k] as number) + (delta * nb) / tot;
      m2[k] = (m2[k] as number) + (bM2[k] as number) + (delta * delta * na * nb) / tot;
      n[k] = tot;
    }
  }
  const variance = new Float64Array(stats);
  for (let k = 0; k < stats; k++) variance[k] = (m2[k] as number) / (n[k] as number);
  return { mean, variance, count: size / stats };
}
