/**
 * A weight histogram as TensorBoard's HistogramProto: `bucketCount` equal-width buckets from
 * the smallest to the largest value (what TensorFlow 2's `tf.summary.histogram` uses, 30 by
 * default), `bucketLimit[i]` the right edge of bucket i. TensorBoard's data_compat turns this
 * into its [left, right, count] tensor form, taking `min` as the first left edge and `max` as
 * the last right edge.
 *
 * Non-finite values (a diverged weight) are left out of every field: one NaN would otherwise
 * make min, max and every edge NaN and the whole histogram unreadable.
 */
import type { HistogramMessage } from './tensorboard_proto.js';

export function histogram(values: ArrayLike<number>, bucketCount = 30): HistogramMessage {
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  // All values equal: one bucket [min, max] holding them all (equal widths would be zero).
  if (min === max) return { min, max, num, sum, sumSquares, bucketLimit: [max], bucket: [num] };
  const width = (max - min) / bucketCount;
  const bucket = new Array<number>(bucketCount).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    // The maximum lands on the last bucket's closed right edge.
    const b = Math.min(bucketCount - 1, Math.floor((v - min) / width));
    bucket[b] = (bucket[b] as number) + 1;
  }
  const bucketLimit = bucket.map((_, j) => (j === bucketCount - 1 ? max : min + (j + 1) * width));
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}
