/**
 * Scalar math the standard library lacks. erf follows W. J. Cody's rational approximations
 * (Math. Comp. 23, 1969) in double precision, the same method as the cpu backend's erf.ts, so
 * float32 results are the double result rounded once.
 */

// @ts-ignore: decorator
@inline
function erfcAbs(y: f64): f64 {
  if (y <= 4.0) {
    let num = 2.15311535474403846e-8 * y;
    let den = y;
    num = (num + 0.564188496988670089) * y; den = (den + 15.7449261107098347) * y;
    num = (num + 8.88314979438837594) * y; den = (den + 117.693950891312499) * y;
    num = (num + 66.1191906371416295) * y; den = (den + 537.181101862009858) * y;
    num = (num + 298.635138197400131) * y; den = (den + 1621.38957456669019) * y;
    num = (num + 881.95222124176909) * y; den = (den + 3290.79923573345963) * y;
    num = (num + 1712.04761263407058) * y; den = (den + 4362.61909014324716) * y;
    num = (num + 2051.07837782607147) * y; den = (den + 3439.36767414372164) * y;
    return Math.exp(-y * y) * ((num + 1230.33935479799725) / (den + 1230.33935480374942));
  }
  if (y >= 27.0) return 0.0;
  const z = 1.0 / (y * y);
  let num = 0.0163153871373020978 * z;
  let den = z;
  num = (num + 0.305326634961232344) * z; den = (den + 2.56852019228982242) * z;
  num = (num + 0.360344899949804439) * z; den = (den + 1.87295284992346725) * z;
  num = (num + 0.125781726111229246) * z; den = (den + 0.527905102951428412) * z;
  num = (num + 0.0160837851487422766) * z; den = (den + 0.0605183413124413191) * z;
  let r = (z * (num + 6.58749161529837803e-4)) / (den + 0.00233520497626869185);
  r = (0.56418958354775628695 - r) / y;
  return Math.exp(-y * y) * r;
}

export function erf64(x: f64): f64 {
  if (isNaN(x)) return x;
  const y = Math.abs(x);
  if (y <= 0.5) {
    const z = x * x;
    let num = 0.185777706184603153 * z;
    let den = z;
    num = (num + 3.1611237438705656) * z; den = (den + 23.6012909523441209) * z;
    num = (num + 113.864154151050156) * z; den = (den + 244.024637934444173) * z;
    num = (num + 377.485237685302021) * z; den = (den + 1282.61652607737228) * z;
    return (x * (num + 3209.37758913846947)) / (den + 2844.23683343917062);
  }
  const r = 1.0 - erfcAbs(y);
  return x < 0 ? -r : r;
}

/** Logistic sigmoid with two branches so exp's argument is never positive (no overflow). */
// @ts-ignore: decorator
@inline
export function sigmoid64(x: f64): f64 {
  if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1.0 + e);
}

// @ts-ignore: decorator
@inline
export function sigmoid32(x: f32): f32 {
  if (x >= 0) return <f32>1.0 / (<f32>1.0 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (<f32>1.0 + e);
}

/**
 * float to int32 as cast converts (docs/NUMERICS.md): truncation toward zero, saturating at
 * the range's ends, NaN to 0 (i32.trunc_sat_f64_s's rule, spelled out so that no build can
 * emit the trapping i32.trunc_f64_s). Also the int32 result of pow, computed in double.
 */
// @ts-ignore: decorator
@inline
export function truncSatI32(f: f64): i32 {
  if (isNaN(f)) return 0;
  if (f >= 2147483647.0) return i32.MAX_VALUE;
  if (f <= -2147483648.0) return i32.MIN_VALUE;
  return <i32>f;
}
