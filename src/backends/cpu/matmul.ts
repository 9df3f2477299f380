/**
 * The cpu backend's matrix product: a packed, register-blocked GEMM in plain TypeScript.
 *
 * Plain i-p-j loops reach ~1.7 GFLOP/s in V8: every multiply-add loads and stores an output
 * element. Here a 4x4 tile of the output lives in 16 local variables (V8 keeps them in
 * registers) while the k loop runs innermost, so each step does 16 multiply-adds for 8 loads.
 * Both operands are first packed into contiguous panels — A as [4 rows x kc] column-interleaved
 * strips, B as [kc x 4 columns] strips — which also makes transposed and strided operands
 * (row stride 1, batch stride 0) cost nothing extra: packing reads any strides.
 *
 * Accumulation is in doubles (JavaScript numbers), rounded once when the tile is stored, so
 * float32 results are at least as accurate as a float32 BLAS. Panels are zero-padded at the
 * ragged edges; the padded rows and columns are computed and never stored.
 */
import type { View } from '../backend.js';
import type { TypedArray } from '../../core/dtype.js';

/** Register tile: MR rows x NR columns of the output. */
const MR = 4;
const NR = 4;
/** Depth of one packed block: a B strip (KC x NR) stays in L1, the A block in L2. */
const KC = 256;

type Panel = Float32Array | Float64Array;

/** Scratch panels reused across calls (the backend is single-threaded), grown on demand. */
const scratch = { f32a: new Float32Array(0), f32b: new Float32Array(0), f64a: new Float64Array(0), f64b: new Float64Array(0) };

function panels(wide: boolean, sizeA: number, sizeB: number): [Panel, Panel] {
  if (wide) {
    if (scratch.f64a.length < sizeA) scratch.f64a = new Float64Array(sizeA);
    if (scratch.f64b.length < sizeB) scratch.f64b = new Float64Array(sizeB);
    return [scratch.f64a, scratch.f64b];
  }
  if (scratch.f32a.length < sizeA) scratch.f32a = new Float32Array(sizeA);
  if (scratch.f32b.length < sizeB) scratch.f32b = new Float32Array(sizeB);
  return [scratch.f32a, scratch.f32b];
}

/**
 * Packs rows [0, rows) x depth [p0, p0 + kc) of a strided matrix into strips of MR rows:
 * strip s holds, for each p, the MR values of rows s*MR .. s*MR+MR-1 (zeros past the end).
 * Used for A (rows = m, strides sam/sak) and, with rows = columns, for B (strides sbn/sbk).
 */
function pack(dst: Panel, src: TypedArray, base: number, rows: number, rowStride: number, depthStride: number, p0: number, kc: number, width: number): void {
  let d = 0;
  for (let r0 = 0; r0 < rows; r0 += width) {
    const live = Math.min(width, rows - r0);
    for (let p = 0; p < kc; p++) {
      const at = base + r0 * rowStride + (p0 + p) * depthStride;
      for (let r = 0; r < live; r++) dst[d + r] = src[at + r * rowStride] as number;
      for (let r = live; r < width; r++) dst[d + r] = 0;
      d += width;
    }
  }
}

/**
 * One 4x4 output tile: c[i, j] (+)= sum_p a[p, i] * b[p, j] over kc packed steps. `rows` and
 * `cols` (<= 4) say how much of the tile is real; `add` accumulates into out (later k blocks).
 */
function kernel4x4(kc: number, a: Panel, ai: number, b: Panel, bi: number, out: TypedArray, oi: number, ldo: number, rows: number, cols: number, add: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
    const a0 = a[ai] as number, a1 = a[ai + 1] as number, a2 = a[ai + 2] as number, a3 = a[ai + 3] as number;
    const b0 = b[bi] as number, b1 = b[bi + 1] as number, b2 = b[bi + 2] as number, b3 = b[bi + 3] as number;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === MR && cols === NR && !add) {
    // The common full tile: store straight from the registers.
    const o1 = oi + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
    out[oi] = c00; out[oi + 1] = c01; out[oi + 2] = c02; out[oi + 3] = c03;
    out[o1] = c10; out[o1 + 1] = c11; out[o1 + 2] = c12; out[o1 + 3] = c13;
    out[o2] = c20; out[o2 + 1] = c21; out[o2 + 2] = c22; out[o2 + 3] = c23;
    out[o3] = c30; out[o3 + 1] = c31; out[o3 + 2] = c32; out[o3 + 3] = c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) {
    const o = oi + r * ldo;
    for (let j = 0; j < cols; j++) {
      const v = tile[r * NR + j] as number;
      out[o + j] = add ? (out[o + j] as number) + v : v;
    }
  }
}

/** out[t] = a[t] @ b[t] for [batch, m, k] x [batch, k, n] strided views; out is contiguous. */
export function matmulInto(a: View, aData: TypedArray, b: View, bData: TypedArray, out: TypedArray): void {
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2] as number;
  const [sab, sam, sak] = a.strides as [number, number, number];
  const [sbb, sbk, sbn] = b.strides as [number, number, number];
  if (k === 0) {
    out.fill(0, 0, batch * m * n);
    return;
  }
  const mPad = Math.ceil(m / MR) * MR;
  const nPad = Math.ceil(n / NR) * NR;
  const kc0 = Math.min(KC, k);
  const [ap, bp] = panels(out instanceof Float64Array, mPad * kc0, nPad * kc0);
  for (let t = 0; t < batch; t++) {
    const aBase = a.offset + t * sab;
    const bBase = b.offset + t * sbb;
    const outBase = t * m * n;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      // A broadcast over the batch (stride 0) would pack the same block again: skip that.
      if (t === 0 || sab !== 0 || k > KC) pack(ap, aData, aBase, m, sam, sak, p0, kc, MR);
      if (t === 0 || sbb !== 0 || k > KC) pack(bp, bData, bBase, n, sbn, sbk, p0, kc, NR);
      const add = p0 > 0;
      for (let j0 = 0; j0 < n; j0 += NR) {
        const bi = (j0 / NR) * kc * NR;
        const cols = Math.min(NR, n - j0);
        for (let i0 = 0; i0 < m; i0 += MR) {
          kernel4x4(kc, ap, (i0 / MR) * kc * MR, bp, bi, out, outBase + i0 * n + j0, n, Math.min(MR, m - i0), cols, add);
        }
      }
    }
  }
}
