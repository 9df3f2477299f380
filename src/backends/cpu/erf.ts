/**
 * The error function to double precision, by W. J. Cody's rational approximations (Math. Comp.
 * 23, 1969), as used by most C libraries: JavaScript has no Math.erf.
 */
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const SQRPI = 0.56418958354775628695;

const at = (a: number[], i: number): number => a[i] as number;

/** erfc(|x|) for |x| > 0.5, from which erf follows. */
function erfcAbs(y: number): number {
  if (y <= 4) {
    let num = at(C, 8) * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + at(C, i)) * y;
      den = (den + at(D, i)) * y;
    }
    return Math.exp(-y * y) * ((num + at(C, 7)) / (den + at(D, 7)));
  }
  if (y >= 27) return 0;
  const z = 1 / (y * y);
  let num = at(P, 5) * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + at(P, i)) * z;
    den = (den + at(Q, i)) * z;
  }
  let r = (z * (num + at(P, 4))) / (den + at(Q, 4));
  r = (SQRPI - r) / y;
  return Math.exp(-y * y) * r;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.5) {
    const z = x * x;
    let num = at(A, 4) * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + at(A, i)) * z;
      den = (den + at(B, i)) * z;
    }
    return (x * (num + at(A, 3))) / (den + at(B, 3));
  }
  const r = 1 - erfcAbs(y);
  return x < 0 ? -r : r;
}
