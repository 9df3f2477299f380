/**
 * The Adam update of one weight tensor in one pass over w, g, m and v (optimizers/adam.ts):
 *   m' = m + (g − m)·c1            c1 = 1 − beta1
 *   v' = v + (g·g − v)·c2          c2 = 1 − beta2
 *   u  = (m' / (√v' + eps))·corr   corr = √(1 − beta2^t) / (1 − beta1^t)
 *   w' = w + u·alpha               alpha = −lr
 * each operation rounded to the dtype in this order, with the scalars rounded to it first:
 * exactly what the composed elementwise ops compute, so results are bit-identical to them (no
 * fused multiply-add; f32x4 add, mul, div and sqrt are IEEE-rounded like their scalar forms).
 * The composition is ~12 passes over the parameters per weight; this is one.
 * dtype 0: float32, 3: float64. All arrays contiguous, n elements; outputs are new buffers.
 */

// @ts-ignore: decorator
@inline
function adamT<T>(w: usize, g: usize, m: usize, v: usize, wOut: usize, mOut: usize, vOut: usize, n: i32, c1: T, c2: T, eps: T, corr: T, alpha: T): void {
  let i = 0;
  if (isFloat<T>() && sizeof<T>() == 4) {
    const c1v = f32x4.splat(<f32>c1);
    const c2v = f32x4.splat(<f32>c2);
    const epsv = f32x4.splat(<f32>eps);
    const corrv = f32x4.splat(<f32>corr);
    const alphav = f32x4.splat(<f32>alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gi = v128.load(g + o);
      const mi = f32x4.add(v128.load(m + o), f32x4.mul(f32x4.sub(gi, v128.load(m + o)), c1v));
      const vi = f32x4.add(v128.load(v + o), f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), v128.load(v + o)), c2v));
      const u = f32x4.mul(f32x4.div(mi, f32x4.add(f32x4.sqrt(vi), epsv)), corrv);
      v128.store(mOut + o, mi);
      v128.store(vOut + o, vi);
      v128.store(wOut + o, f32x4.add(v128.load(w + o), f32x4.mul(u, alphav)));
    }
  }
  const sz = <usize>sizeof<T>();
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const gi = load<T>(g + o);
    const mi: T = load<T>(m + o) + (gi - load<T>(m + o)) * c1;
    const vi: T = load<T>(v + o) + (gi * gi - load<T>(v + o)) * c2;
    const u: T = (mi / (<T>sqrt<T>(vi) + eps)) * corr;
    store<T>(mOut + o, mi);
    store<T>(vOut + o, vi);
    store<T>(wOut + o, load<T>(w + o) + u * alpha);
  }
}

export function adam_step(dtype: i32, w: usize, g: usize, m: usize, v: usize, wOut: usize, mOut: usize, vOut: usize, n: i32, c1: f64, c2: f64, eps: f64, corr: f64, alpha: f64): void {
  if (dtype == 0) adamT<f32>(w, g, m, v, wOut, mOut, vOut, n, <f32>c1, <f32>c2, <f32>eps, <f32>corr, <f32>alpha);
  else adamT<f64>(w, g, m, v, wOut, mOut, vOut, n, c1, c2, eps, corr, alpha);
}
