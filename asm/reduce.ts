/**
 * Reductions of rows: x is `outer` rows of `inner` contiguous elements, row r starting at
 * x + r * rowStride elements. Op codes: sum 0, max 1, min 2, prod 3, argmax 4, argmin 5.
 * max/min propagate NaN; argmax/argmin return the first NaN's index if there is one, else the
 * first extreme value's (NumPy). argmax/argmin write int32, the others the input's dtype.
 */

/*
 * Sums are pairwise (cascade) summation, as NumPy's: blocks of the row are summed by
 * independent SIMD lanes, and the blocks' sums are added pairwise, as a binary tree over the
 * blocks. A value then passes through at most (adds within its lane) + (levels combining
 * lanes and blocks) roundings, so the error is O((B + log2 n) u) of Σ|x| instead of the
 * O(n u) of one running sum (which, at 1e7 float32 values of 0.1, is 0.6% off).
 *
 * Blocks are 64 vectors (256 float32s, 128 float64s) added into 4 vector accumulators, 16 adds
 * per lane (the plain loop's shape: 8 accumulators measured slower under V8), folded
 * (s0 + s1) + (s2 + s3). Block sums go onto a stack that merges its top two entries while the
 * block count is even (a binary counter: the pairwise tree over blocks, built left to right
 * with no recursion), and what is left on the stack is added up from the top. The row's lanes
 * are then added pairwise, and the last n % 4 (float64: n % 2) values, summed apart, added
 * last. So a float32 value passes through at most 15 + 2 + (ceil(log2(blocks)) + 1) + 2 + 1 =
 * 21 + ceil(log2(blocks)) roundings (float64: 20 + ...; docs/NUMERICS.md). The stack costs
 * one vector add per block, which measured within noise of the plain loop.
 */

/** Bytes of a block: 64 vectors (4 accumulators x 16 adds). */
const BLOCK_BYTES: usize = 1024;
/** The block-sum stack: one vector per level, levels <= log2(2^32 / BLOCK_BYTES) + 1. */
const STACK = memory.data(32 * 16, 16);

// @ts-ignore: decorator
@inline
function vadd<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 4 ? f32x4.add(a, b) : f64x2.add(a, b);
}

/** Lane sums of `bytes` bytes (whole vectors, at most BLOCK_BYTES) into 4 accumulators. */
// @ts-ignore: decorator
@inline
function blockSum<T>(p: usize, bytes: usize): v128 {
  let s0 = v128.splat<i64>(0);
  let s1 = s0, s2 = s0, s3 = s0;
  let o: usize = 0;
  for (; o + 64 <= bytes; o += 64) {
    const q = p + o;
    s0 = vadd<T>(s0, v128.load(q));
    s1 = vadd<T>(s1, v128.load(q, 16));
    s2 = vadd<T>(s2, v128.load(q, 32));
    s3 = vadd<T>(s3, v128.load(q, 48));
  }
  // At most 3 vectors left (a row's last block), one per accumulator: no lane takes more than 16 adds.
  if (o < bytes) {
    const q = p + o;
    s0 = vadd<T>(s0, v128.load(q));
    if (o + 16 < bytes) s1 = vadd<T>(s1, v128.load(q, 16));
    if (o + 32 < bytes) s2 = vadd<T>(s2, v128.load(q, 32));
  }
  return vadd<T>(vadd<T>(s0, s1), vadd<T>(s2, s3));
}

/** Lane sums of `bytes` bytes (whole vectors): blocks, added pairwise through the stack. */
// @ts-ignore: decorator
@inline
function pairwiseLanes<T>(p: usize, bytes: usize): v128 {
  if (bytes <= BLOCK_BYTES) return blockSum<T>(p, bytes);
  let top: usize = STACK;
  let count: u32 = 0;
  for (let o: usize = 0; o < bytes; o += BLOCK_BYTES) {
    let v = blockSum<T>(p + o, min<usize>(BLOCK_BYTES, bytes - o));
    count++;
    // Merge while the count of blocks has trailing zeros: entries of equal size pair up.
    for (let m = count; (m & 1) == 0; m >>= 1) {
      top -= 16;
      v = vadd<T>(v128.load(top), v);
    }
    v128.store(top, v);
    top += 16;
  }
  top -= 16;
  let v = v128.load(top);
  while (top > STACK) {
    top -= 16;
    v = vadd<T>(v128.load(top), v);
  }
  return v;
}

