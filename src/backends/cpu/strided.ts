/**
 * Strided-view helpers for the cpu backend: the element offsets of a view in row-major order.
 * Dimensions that are contiguous with their neighbour are merged first, so the common cases
 * (contiguous, a broadcast row, a transposed matrix) iterate over one or two dimensions.
 */
import type { View } from '../backend.js';

/** Merges adjacent dimensions that step through memory as one. */
function collapse(shape: readonly number[], strides: readonly number[]): [number[], number[]] {
  const s: number[] = [];
  const st: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i] as number;
    if (d === 1) continue;
    const stride = strides[i] as number;
    const last = s.length - 1;
    if (last >= 0 && st[last] === stride * d) {
      s[last] = (s[last] as number) * d;
      st[last] = stride;
    } else {
      s.push(d);
      st.push(stride);
    }
  }
  return [s, st];
}

/** True when the view reads buf[offset .. offset + size) in order. */
export function isDense(v: View): boolean {
  const [s, st] = collapse(v.shape, v.strides);
  return s.length === 0 || (s.length === 1 && st[0] === 1);
}

/** Offsets of every element of the view, in row-major order of its shape. */
export function offsets(v: View): Int32Array {
  const [shape, strides] = collapse(v.shape, v.strides);
  let n = 1;
  for (const d of v.shape) n *= d;
  const out = new Int32Array(n);
  const rank = shape.length;
  if (rank === 0) {
    out.fill(v.offset);
    return out;
  }
  if (rank === 1) {
    const s0 = strides[0] as number;
    for (let i = 0, o = v.offset; i < n; i++, o += s0) out[i] = o;
    return out;
  }
  if (rank === 2) {
    const d0 = shape[0] as number;
    const d1 = shape[1] as number;
    const s0 = strides[0] as number;
    const s1 = strides[1] as number;
    let k = 0;
    for (let i = 0; i < d0; i++) {
      let o = v.offset + i * s0;
      for (let j = 0; j < d1; j++, o += s1) out[k++] = o;
    }
    return out;
  }
  const idx = new Array<number>(rank).fill(0);
  let o = v.offset;
  for (let k = 0; k < n; k++) {
    out[k] = o;
    for (let d = rank - 1; d >= 0; d--) {
      const i = (idx[d] as number) + 1;
      if (i < (shape[d] as number)) {
        idx[d] = i;
        o += strides[d] as number;
        break;
      }
      idx[d] = 0;
      o -= (i - 1) * (strides[d] as number);
    }
  }
  return out;
}
