/**
 * Reductions of rows: x is `outer` rows of `inner` contiguous elements, row r starting at
 * x + r * rowStride elements. Op codes: sum 0, max 1, min 2, prod 3, argmax 4, argmin 5.
 * max/min propagate NaN; argmax/argmin return the first NaN's index if there is one, else the
 * first extreme value's (NumPy). argmax/argmin write int32, the others the input's dtype.
 */

// @ts-ignore: decorator
@inline
function sumRowF32(p: usize, n: i32): f32 {
  // Four vector accumulators: 16 independent partial sums hide the add latency and round
  // less than one running sum.
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = p + (<usize>i << 2);
    s0 = f32x4.add(s0, v128.load(o));
    s1 = f32x4.add(s1, v128.load(o, 16));
    s2 = f32x4.add(s2, v128.load(o, 32));
    s3 = f32x4.add(s3, v128.load(o, 48));
  }
  for (; i + 4 <= n; i += 4) s0 = f32x4.add(s0, v128.load(p + (<usize>i << 2)));
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  let r = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; i < n; i++) r += load<f32>(p + (<usize>i << 2));
  return r;
}

// @ts-ignore: decorator
@inline
function reduceRow<T>(op: i32, p: usize, n: i32): T {
  const sz = <usize>sizeof<T>();
  if (op == 0) {
    if (isFloat<T>() && sizeof<T>() == 4) return <T>sumRowF32(p, n);
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

/**
 * Column sums: out[j] = sum over r < rows of x[r * rowStride + j], j < cols. This is a sum over
 * the leading axis (a bias gradient), which reaches the backend as a transposed view; adding
 * whole rows keeps the reads contiguous instead of striding down each column.
 */
// @ts-ignore: decorator
@inline
function sumColsT<T>(x: usize, out: usize, rows: i32, rowStride: i32, cols: i32): void {
  const sz = <usize>sizeof<T>();
  memory.fill(out, 0, <usize>cols * sz);
  for (let r = 0; r < rows; r++) {
    const p = x + <usize>(r * rowStride) * sz;
    let j = 0;
    if (isFloat<T>() && sizeof<T>() == 4) {
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(p + o)));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j * sz;
      store<T>(out + o, load<T>(out + o) + load<T>(p + o));
    }
  }
}

export function sum_cols(dtype: i32, x: usize, out: usize, rows: i32, rowStride: i32, cols: i32): void {
  if (dtype == 0) sumColsT<f32>(x, out, rows, rowStride, cols);
  else if (dtype == 1) sumColsT<i32>(x, out, rows, rowStride, cols);
  else sumColsT<f64>(x, out, rows, rowStride, cols);
}