/** Pairwise sum of a contiguous float row of n values. */
// @ts-ignore: decorator
@inline
function sumRowFloat<T>(p: usize, n: i32): T {
  const sz = <usize>sizeof<T>();
  const width = 16 / <i32>sizeof<T>();
  const main = n & ~(width - 1);
  let r = <T>0;
  if (main > 0) {
    const s = pairwiseLanes<T>(p, <usize>main * sz);
    if (sz == 4) r = <T>((f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3)));
    else r = <T>(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }
  // The last n % width values (at most 3): summed apart, then one more add.
  let t = <T>0;
  for (let i = main; i < n; i++) t += load<T>(p + <usize>i * sz);
  return r + t;
}

// @ts-ignore: decorator
@inline
function reduceRow<T>(op: i32, p: usize, n: i32): T {
  const sz = <usize>sizeof<T>();
  if (op == 0) {
    if (isFloat<T>()) return sumRowFloat<T>(p, n);
    // int32 sums wrap (two's complement), and wrapping addition is exact in any order.
    let s = <T>0;
    for (let i = 0; i < n; i++) s += load<T>(p + <usize>i * sz);
    return s;
  }
  if (op == 3) {
    let s = <T>1;
    for (let i = 0; i < n; i++) s *= load<T>(p + <usize>i * sz);
    return s;
  }
  // max (1), min (2): builtin max/min propagate NaN for floats.
  let best = load<T>(p);
  for (let i = 1; i < n; i++) {
    const v = load<T>(p + <usize>i * sz);
    best = op == 1 ? max<T>(best, v) : min<T>(best, v);
  }
  return best;
}

// @ts-ignore: decorator
@inline
function argRow<T>(op: i32, p: usize, n: i32): i32 {
  const sz = <usize>sizeof<T>();
  let best = load<T>(p);
  if (isFloat<T>() && best != best) return 0;
  let at = 0;
  for (let i = 1; i < n; i++) {
    const v = load<T>(p + <usize>i * sz);
    if (isFloat<T>() && v != v) return i;
    if (op == 4 ? v > best : v < best) {
      best = v;
      at = i;
    }
  }
  return at;
}

// @ts-ignore: decorator
@inline
function reduceRows<T>(op: i32, x: usize, out: usize, outer: i32, rowStride: i32, inner: i32): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < outer; r++) {
    const p = x + <usize>(r * rowStride) * sz;
    if (op >= 4) store<i32>(out + (<usize>r << 2), inner == 0 ? 0 : argRow<T>(op, p, inner));
    else if (inner == 0) store<T>(out + <usize>r * sz, op == 3 ? <T>1 : <T>0);
    else store<T>(out + <usize>r * sz, reduceRow<T>(op, p, inner));
  }
}

// @ts-ignore: decorator
@inline
function dispatch<T>(op: i32, x: usize, out: usize, outer: i32, rowStride: i32, inner: i32): void {
  switch (op) {
    case 0: reduceRows<T>(0, x, out, outer, rowStride, inner); break;
    case 1: reduceRows<T>(1, x, out, outer, rowStride, inner); break;
    case 2: reduceRows<T>(2, x, out, outer, rowStride, inner); break;
    case 3: reduceRows<T>(3, x, out, outer, rowStride, inner); break;
    case 4: reduceRows<T>(4, x, out, outer, rowStride, inner); break;
    default: reduceRows<T>(5, x, out, outer, rowStride, inner); break;
  }
}

export function reduce_f32(op: i32, x: usize, out: usize, outer: i32, rowStride: i32, inner: i32): void {
  dispatch<f32>(op, x, out, outer, rowStride, inner);
}
export function reduce_f64(op: i32, x: usize, out: usize, outer: i32, rowStride: i32, inner: i32): void {
  dispatch<f64>(op, x, out, outer, rowStride, inner);
}
export function reduce_i32(op: i32, x: usize, out: usize, outer: i32, rowStride: i32, inner: i32): void {
  dispatch<i32>(op, x, out, outer, rowStride, inner);
}

