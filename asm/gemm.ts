/**
 * float32 matrix product C[m, n] = A[m, k] B[k, n], packed, with a 4x8 register tile.
 *
 * Why 4x8: V8 gives wasm 16 SIMD registers. Eight f32x4 accumulators (4 rows x 2 vectors of
 * 4 columns), two B vectors and one broadcast A value use 11 of them; a larger tile spills
 * accumulators to the stack and runs at half the speed (see DESIGN.md section 6).
 *
 * Packing: A is copied once per call into panels of 4 rows ([k][4], zero-padded at the bottom);
 * B is read in place when its rows are contiguous, else packed into panels of 8 columns ([k][8],
 * zero-padded at the right edge) one panel at a time. Any strides work, so a transposed operand
 * (row stride 1) costs one strided pass over it and nothing in the inner loop.
 */

const MR = 4;
const NR = 8;
/** Rows of B per block along k: a 256 x 8 sliver of B is 8 KiB (256 cache lines read in place). */
const KC = 256;
/** Bytes of a 4x8 tile of results, for the edges of C where a whole tile does not fit. */
const TILE_BYTES = MR * NR * 4;

/** Packs the 8 columns j0 .. j0 + w - 1 of B into a [k][8] panel, zero-padded when w < 8. */
function packBPanel(b: usize, sbk: i32, sbn: i32, k: i32, j0: i32, w: i32, dst: usize): void {
  if (w < NR) memory.fill(dst, 0, <usize>(k * NR) * 4);
  // Walk the source along its unit stride: columns outer when B is transposed.
  if (sbk == 1) {
    let p = 0;
    if (w == NR) {
      // A transposed B (the weights in dx = dy W^T): 4 values along k from each of the 8
      // columns, turned into 4 rows of the panel by two 4x4 transposes in registers.
      const s0 = b + <usize>(j0 * sbn) * 4;
      const cs = <usize>sbn * 4;
      for (; p + 4 <= k; p += 4) {
        const o = <usize>p << 2;
        const d = dst + <usize>(p * NR) * 4;
        transpose4(s0 + o, cs, d);
        transpose4(s0 + 4 * cs + o, cs, d + 16);
      }
    }
    for (let jj = 0; jj < w; jj++) {
      const src = b + <usize>((j0 + jj) * sbn) * 4;
      for (let q = p; q < k; q++) store<f32>(dst + <usize>(q * NR + jj) * 4, load<f32>(src + (<usize>q << 2)));
    }
  } else {
    for (let p = 0; p < k; p++) {
      const src = b + <usize>(p * sbk + j0 * sbn) * 4;
      for (let jj = 0; jj < w; jj++) store<f32>(dst + <usize>(p * NR + jj) * 4, load<f32>(src + <usize>(jj * sbn) * 4));
    }
  }
}

/** Reads 4 floats from each of 4 rows (row stride rs bytes) and stores them transposed, rows 32 bytes apart. */
// @ts-ignore: decorator
@inline
function transpose4(src: usize, rs: usize, dst: usize): void {
  const v0 = v128.load(src);
  const v1 = v128.load(src + rs);
  const v2 = v128.load(src + 2 * rs);
  const v3 = v128.load(src + 3 * rs);
  const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + 32, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 64, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 96, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
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
function kernel4x8(pa: usize, pb: usize, ldb: usize, k: i32, c: usize, ldc: i32, h: i32, w: i32, tile: usize, acc: bool): void {
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
    pb += ldb;
  }
  const full = h == MR && w == NR;
  if (full && acc) {
    // A later block of k: add to the partial sums already in C.
    const ld = <usize>ldc << 2;
    v128.store(c, f32x4.add(v128.load(c), c00));
    v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
    v128.store(c + ld, f32x4.add(v128.load(c + ld), c10));
    v128.store(c + ld, f32x4.add(v128.load(c + ld, 16), c11), 16);
    v128.store(c + 2 * ld, f32x4.add(v128.load(c + 2 * ld), c20));
    v128.store(c + 2 * ld, f32x4.add(v128.load(c + 2 * ld, 16), c21), 16);
    v128.store(c + 3 * ld, f32x4.add(v128.load(c + 3 * ld), c30));
    v128.store(c + 3 * ld, f32x4.add(v128.load(c + 3 * ld, 16), c31), 16);
    return;
  }
  const out = full ? c : tile;
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
      const crow = c + <usize>(r * ldc) * 4;
      const trow = tile + <usize>(r * NR) * 4;
      if (acc) {
        for (let j = 0; j < w; j++) {
          const o = <usize>j << 2;
          store<f32>(crow + o, load<f32>(crow + o) + load<f32>(trow + o));
        }
      } else {
        memory.copy(crow, trow, <usize>w * 4);
      }
    }
  }
}

/** Bytes of packed A for an m x k operand. */
// @ts-ignore: decorator
@inline
function packedABytes(m: i32, k: i32): usize {
  return <usize>(((m + MR - 1) / MR) * MR * k) * 4;
}

/** Bytes of a column worker's own scratch: one packed B panel and an edge tile. */
export function gemm_f32_work(k: i32): i32 {
  return NR * k * 4 + TILE_BYTES;
}

