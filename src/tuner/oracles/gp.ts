/**
 * A Gaussian process regressor for the Bayesian oracle: Matérn 5/2 kernel with one length
 * scale per input dimension (ARD), a signal variance and a noise variance, all fitted by
 * maximising the log marginal likelihood (Rasmussen & Williams, "Gaussian Processes for
 * Machine Learning", eq. 2.30 and 4.17). Targets are standardised first. The Cholesky
 * factorisation is ml-matrix's.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** k(r) = σ²·(1 + √5·r + 5r²/3)·exp(−√5·r), r the length-scaled distance. */
export function matern52(a: readonly number[], b: readonly number[], lengthScales: readonly number[], variance: number): number {
  let r2 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i]! - b[i]!) / lengthScales[i]!;
    r2 += d * d;
  }
  const s5r = Math.sqrt(5 * r2);
  return variance * (1 + s5r + (5 * r2) / 3) * Math.exp(-s5r);
}

export interface GpParams {
  lengthScales: number[];
  variance: number;
  noise: number;
}

interface Factor {
  chol: CholeskyDecomposition;
  alpha: Matrix;
  logDet: number;
}

function factor(x: readonly number[][], y: readonly number[], p: GpParams): Factor | null {
  const n = x.length;
  const k = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = matern52(x[i]!, x[j]!, p.lengthScales, p.variance) + (i === j ? p.noise : 0);
      k.set(i, j, v);
      k.set(j, i, v);
    }
  }
  const chol = new CholeskyDecomposition(k);
  if (!chol.isPositiveDefinite()) return null;
  const l = chol.lowerTriangularMatrix;
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(l.get(i, i));
  return { chol, alpha: chol.solve(Matrix.columnVector([...y])), logDet };
}

/** −log p(y | X, θ) = ½·yᵀK⁻¹y + ½·log|K| + (n/2)·log 2π. */
export function negLogMarginalLikelihood(x: readonly number[][], y: readonly number[], p: GpParams): number {
  const f = factor(x, y, p);
  if (f === null) return Infinity;
  let quad = 0;
  for (let i = 0; i < y.length; i++) quad += y[i]! * f.alpha.get(i, 0);
  return 0.5 * quad + 0.5 * f.logDet + 0.5 * y.length * Math.log(2 * Math.PI);
}

/**
 * Nelder–Mead on θ = log of (length scales, variance, noise), clamped to a box: length scales in
 * [0.01, 10] (inputs live in [0, 1]), variance in [0.05, 20] (targets are standardised), noise
 * in [1e-6, 1]. The likelihood is cheap and its surface has few dimensions, so a derivative-free
 * simplex from two starting points is enough here.
 */
export function fitGp(x: readonly number[][], y: readonly number[], minNoise: number): GpParams {
  const d = x[0]?.length ?? 0;
  const lo = [...Array<number>(d).fill(Math.log(0.01)), Math.log(0.05), Math.log(Math.max(1e-6, minNoise))];
  const hi = [...Array<number>(d).fill(Math.log(10)), Math.log(20), Math.log(1)];
  const toParams = (t: readonly number[]): GpParams => {
    const c = t.map((v, i) => Math.min(hi[i]!, Math.max(lo[i]!, v)));
    return { lengthScales: c.slice(0, d).map(Math.exp), variance: Math.exp(c[d]!), noise: Math.exp(c[d + 1]!) };
  };
  const f = (t: readonly number[]): number => negLogMarginalLikelihood(x, y, toParams(t));
  let best: { t: number[]; v: number } | null = null;
  for (const start of [0.3, 1]) {
    const t0 = [...Array<number>(d).fill(Math.log(start)), 0, Math.log(Math.max(1e-6, minNoise, 1e-3))];
    const r = nelderMead(f, t0, 0.5, 60 * (d + 2));
    if (best === null || r.v < best.v) best = r;
  }
  return toParams(best!.t);
}

export function nelderMead(f: (t: readonly number[]) => number, x0: readonly number[], step: number, maxEvals: number): { t: number[]; v: number } {
  const n = x0.length;
  let pts: { t: number[]; v: number }[] = [{ t: [...x0], v: f(x0) }];
  for (let i = 0; i < n; i++) {
    const t = [...x0];
    t[i]! += step;
    pts.push({ t, v: f(t) });
  }
  let evals = n + 1;
  const comb = (a: readonly number[], b: readonly number[], w: number): number[] => a.map((v, i) => v + w * (b[i]! - v));
  while (evals < maxEvals) {
    pts.sort((a, b) => a.v - b.v);
    const worst = pts[n]!;
    const centroid = Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += pts[i]!.t[j]! / n;
    const refl = comb(centroid, worst.t, -1);
    const fr = f(refl);
    evals++;
    if (fr < pts[0]!.v) {
      const exp = comb(centroid, worst.t, -2);
      const fe = f(exp);
      evals++;
      pts[n] = fe < fr ? { t: exp, v: fe } : { t: refl, v: fr };
    } else if (fr < pts[n - 1]!.v) {
      pts[n] = { t: refl, v: fr };
    } else {
      const con = comb(centroid, worst.t, 0.5);
      const fc = f(con);
      evals++;
      if (fc < worst.v) pts[n] = { t: con, v: fc };
      else {
        const b = pts[0]!;
        pts = pts.map((p, i) => (i === 0 ? p : { t: comb(b.t, p.t, 0.5), v: NaN }));
        for (const p of pts) if (Number.isNaN(p.v)) (p.v = f(p.t)), evals++;
      }
    }
    if (Math.abs(pts[n]!.v - pts[0]!.v) < 1e-9) break;
  }
  pts.sort((a, b) => a.v - b.v);
  return pts[0]!;
}

/** A fitted GP: predictive mean and standard deviation, in the units of the original targets. */
export class GaussianProcess {
  readonly params: GpParams;
  private readonly x: readonly number[][];
  private readonly f: Factor;
  private readonly mean: number;
  private readonly scale: number;

  constructor(x: readonly number[][], y: readonly number[], options: { minNoise?: number } = {}) {
    this.x = x;
    this.mean = y.reduce((a, b) => a + b, 0) / y.length;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - this.mean) ** 2, 0) / y.length);
    this.scale = sd > 0 ? sd : 1;
    const ys = y.map((v) => (v - this.mean) / this.scale);
    let params = fitGp(x, ys, options.minNoise ?? 1e-6);
    let f = factor(x, ys, params);
    // A fit on the edge of positive definiteness: more noise until the factorisation holds.
    while (f === null && params.noise < 10) {
      params = { ...params, noise: params.noise * 10 + 1e-6 };
      f = factor(x, ys, params);
    }
    if (f === null) throw new Error('GaussianProcess: the kernel matrix is not positive definite even with large noise');
    this.params = params;
    this.f = f;
  }

  predict(p: readonly number[]): { mean: number; std: number } {
    const ks = this.x.map((xi) => matern52(xi, p, this.params.lengthScales, this.params.variance));
    let mu = 0;
    for (let i = 0; i < ks.length; i++) mu += ks[i]! * this.f.alpha.get(i, 0);
    const v = this.f.chol.solve(Matrix.columnVector(ks));
    let q = 0;
    for (let i = 0; i < ks.length; i++) q += ks[i]! * v.get(i, 0);
    const variance = Math.max(1e-12, this.params.variance - q);
    return { mean: this.mean + this.scale * mu, std: this.scale * Math.sqrt(variance) };
  }
}
