/**
 * Softmax and sparse cross-entropy over the rows of a contiguous [rows, cols] array, forward and
 * backward: the classifier head of a training step in four kernel calls instead of ~50 small
 * ones. Same definitions as the composed ops (ops/nn.ts, losses/crossentropy.ts):
 *   softmax      z = x − max (max replaced by 0 when infinite), e = exp(z), y = e / Σe
 *   its gradient dx = y·(dy − Σ dy·y)
 *   sparse CE    on probabilities: l = −log(clip(p[label] / Σp, eps, 1 − eps))
 *                on logits:        l = log(Σ exp(z)) − z[label], z = x − max
 *   its gradient on probabilities: dp[j] = −dl/q·([j = label]/s − p[label]/s²) with s = Σp,
 *                q = p[label]/s; 0 when the clip is active (q outside [eps, 1 − eps]);
 *                on logits: dz[j] = dl·(e[j]/Σe − [j = label])
 * Each row is a handful of classes, so the loops are scalar; sums run from column 0 up.
 * dtype 0: float32 (exp and log in single precision, as the unary kernels), 3: float64.
 */

// @ts-ignore: decorator
@inline
function expT<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.exp(<f32>x);
  return <T>Math.exp(<f64>x);
}

// @ts-ignore: decorator
@inline
function logT<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.log(<f32>x);
  return <T>Math.log(<f64>x);
}

/** The row's max, or 0 when it is infinite (so that inf − inf never makes a NaN). */
// @ts-ignore: decorator
@inline
function shiftOf<T>(row: usize, cols: i32): T {
  const sz = <usize>sizeof<T>();
  let m = load<T>(row);
  for (let j = 1; j < cols; j++) {
    const v = load<T>(row + <usize>j * sz);
    // NaN propagates, as the max reduction does.
    if (v > m || isNaN(v)) m = v;
  }
  return isFinite(m) || isNaN(m) ? m : <T>0;
}

// @ts-ignore: decorator
@inline
function softmaxT<T>(x: usize, out: usize, rows: i32, cols: i32): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * <usize>cols * sz;
    const or = out + <usize>r * <usize>cols * sz;
    const m = shiftOf<T>(xr, cols);
    let s: T = 0;
    for (let j = 0; j < cols; j++) {
      const e = expT<T>(load<T>(xr + <usize>j * sz) - m);
      store<T>(or + <usize>j * sz, e);
      s += e;
    }
    for (let j = 0; j < cols; j++) store<T>(or + <usize>j * sz, load<T>(or + <usize>j * sz) / s);
  }
}

// @ts-ignore: decorator
@inline
function softmaxGradT<T>(dy: usize, y: usize, dx: usize, rows: i32, cols: i32): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>cols * sz;
    let dot: T = 0;
    for (let j = 0; j < cols; j++) dot += load<T>(dy + o + <usize>j * sz) * load<T>(y + o + <usize>j * sz);
    for (let j = 0; j < cols; j++) {
      const at = o + <usize>j * sz;
      store<T>(dx + at, load<T>(y + at) * (load<T>(dy + at) - dot));
    }
  }
}

// @ts-ignore: decorator
@inline
function xentT<T>(p: usize, labels: usize, out: usize, rows: i32, cols: i32, fromLogits: bool, lo: T, hi: T): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * <usize>cols * sz;
    const label = load<i32>(labels + (<usize>r << 2));
    // The host checks the ids; a stray one gives NaN here, never a read outside the row.
    if (<u32>label >= <u32>cols) {
      store<T>(out + <usize>r * sz, <T>NaN);
      continue;
    }
    let l: T;
    if (fromLogits) {
      const m = shiftOf<T>(pr, cols);
      let s: T = 0;
      for (let j = 0; j < cols; j++) s += expT<T>(load<T>(pr + <usize>j * sz) - m);
      l = logT<T>(s) - (load<T>(pr + <usize>label * sz) - m);
    } else {
      let s: T = 0;
      for (let j = 0; j < cols; j++) s += load<T>(pr + <usize>j * sz);
      let q = load<T>(pr + <usize>label * sz) / s;
      // clip as where(q > hi, hi, where(q < lo, lo, q)): NaN passes through.
      if (q > hi) q = hi;
      else if (q < lo) q = lo;
      l = -logT<T>(q);
    }
    store<T>(out + <usize>r * sz, l);
  }
}