/** Bytes of scratch gemm_f32 needs: all of A packed, plus one column worker's scratch. */
export function gemm_f32_scratch(m: i32, k: i32, n: i32): i32 {
  return <i32>packedABytes(m, k) + gemm_f32_work(k);
}

/** Packs all of A ([m, k], strides sam, sak) into panels of 4 rows at dst. */
export function gemm_pack_a(a: usize, sam: i32, sak: i32, m: i32, k: i32, dst: usize): void {
  const panelBytes = <usize>(k * MR) * 4;
  const mPanels = (m + MR - 1) / MR;
  for (let ip = 0; ip < mPanels; ip++) packA(a, sam, sak, ip * MR, min(MR, m - ip * MR), k, dst + <usize>ip * panelBytes);
}

/**
 * Columns [j0, j1) of C (j0 a multiple of 8) from A packed by gemm_pack_a. Two threads run this
 * on disjoint column ranges over the same packed A, each with its own `work` block
 * (gemm_f32_work(k) bytes): C's columns, B's panels and the scratch are all disjoint.
 *
 * Loop order: B's panels outer, A's panels inner. A is the small operand in a training step (a
 * batch of activations); each 8-column sliver of B is read once from memory and reused from
 * cache by every panel of A. A row-contiguous B (the usual weight matrix) is read in place with
 * its row stride, so the big operand is never copied; a transposed B and the ragged right edge
 * are packed one panel at a time.
 */
export function gemm_cols(pa: usize, b: usize, sbk: i32, sbn: i32, c: usize, m: i32, k: i32, n: i32, j0: i32, j1: i32, work: usize): void {
  const mPanels = (m + MR - 1) / MR;
  const panelBytes = <usize>(k * MR) * 4;
  const bPanel = work;
  const tile = work + <usize>(NR * k) * 4;
  // Blocks of KC along k keep a sliver of B (KC rows) in L1 while every panel of A uses it.
  for (let kb = 0; kb < k; kb += KC) {
    const kc = min(KC, k - kb);
    const bk = b + <usize>(kb * sbk) * 4;
    for (let j = j0; j < j1; j += NR) {
      const w = min(NR, n - j);
      let pb: usize;
      let ldb: usize;
      // In place, unless B's row stride is a multiple of 64 floats (256 bytes): then the
      // sliver's 256 rows fall into at most 16 of L1's 64 sets and evict each other. Packing
      // pays when many panels of A reuse the sliver or the stride is a multiple of 4 KB (all in
      // one set). One thread: 1024 x 1024 33 -> 60 GFLOP/s packed, 256x512 @ 512x512 56 -> 60,
      // but 32x512 @ 512x512 51 in place, 40 packed. The MLP's strides (300, 100, 10) read in place.
      if (sbn == 1 && w == NR && ((sbk & 63) != 0 || (m < 64 && (sbk & 1023) != 0))) {
        pb = bk + (<usize>j << 2);
        ldb = <usize>sbk << 2;
      } else {
        packBPanel(bk, sbk, sbn, kc, j, w, bPanel);
        pb = bPanel;
        ldb = NR * 4;
      }
      for (let ip = 0; ip < mPanels; ip++) {
        const i0 = ip * MR;
        kernel4x8(pa + <usize>ip * panelBytes + (<usize>kb << 4), pb, ldb, kc, c + <usize>(i0 * n + j) * 4, n, min(MR, m - i0), w, tile, kb > 0);
      }
    }
  }
}

/**
 * C (contiguous, ldc = n) = A B with A[i, p] at a + (i sam + p sak) floats and B[p, j] at
 * b + (p sbk + j sbn), on one thread. `scratch` holds gemm_f32_scratch(m, k, n) bytes, 16-byte
 * aligned.
 */
export function gemm_f32(a: usize, sam: i32, sak: i32, b: usize, sbk: i32, sbn: i32, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    memory.fill(c, 0, <usize>(m * n) * 4);
    return;
  }
  gemm_pack_a(a, sam, sak, m, k, scratch);
  gemm_cols(scratch, b, sbk, sbn, c, m, k, n, 0, n, scratch + packedABytes(m, k));
}

/**
 * Rows [i0, i1) of C (i0 a multiple of 4): packs those rows of A into `work` and runs every
 * column over them. Two threads run this on disjoint row ranges, each packing its own rows, so
 * a tall product (predict's batch of 1024) packs A in parallel instead of before the split.
 * Row panels start at multiples of 4 as in gemm_f32, so each element is summed in the same
 * order: results are bit-identical. `work`: gemm_f32_scratch(i1 - i0, k, n) bytes.
 */
export function gemm_rows(a: usize, sam: i32, sak: i32, b: usize, sbk: i32, sbn: i32, c: usize, m: i32, k: i32, n: i32, i0: i32, i1: i32, work: usize): void {
  const rows = min(i1, m) - i0;
  if (rows <= 0 || n == 0) return;
  if (k == 0) {
    memory.fill(c + <usize>(i0 * n) * 4, 0, <usize>(rows * n) * 4);
    return;
  }
  gemm_pack_a(a + <usize>(i0 * sam) * 4, sam, sak, rows, k, work);
  gemm_cols(work, b, sbk, sbn, c + <usize>(i0 * n) * 4, rows, k, n, 0, n, work + packedABytes(rows, k));
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