/** Rows a column sum adds one after another before its halves are combined pairwise. */
const BLOCK_ROWS = 16;

/** out[j] = 0 + row[j] (setRow, so a column of -0 sums to +0 as a row does) or out[j] += row[j]. */
// @ts-ignore: decorator
@inline
function rowInto<T>(set: bool, out: usize, p: usize, cols: i32): void {
  const sz = <usize>sizeof<T>();
  let j = 0;
  if (isFloat<T>()) {
    const width = 16 / <i32>sizeof<T>();
    const zero = v128.splat<i64>(0);
    for (; j + width <= cols; j += width) {
      const o = <usize>j * sz;
      v128.store(out + o, vadd<T>(set ? zero : v128.load(out + o), v128.load(p + o)));
    }
  }
  for (; j < cols; j++) {
    const o = <usize>j * sz;
    store<T>(out + o, (set ? <T>0 : load<T>(out + o)) + load<T>(p + o));
  }
}

/** rowInto for two rows into two outputs in one pass (independent streams: more in flight). */
// @ts-ignore: decorator
@inline
function rowsInto2<T>(set: bool, outA: usize, pA: usize, outB: usize, pB: usize, cols: i32): void {
  const sz = <usize>sizeof<T>();
  let j = 0;
  if (isFloat<T>()) {
    const width = 16 / <i32>sizeof<T>();
    const zero = v128.splat<i64>(0);
    for (; j + width <= cols; j += width) {
      const o = <usize>j * sz;
      v128.store(outA + o, vadd<T>(set ? zero : v128.load(outA + o), v128.load(pA + o)));
      v128.store(outB + o, vadd<T>(set ? zero : v128.load(outB + o), v128.load(pB + o)));
    }
  }
  for (; j < cols; j++) {
    const o = <usize>j * sz;
    store<T>(outA + o, (set ? <T>0 : load<T>(outA + o)) + load<T>(pA + o));
    store<T>(outB + o, (set ? <T>0 : load<T>(outB + o)) + load<T>(pB + o));
  }
}

/**
 * Column sums of `rows` rows into out, pairwise: up to BLOCK_ROWS rows are added in row order;
 * more are split in halves, the first half summed into out, the second into this level's
 * scratch row (scratch + 0), which is then added to out. Deeper levels use the following
 * scratch rows (colsScratchRows(rows) of them).
 */
export function sumColsPairwise<T>(x: usize, out: usize, rows: i32, rowStride: i32, cols: i32, scratch: usize): void {
  const sz = <usize>sizeof<T>();
  if (rows <= BLOCK_ROWS) {
    if (rows == 0) {
      memory.fill(out, 0, <usize>cols * sz);
      return;
    }
    rowInto<T>(true, out, x, cols);
    for (let r = 1; r < rows; r++) rowInto<T>(false, out, x + <usize>r * <usize>rowStride * sz, cols);
    return;
  }
  const h = rows >> 1;
  if (rows <= 2 * BLOCK_ROWS && <usize>cols * sz >= 256) {
    // Both halves are blocks (a batch of 17 to 32 rows): summed side by side in one pass per
    // pair of rows, in the same order as one half after the other, then added. (Measured
    // faster for rows of 16 vectors or more; slower for narrow ones, which stay one stream.)
    const second = x + <usize>h * <usize>rowStride * sz;
    rowsInto2<T>(true, out, x, scratch, second, cols);
    for (let r = 1; r < h; r++) {
      const o = <usize>r * <usize>rowStride * sz;
      rowsInto2<T>(false, out, x + o, scratch, second + o, cols);
    }
    if (rows - h > h) rowInto<T>(false, scratch, second + <usize>h * <usize>rowStride * sz, cols);
    rowInto<T>(false, out, scratch, cols);
    return;
  }
  const next = scratch + <usize>cols * sz;
  sumColsPairwise<T>(x, out, h, rowStride, cols, next);
  sumColsPairwise<T>(x + <usize>h * <usize>rowStride * sz, scratch, rows - h, rowStride, cols, next);
  rowInto<T>(false, out, scratch, cols);
}

