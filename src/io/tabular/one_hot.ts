/**
 * `toCategorical(labels, numClasses)`: Keras's `to_categorical` for host arrays, class ids
 * to one-hot rows (float32, [n, numClasses]), e.g. for categoricalCrossentropy. (On tensors,
 * `hb.oneHot` does the same on the backend.)
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { HostArray } from '../datasets/arrays.js';

export function toCategorical(labels: HostArray | ArrayLike<number>, numClasses?: number): HostArray<Float32Array> {
  const ids: ArrayLike<number> = 'shape' in labels && 'data' in labels ? labels.data : labels;
  const n = ids.length;
  let max = -1;
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`toCategorical: labels must be non-negative integers, received ${fmtReceived(v)} at index ${i}`);
    if (v > max) max = v;
  }
  const k = numClasses ?? max + 1;
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`toCategorical: numClasses must be a positive integer, received ${fmtReceived(numClasses)}`);
  if (max >= k) throw new ValueError(`toCategorical: label ${max} is out of range for numClasses ${k} (labels must be < numClasses)`);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) out[i * k + (ids[i] as number)] = 1;
  return { data: out, shape: [n, k] };
}
