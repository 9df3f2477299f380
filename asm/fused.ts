/**
 * Fused kernels for a Dense layer with a relu: bias + relu in one pass over the matmul's output,
 * and the backward pass's relu mask and bias gradient in one call. They compute exactly
 * what the composed ops compute, in the same order, so results are bit-identical:
 *   forward   v = z + bias (one f32 add), y = v <= 0 ? 0 : v  (relu as `where(x <= 0, 0, x)`:
 *             NaN passes through, -0 becomes +0);
 *   backward  dz = y <= 0 ? 0 : dy (y <= 0 exactly where the pre-activation was), and
 *             db[j] = sum over rows of dz[r, j], by sum_cols's own code (reduce.ts: blocks of
 *             rows combined pairwise), on dz once it is written.
 * All operands are contiguous [rows, cols]; bias and db are [cols].
 */
import { sumColsScratch, sumColsT } from './reduce';

// @ts-ignore: decorator
@inline
function biasReluT<T>(z: usize, bias: usize, hasBias: bool, out: usize, rows: i32, cols: i32): void {
  const sz = <usize>sizeof<T>();
  const zero4 = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>cols * sz;
    let j = 0;
    if (isFloat<T>() && sizeof<T>() == 4) {
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        let v = v128.load(z + row + o);
        if (hasBias) v = f32x4.add(v, v128.load(bias + o));
        v128.store(out + row + o, v128.bitselect(zero4, v, f32x4.le(v, zero4)));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j * sz;
      let v = load<T>(z + row + o);
      if (hasBias) v = v + load<T>(bias + o);
      store<T>(out + row + o, v <= <T>0 ? <T>0 : v);
    }
  }
}

// @ts-ignore: decorator
@inline
function biasReluGradT<T>(dy: usize, y: usize, dz: usize, db: usize, hasBias: bool, rows: i32, cols: i32, scratch: usize, scratchBytes: usize): usize {
  if (hasBias) {
    const need = sumColsScratch<T>(rows, cols, cols);
    if (need > scratchBytes) return need;
  }
  const sz = <usize>sizeof<T>();
  const zero4 = f32x4.splat(0);
  const n = rows * cols;
  let i = 0;
  if (isFloat<T>() && sizeof<T>() == 4) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dz + o, v128.bitselect(zero4, v128.load(dy + o), f32x4.le(v128.load(y + o), zero4)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(dz + o, load<T>(y + o) <= <T>0 ? <T>0 : load<T>(dy + o));
  }
  if (hasBias) sumColsT<T>(dz, db, rows, cols, cols, scratch);
  return 0;
}

/** dtype 0: float32, 3: float64 (as DTYPE_CODE). hasBias 0 or 1. */
export function bias_relu(dtype: i32, z: usize, bias: usize, hasBias: i32, out: usize, rows: i32, cols: i32): void {
  if (dtype == 0) biasReluT<f32>(z, bias, hasBias != 0, out, rows, cols);
  else biasReluT<f64>(z, bias, hasBias != 0, out, rows, cols);
}

/** scratch, scratchBytes and the result: as sum_cols's (reduce.ts), for db. */
export function bias_relu_grad(dtype: i32, dy: usize, y: usize, dz: usize, db: usize, hasBias: i32, rows: i32, cols: i32, scratch: usize, scratchBytes: usize): usize {
  if (dtype == 0) return biasReluGradT<f32>(dy, y, dz, db, hasBias != 0, rows, cols, scratch, scratchBytes);
  return biasReluGradT<f64>(dy, y, dz, db, hasBias != 0, rows, cols, scratch, scratchBytes);
}

/**
 * out = w + (alpha * g), alpha rounded to the dtype first: exactly mul(g, alpha) then add(w, ·)
 * (two roundings, no fused multiply-add), in one pass instead of two (the SGD update).
 */
// @ts-ignore: decorator
@inline
function scaledAddT<T>(w: usize, g: usize, alpha: T, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>();
  let i = 0;
  if (isFloat<T>() && sizeof<T>() == 4) {
    const a4 = f32x4.splat(<f32>alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.add(v128.load(w + o), f32x4.mul(v128.load(g + o), a4)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(out + o, load<T>(w + o) + load<T>(g + o) * alpha);
  }
}

export function scaled_add(dtype: i32, w: usize, g: usize, alpha: f64, out: usize, n: i32): void {
  if (dtype == 0) scaledAddT<f32>(w, g, <f32>alpha, out, n);
  else scaledAddT<f64>(w, g, alpha, out, n);
}
