/**
 * Pairwise summation, NumPy's algorithm (numpy/_core/src/umath/loops_utils.h.src,
 * `pairwise_sum`): fewer than 8 values are added in order; up to 128 go to 8 accumulators,
 * combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)); more are split in two halves
 * (the first a multiple of 8 long) that are summed recursively and added. A value then passes
 * through at most 16 + 3 + ceil(log2(n / 128)) additions, so the error is bounded by that many
 * unit roundoffs of Σ|x|, not by n of them as with one running sum.
 *
 * JavaScript numbers are float64, so for float32 tensors this is float64 arithmetic rounded
 * once when stored: far below float32's own rounding at any size a buffer can have.
 */
const BLOCK = 128;

/**
 * Σ a[at[start + i]] for i < n: the values of a view, through its element offsets (strided.ts),
 * so a row, a column or any strided window is summed the same way.
 */
export function pairwiseSum(a: ArrayLike<number>, at: Int32Array, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = start; i < start + n; i++) s += a[at[i] as number] as number;
    return s;
  }
  if (n <= BLOCK) {
    let r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0;
    let i = start;
    const end = start + n;
    for (; i + 8 <= end; i += 8) {
      r0 += a[at[i] as number] as number;
      r1 += a[at[i + 1] as number] as number;
      r2 += a[at[i + 2] as number] as number;
      r3 += a[at[i + 3] as number] as number;
      r4 += a[at[i + 4] as number] as number;
      r5 += a[at[i + 5] as number] as number;
      r6 += a[at[i + 6] as number] as number;
      r7 += a[at[i + 7] as number] as number;
    }
    let s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < end; i++) s += a[at[i] as number] as number;
    return s;
  }
  let h = Math.floor(n / 2);
  h -= h % 8;
  return pairwiseSum(a, at, start, h) + pairwiseSum(a, at, start + h, n - h);
}
