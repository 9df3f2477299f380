/**
 * Per-sample weights for fit/evaluate: `sampleWeight` (one number per sample) times
 * `classWeight[label]` (Keras: a label's weight, 1 for labels the map does not list). The
 * loss then is sum(w·l)/batch (Keras's sum_over_batch_size).
 *
 * Weights must be finite and >= 0: a zero masks a sample, but a negative weight turns gradient
 * descent into ascent on that sample. classWeight keys must be class ids of the output
 * (integers in [0, classes); a last dimension of 1 is binary: classes 0 and 1), so that a
 * misspelled or shifted key is not silently ignored.
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

export type SampleWeightData = Tensor | TypedArray | readonly number[];
export type ClassWeight = Readonly<Record<number, number>>;

/** The class id of sample i: the value itself for sparse labels, the argmax for one-hot rows. */
function labelOf(y: TypedArray, shape: readonly number[], i: number): number {
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  if (per === 1) return Math.round(y[i] as number);
  let best = 0;
  for (let k = 1; k < per; k++) if ((y[i * per + k] as number) > (y[i * per + best] as number)) best = k;
  return best;
}

/** Classes of an output of this shape (null dims unknown): its last dimension, 2 when that is 1 (binary). */
function classCount(outputShape: readonly (number | null)[] | undefined): number | null {
  const last = outputShape && outputShape.length > 1 ? outputShape[outputShape.length - 1] : null;
  if (last === null || last === undefined) return null;
  return last === 1 ? 2 : last;
}

/**
 * y: the labels on the host (for classWeight). `where.outputShape`: the model's output (for
 * classWeight's keys); `where.sampleWeightName` names sampleWeight in errors
 * ('validationData[2]').
 */
export async function hostSampleWeights(
  op: string,
  n: number,
  sampleWeight: SampleWeightData | undefined,
  classWeight: ClassWeight | undefined,
  y: { host: TypedArray; shape: readonly number[] }[],
  where: { outputShape?: readonly (number | null)[]; sampleWeightName?: string } = {},
): Promise<Float32Array | null> {
  const swName = where.sampleWeightName ?? 'sampleWeight';
  if (sampleWeight === undefined && classWeight === undefined) return null;
  const w = new Float32Array(n).fill(1);
  if (sampleWeight !== undefined) {
    const v = sampleWeight instanceof Tensor ? await sampleWeight.data() : sampleWeight;
    const shape = sampleWeight instanceof Tensor ? sampleWeight.shape : [v.length];
    if (v.length !== n || shape.length !== 1) {
      throw new ValueError(`${op}: ${swName} must hold one weight per sample (shape [${n}]), received shape [${shape.join(', ')}]`);
    }
    for (let i = 0; i < n; i++) {
      const wi = v[i] as number;
      if (!Number.isFinite(wi) || wi < 0) throw new ValueError(`${op}: ${swName}[${i}] is ${wi}; expected a finite number >= 0`);
      w[i] = wi;
    }
  }
  if (classWeight !== undefined) {
    if (y.length !== 1) throw new ValueError(`${op}: classWeight needs a model with one output, this one has ${y.length}; use sampleWeight`);
    const { host, shape } = y[0] as { host: TypedArray; shape: readonly number[] };
    const classes = classCount(where.outputShape);
    const range = classes === null ? 'a non-negative integer' : `an integer in [0, ${classes})`;
    for (const [k, v] of Object.entries(classWeight)) {
      const id = Number(k);
      if (!/^\d+$/.test(k) || (classes !== null && id >= classes)) {
        throw new ValueError(`${op}: classWeight has key "${k}", which is not a class of the output: each key must be ${range}`);
      }
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValueError(`${op}: classWeight[${k}] is ${fmtReceived(v)}; expected a finite number >= 0`);
    }
    for (let i = 0; i < n; i++) w[i] = (w[i] as number) * (classWeight[labelOf(host, shape, i)] ?? 1);
  }
  return w;
}
