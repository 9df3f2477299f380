/**
 * float32 matrix product C[m, n] = A[m, k] B[k, n], packed, with a 4x8 register tile.
 *
 * Why 4x8: V8 gives wasm 16 SIMD registers. Eight f32x4 accumulators (4 rows x 2 vectors of
 * 4 columns), two B vectors and one broadcast A value use 11 of them; a larger tile spills
 * accumulators to the stack and runs at half the speed (see DESIGN.md section 6).
 *
 * Packing: B is copied once per call into panels of 8 columns ([k][8], zero-padded at the right
 * edge), A into panels of 4 rows ([k][4], zero-padded at the bottom). Any strides work, so a
 * transposed operand (row stride 1) costs one strided pass over it and nothing in the inner
 * loop. The micro-kernel then reads both panels strictly sequentially: A's panel (4 k floats)
 * stays in L1 while the B panels stream from L2.
 */

const MR = 4;
const NR = 8;
/** A 4x8 tile of results for the edges of C, where the tile does not fit. */
const TILE: usize = memory.data(MR * NR * 4, 16);

function packB(b: usize, sbk: i32, sbn: i32, k: i32, n: i32, dst: usize): void {
  const panels = (n + NR - 1) / NR;
  for (let jp = 0; jp < panels; jp++) {
    const j0 = jp * NR;
    const w = min(NR, n - j0);
    const base = dst + <usize>(jp * k * NR) * 4;
    if (sbn == 1 && w == NR) {
      for (let p = 0; p < k; p++) {
        const src = b + <usize>(p * sbk + j0) * 4;
        const d = base + <usize>(p * NR) * 4;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else {
      if (w < NR) memory.fill(base, 0, <usize>(k * NR) * 4);
      // Walk the source along its unit stride: columns outer when B is transposed.
      if (sbk == 1) {
        for (let jj = 0; jj < w; jj++) {
          const src = b + <usize>((j0 + jj) * sbn) * 4;
          for (let p = 0; p < k; p++) store<f32>(base + <usize>(p * NR + jj) * 4, load<f32>(src + (<usize>p << 2)));
        }
      } else {
        for (let p = 0; p < k; p++) {
          const src = b + <usize>(p * sbk + j0 * sbn) * 4;
          for (let jj = 0; jj < w; jj++) store<f32>(base + <usize>(p * NR + jj) * 4, load<f32>(src + <usize>(jj * sbn) * 4));
        }
      }
    }
  }
}

function packA(a: usize, sam: i32, sak: i32, i0: i32, h: i32, k: i32, dst: usize): void {
  if (sam == 1 && h == MR) {
    // Transposed A: the 4 rows' values for one p are adjacent.
    for (let p = 0; p < k; p++) v128.store(dst + (<usize>p << 4), v128.load(a + <usize>(i0 + p * sak) * 4));
    return;
  }
  if (h < MR) memory.fill(dst, 0, <usize>(k * MR) * 4);
  for (let r = 0; r < h; r++) {
    const src = a + <usize>((i0 + r) * sam) * 4;
    for (let p = 0; p < k; p++) store<f32>(dst + <usize>(p * MR + r) * 4, load<f32>(src + <usize>(p * sak) * 4));
  }
}

// @ts-ignore: decorator
@inline
function kernel4x8(pa: usize, pb: usize, k: i32, c: usize, ldc: i32, h: i32, w: i32): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += 32;
  }
  const full = h == MR && w == NR;
  const out = full ? c : TILE;
  const ld = full ? <usize>ldc << 2 : <usize>(NR * 4);
  v128.store(out, c00);
  v128.store(out, c01, 16);
  v128.store(out + ld, c10);
  v128.store(out + ld, c11, 16);
  v128.store(out + 2 * ld, c20);
  v128.store(out + 2 * ld, c21, 16);
  v128.store(out + 3 * ld, c30);
  v128.store(out + 3 * ld, c31, 16);
  if (!full) {
    for (let r = 0; r < h; r++) {
      memory.copy(c + <usize>(r * ldc) * 4, TILE + <usize>(r * NR) * 4, <usize>w * 4);
    }
  }
}

/** Bytes of scratch gemm_f32 needs for packing B and one panel of A. */
export function gemm_f32_scratch(m: i32, k: i32, n: i32): i32 {
  return (((n + NR - 1) / NR) * NR * k + MR * k) * 4;
}

/**
 * C (contiguous, ldc = n) = A B with A[i, p] at a + (i sam + p sak) floats and B[p, j] at
 * b + (p sbk + j sbn). `scratch` holds gemm_f32_scratch(m, k, n) bytes, 16-byte aligned.
 */
export function gemm_f32(a: usize, sam: i32, sak: i32, b: usize, sbk: i32, sbn: i32, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    memory.fill(c, 0, <usize>(m * n) * 4);
    return;
  }
  const pb = scratch;
  const pa = scratch + <usize>(((n + NR - 1) / NR) * NR * k) * 4;
  packB(b, sbk, sbn, k, n, pb);
  const panels = (n + NR - 1) / NR;
  for (let i0 = 0; i0 < m; i0 += MR) {
    const h = min(MR, m - i0);
    packA(a, sam, sak, i0, h, k, pa);
    for (let jp = 0; jp < panels; jp++) {
      const j0 = jp * NR;
      kernel4x8(pa, pb + <usize>(jp * k * NR) * 4, k, c + <usize>(i0 * n + j0) * 4, n, h, min(NR, n - j0));
    }
  }
}

/** float64 product by plain loops (float64 is for gradient checks, not speed). */
export function gemm_f64(a: usize, sam: i32, sak: i32, b: usize, sbk: i32, sbn: i32, c: usize, m: i32, k: i32, n: i32): void {
  memory.fill(c, 0, <usize>(m * n) * 8);
  for (let i = 0; i < m; i++) {
    const crow = c + <usize>(i * n) * 8;
    for (let p = 0; p < k; p++) {
      const av = load<f64>(a + <usize>(i * sam + p * sak) * 8);
      const brow = b + <usize>(p * sbk) * 8;
      for (let j = 0; j < n; j++) {
        const o = crow + (<usize>j << 3);
        store<f64>(o, load<f64>(o) + av * load<f64>(brow + <usize>(j * sbn) * 8));
      }
    }
  }
}