// @ts-ignore: decorator
@inline
function xentGradT<T>(dl: usize, p: usize, labels: usize, dp: usize, rows: i32, cols: i32, fromLogits: bool, lo: T, hi: T): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>cols * sz;
    const label = load<i32>(labels + (<usize>r << 2));
    const g = load<T>(dl + <usize>r * sz);
    if (<u32>label >= <u32>cols) {
      for (let j = 0; j < cols; j++) store<T>(dp + o + <usize>j * sz, <T>NaN);
      continue;
    }
    if (fromLogits) {
      const m = shiftOf<T>(p + o, cols);
      let s: T = 0;
      for (let j = 0; j < cols; j++) {
        const e = expT<T>(load<T>(p + o + <usize>j * sz) - m);
        store<T>(dp + o + <usize>j * sz, e);
        s += e;
      }
      for (let j = 0; j < cols; j++) {
        const at = dp + o + <usize>j * sz;
        store<T>(at, g * (load<T>(at) / s - (j == label ? <T>1 : <T>0)));
      }
    } else {
      let s: T = 0;
      for (let j = 0; j < cols; j++) s += load<T>(p + o + <usize>j * sz);
      const py = load<T>(p + o + <usize>label * sz);
      const q = py / s;
      // The clip passes the gradient where lo <= q <= hi (and a NaN q gives NaN gradients).
      const open = !(q > hi) && !(q < lo);
      // d(−log q)/dq = −1/q, dq/dp[j] = [j = label]/s − p[label]/s².
      const gq = open ? -g / q : <T>0;
      const ss = s * s;
      for (let j = 0; j < cols; j++) {
        const direct = j == label ? <T>1 / s : <T>0;
        store<T>(dp + o + <usize>j * sz, gq * (direct - py / ss));
      }
    }
  }
}

export function softmax_rows(dtype: i32, x: usize, out: usize, rows: i32, cols: i32): void {
  if (dtype == 0) softmaxT<f32>(x, out, rows, cols);
  else softmaxT<f64>(x, out, rows, cols);
}

export function softmax_grad_rows(dtype: i32, dy: usize, y: usize, dx: usize, rows: i32, cols: i32): void {
  if (dtype == 0) softmaxGradT<f32>(dy, y, dx, rows, cols);
  else softmaxGradT<f64>(dy, y, dx, rows, cols);
}

/**
 * labels: int32 class ids in [0, cols), checked by the host. [lo, hi]: the clip on
 * probabilities (Keras's [1e-7, 1 − 1e-7]), rounded to the dtype here as a scalar operand is.
 */
export function sparse_xent(dtype: i32, p: usize, labels: usize, out: usize, rows: i32, cols: i32, fromLogits: i32, lo: f64, hi: f64): void {
  if (dtype == 0) xentT<f32>(p, labels, out, rows, cols, fromLogits != 0, <f32>lo, <f32>hi);
  else xentT<f64>(p, labels, out, rows, cols, fromLogits != 0, lo, hi);
}

export function sparse_xent_grad(dtype: i32, dl: usize, p: usize, labels: usize, dp: usize, rows: i32, cols: i32, fromLogits: i32, lo: f64, hi: f64): void {
  if (dtype == 0) xentGradT<f32>(dl, p, labels, dp, rows, cols, fromLogits != 0, <f32>lo, <f32>hi);
  else xentGradT<f64>(dl, p, labels, dp, rows, cols, fromLogits != 0, lo, hi);
}
