/**
 * float32 exp, sigmoid and tanh four lanes at a time. Cephes' single-precision formulas
 * (S. L. Moshier): exp reduces x = n ln2 + r with |r| <= ln2/2 (ln2 split in two so n ln2 is
 * exact) and evaluates a degree-6 polynomial; the scale 2^n is applied in two halves, so
 * overflow gives +inf and results below the normal range come out as denormals or 0, as the
 * scalar exp does. Errors are within a few ulp (the conformance suite allows 1e-5 relative).
 * NaN propagates: min/max keep NaN, and so does every later step.
 */

// @ts-ignore: decorator
@inline
export function expF32x4(x: v128): v128 {
  // Beyond these the result is +inf or 0 anyway; clamping keeps n inside the two-step scale.
  x = f32x4.max(f32x4.min(x, f32x4.splat(89.0)), f32x4.splat(-104.0));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), f32x4.splat(1.0));
  // 2^n as 2^n1 * 2^n2 with n1 = n >> 1: each half's exponent field stays in range.
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

/** 1 / (1 + e^-x) from e = exp(-|x|): 1/(1+e) for x >= 0, e/(1+e) below (no overflow). */
// @ts-ignore: decorator
@inline
export function sigmoidF32x4(x: v128): v128 {
  const e = expF32x4(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), e));
  const neg = f32x4.lt(x, f32x4.splat(0.0));
  // NaN: x < 0 is false and s is NaN, so NaN comes through.
  return v128.bitselect(f32x4.mul(e, s), s, neg);
}

/**
 * tanh: an odd polynomial below |x| = 0.625 (where 1 - 2/(e^2x + 1) would cancel), and
 * sign(x) (1 - 2 / (e^{2|x|} + 1)) above; e^{2|x|} = inf gives exactly 1.
 */
// @ts-ignore: decorator
@inline
export function tanhF32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = expF32x4(f32x4.add(ax, ax));
  const big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  // Copy x's sign onto the large-|x| result (NaN: |x| < 0.625 is false, big is NaN).
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/**
 * expm1: the Taylor series to x^7/7! below |x| = 0.35 (truncation error under 2e-8 relative,
 * below an ulp; exp(x) - 1 would lose the digits near 0 that expm1 exists for), and exp(x) - 1
 * above, where the cancellation costs at most ~3.5 ulp (at |x| = 0.35, e^x / (e^x - 1)).
 */
// @ts-ignore: decorator
@inline
export function expm1F32x4(x: v128): v128 {
  let p = f32x4.splat(<f32>(1.0 / 5040.0));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 720.0)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 120.0)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 24.0)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>(1.0 / 6.0)));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.0));
  const small = f32x4.mul(p, x);
  const big = f32x4.sub(expF32x4(x), f32x4.splat(1.0));
  // NaN: |x| < 0.35 is false, and big is NaN.
  return v128.bitselect(small, big, f32x4.lt(f32x4.abs(x), f32x4.splat(0.35)));
}
