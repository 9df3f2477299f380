/**
 * Standardization as scikit-learn's `StandardScaler`: `fit` learns each column's mean and
 * standard deviation (population form, ddof = 0) from the training rows only; `transform`
 * maps any rows with those, z = (x − mean) / scale, so validation and test data are scaled
 * as the training data was and never leak into the statistics. A constant column gets
 * scale 1 (it becomes 0), as in scikit-learn, instead of a division by zero.
 */
import { ShapeError, ValueError, fmtReceived, fmtShape } from '../../core/errors.js';
import type { HostArray } from '../datasets/arrays.js';

type Rows = HostArray<Float64Array | Float32Array>;

/** A fitted scaler's state as JSON (what `hebb train` stores beside a model). */
export interface StandardScalerState {
  mean: number[];
  scale: number[];
}

export class StandardScaler {
  private meanValues: Float64Array | null = null;
  private scaleValues: Float64Array | null = null;

  /** Learns the column statistics of `x` ([rows, features]); returns this. */
  fit(x: Rows): this {
    const [n, d] = dims(x, 'StandardScaler.fit');
    if (n === 0) throw new ValueError('StandardScaler.fit: expected at least one row, received shape ' + fmtShape(x.shape));
    const mean = new Float64Array(d);
    const m2 = new Float64Array(d);
    // Welford's update: one pass, no cancellation from a large mean.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = x.data[i * d + j] as number;
        const delta = v - (mean[j] as number);
        mean[j] = (mean[j] as number) + delta / (i + 1);
        m2[j] = (m2[j] as number) + delta * (v - (mean[j] as number));
      }
    }
    this.meanValues = mean;
    this.scaleValues = m2.map((s) => (s > 0 ? Math.sqrt(s / n) : 1));
    return this;
  }

  /** (x − mean) / scale per column, as float64 (a new array). */
  transform(x: Rows): HostArray<Float64Array> {
    const { mean, scale } = this.fitted('transform');
    const [n, d] = dims(x, 'StandardScaler.transform');
    if (d !== mean.length) throw new ShapeError(`StandardScaler.transform: the scaler was fitted on ${mean.length} features, received shape ${fmtShape(x.shape)}`);
    const out = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) out[i] = ((x.data[i] as number) - (mean[i % d] as number)) / (scale[i % d] as number);
    return { data: out, shape: [n, d] };
  }

  fitTransform(x: Rows): HostArray<Float64Array> {
    return this.fit(x).transform(x);
  }

  /** x·scale + mean per column: undoes transform. */
  inverseTransform(z: Rows): HostArray<Float64Array> {
    const { mean, scale } = this.fitted('inverseTransform');
    const [n, d] = dims(z, 'StandardScaler.inverseTransform');
    if (d !== mean.length) throw new ShapeError(`StandardScaler.inverseTransform: the scaler was fitted on ${mean.length} features, received shape ${fmtShape(z.shape)}`);
    const out = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) out[i] = (z.data[i] as number) * (scale[i % d] as number) + (mean[i % d] as number);
    return { data: out, shape: [n, d] };
  }

  get mean(): Float64Array {
    return this.fitted('mean').mean.slice();
  }

  /** The per-column divisor: the standard deviation, or 1 for a constant column. */
  get scale(): Float64Array {
    return this.fitted('scale').scale.slice();
  }

  toJSON(): StandardScalerState {
    const { mean, scale } = this.fitted('toJSON');
    return { mean: [...mean], scale: [...scale] };
  }

  static fromJSON(state: StandardScalerState): StandardScaler {
    const ok = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok(state.mean) || !ok(state.scale) || state.mean.length !== state.scale.length || state.scale.some((s) => s <= 0)) {
      throw new ValueError(`StandardScaler.fromJSON: expected {mean, scale}, two equally long lists of finite numbers (scale > 0), received ${fmtReceived(state)}`);
    }
    const s = new StandardScaler();
    s.meanValues = Float64Array.from(state.mean);
    s.scaleValues = Float64Array.from(state.scale);
    return s;
  }

  private fitted(op: string): { mean: Float64Array; scale: Float64Array } {
    if (this.meanValues === null || this.scaleValues === null) throw new ValueError(`StandardScaler.${op}: the scaler is not fitted yet; call fit(xTrain) first`);
    return { mean: this.meanValues, scale: this.scaleValues };
  }
}

function dims(x: Rows, op: string): [number, number] {
  if (x.shape.length !== 2) throw new ShapeError(`${op}: expected a 2-D array [rows, features], received shape ${fmtShape(x.shape)}`);
  return x.shape as [number, number];
}
