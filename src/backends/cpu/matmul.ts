/**
 * Reference matrix product in plain TypeScript. The loop order (i, p, j) streams rows of b and
 * out, which is what a JIT vectorises best without SIMD; operands whose rows are not contiguous
 * (a transposed b) are packed once into a contiguous scratch matrix first.
 */
import type { View } from '../backend.js';
import type { TypedArray } from '../../core/dtype.js';

export function matmulInto(
  a: View,
  aData: TypedArray,
  b: View,
  bData: TypedArray,
  out: TypedArray,
): void {
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2] as number;
  const [sab, sam, sak] = a.strides as [number, number, number];
  const [sbb, sbk, sbn] = b.strides as [number, number, number];
  const packB = sbn !== 1;
  const scratch = packB ? new Float64Array(k * n) : null;
  const acc = new Float64Array(n);
  for (let t = 0; t < batch; t++) {
    const aBase = a.offset + t * sab;
    let bBase = b.offset + t * sbb;
    let bArr: ArrayLike<number> = bData;
    let rowStride = sbk;
    if (scratch) {
      for (let p = 0; p < k; p++) {
        for (let j = 0; j < n; j++) scratch[p * n + j] = bData[bBase + p * sbk + j * sbn] as number;
      }
      bArr = scratch;
      bBase = 0;
      rowStride = n;
    }
    const outBase = t * m * n;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      const aRow = aBase + i * sam;
      for (let p = 0; p < k; p++) {
        const av = aData[aRow + p * sak] as number;
        const bRow = bBase + p * rowStride;
        for (let j = 0; j < n; j++) acc[j] = (acc[j] as number) + av * (bArr[bRow + j] as number);
      }
      const o = outBase + i * n;
      for (let j = 0; j < n; j++) out[o + j] = acc[j] as number;
    }
  }
}