function colsScratchRows(rows: i32): i32 {
  let levels = 0;
  for (let r = rows; r > BLOCK_ROWS; r -= r >> 1) levels++;
  return levels;
}

/**
 * Rows grouped so that a group is whole vectors: a narrow matrix ([1e6, 3] float32) is summed
 * as [250000, 12] (its rows packed, 3 vectors a group) and the group's 4 partial rows folded
 * at the end, instead of 3 scalar adds a row. 1 when rows are not packed or already vector-wide.
 */
// @ts-ignore: decorator
@inline
function groupOf<T>(rows: i32, rowStride: i32, cols: i32): i32 {
  if (!isFloat<T>() || rowStride != cols || cols >= 16) return 1;
  const width = 16 / <i32>sizeof<T>();
  let g = 1;
  while ((g * cols) % width != 0) g <<= 1;
  return rows >= 2 * g ? g : 1;
}

/** Bytes of scratch sumColsT needs (0 for up to 16 rows). */
// @ts-ignore: decorator
@inline
export function sumColsScratch<T>(rows: i32, rowStride: i32, cols: i32): usize {
  const g = groupOf<T>(rows, rowStride, cols);
  return (<usize>colsScratchRows(rows / g) + (g > 1 ? 1 : 0)) * <usize>(g * cols) * sizeof<T>();
}

// @ts-ignore: decorator
@inline
export function sumColsT<T>(x: usize, out: usize, rows: i32, rowStride: i32, cols: i32, scratch: usize): void {
  const g = groupOf<T>(rows, rowStride, cols);
  if (g == 1) {
    sumColsPairwise<T>(x, out, rows, rowStride, cols, scratch);
    return;
  }
  const sz = <usize>sizeof<T>();
  const width = g * cols;
  const groups = rows / g;
  // Partial sums of the g rows of a group, side by side in one scratch row, then folded
  // pairwise (g is 2 or 4), then the last rows % g rows (summed apart) added.
  const acc = scratch;
  sumColsPairwise<T>(x, acc, groups, width, width, scratch + <usize>width * sz);
  const tail = x + <usize>(groups * width) * sz;
  const left = rows - groups * g;
  for (let j = 0; j < cols; j++) {
    const a = acc + <usize>j * sz;
    const c = <usize>cols * sz;
    let v = load<T>(a) + load<T>(a + c);
    if (g == 4) v = v + (load<T>(a + 2 * c) + load<T>(a + 3 * c));
    let t = <T>0;
    for (let r = 0; r < left; r++) t += load<T>(tail + <usize>(r * cols + j) * sz);
    store<T>(out + <usize>j * sz, v + t);
  }
}

/**
 * Column sums: out[j] = sum over r < rows of x[r * rowStride + j], j < cols. This is a sum over
 * the leading axis (a bias gradient, a batch mean), which reaches the backend as a transposed
 * view; adding whole rows keeps the reads contiguous instead of striding down each column, and
 * combining blocks of rows pairwise keeps a long axis ([1e6, 3] over axis 0) accurate: a value
 * passes through at most 16 + ceil(log2(rows / 16)) roundings, 3 more for grouped narrow rows.
 * int32 sums wrap, exactly in any order.
 *
 * `scratch` is `scratchBytes` bytes the kernel may use. Returns 0 when done, or, doing nothing,
 * the bytes of scratch it needs when that is more (the host then calls again with enough).
 */
export function sum_cols(dtype: i32, x: usize, out: usize, rows: i32, rowStride: i32, cols: i32, scratch: usize, scratchBytes: usize): usize {
  if (dtype == 0) {
    const need = sumColsScratch<f32>(rows, rowStride, cols);
    if (need > scratchBytes) return need;
    sumColsT<f32>(x, out, rows, rowStride, cols, scratch);
  } else if (dtype == 1) {
    const need = sumColsScratch<i32>(rows, rowStride, cols);
    if (need > scratchBytes) return need;
    sumColsPairwise<i32>(x, out, rows, rowStride, cols, scratch);
  } else {
    const need = sumColsScratch<f64>(rows, rowStride, cols);
    if (need > scratchBytes) return need;
    sumColsT<f64>(x, out, rows, rowStride, cols, scratch);
  }
  return 0;
}
