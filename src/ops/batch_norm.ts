/**
 * Batch normalization over the last axis as a few fused kernels (layers/batch_normalization.ts
 * uses these when its axis is the last one; other axes take the composed ops).
 *
 * The composed form, y = gamma·(x − mean)/√(var + epsilon) + beta with mean = sum(x)/N and
 * var = sum((x − mean)²)/N, is ~20 kernels forward and ~40 in its backward pass, each over the
 * whole batch. Here the forward pass is two row sums and three fused passes that compute every
 * value exactly as the composition does (same operations, same roundings), so the layer's
 * outputs and moving statistics are unchanged bit for bit. The backward pass is the closed form
 * (a customGrad rule: two row sums, a pass over the columns and two fused passes):
 *   x̂ = (x − mean)/√(var + epsilon),  dbeta = Σ dy,  dgamma = Σ dy·x̂,
 *   dx = gamma/√(var + epsilon) · (dy − dbeta/N − x̂·dgamma/N),
 * the batch statistics' own dependence on x included (its terms are the two sums). Its
 * roundings differ from what the composed ops' rules would give; the finite-difference checks
 * in batch_normalization.test.ts hold it to the true derivative.
 */
import type { Tensor } from '../core/tensor.js';
import { customGrad } from '../autodiff/grad.js';
import { isRecording } from '../autodiff/tape.js';
import { defineFused, runFused, runFused1, type Expr, type FusedBuilder } from './fused.js';
import { sum } from './reduce.js';

/** (x − s1/n)², the composed variance's square(sub(x, div(sum(x), n))). */
const SQUARED_DEVIATION = defineFused('batchNormSquaredDeviation', 2, 1, (e, [x, s1], [n]) => {
  const d = e.sub(x as Expr, e.div(s1 as Expr, n as Expr));
  return [e.mul(d, d)];
});

/**
 * mean = s1/n, var = s2/n and r = √(var + epsilon), from the two row sums. Every value that
 * depends on the column alone is computed once per column here and in COEFFICIENTS, and the
 * per-element passes take it as a row input: the same operations on the same values, so the
 * same bits as computing it per element, without a square root and up to four divisions per
 * element (the arithmetic that bound these passes: a [256, 300] batch's backward pass ran
 * √ and ÷ 76,800 times for 300 distinct values).
 */
const root = (e: FusedBuilder, v: Expr, eps: Expr): Expr => e.sqrt(e.add(v, eps));
const STATISTICS = defineFused('batchNormStatistics', 2, 2, (e, [s1, s2], [n, eps]) => {
  const v = e.div(s2 as Expr, n as Expr);
  return [e.div(s1 as Expr, n as Expr), v, root(e, v, eps as Expr)];
});

/** r = √(variance + epsilon) of given statistics (inference). */
const ROOT = defineFused('batchNormRoot', 1, 1, (e, [v], [eps]) => [root(e, v as Expr, eps as Expr)]);

/** x̂ = (x − mean)/r with r = √(var + epsilon), as the layer has always divided. */
const xHat = (e: FusedBuilder, x: Expr, mean: Expr, r: Expr): Expr => e.div(e.sub(x, mean), r);

/** The normalized output, for each combination of gamma (scale) and beta (center). */
const NORMALIZE = {
  both: defineFused('batchNorm', 5, 0, (e, [x, m, r, g, b]) => [e.add(e.mul(xHat(e, x as Expr, m as Expr, r as Expr), g as Expr), b as Expr)]),
  gamma: defineFused('batchNorm', 4, 0, (e, [x, m, r, g]) => [e.mul(xHat(e, x as Expr, m as Expr, r as Expr), g as Expr)]),
  beta: defineFused('batchNorm', 4, 0, (e, [x, m, r, b]) => [e.add(xHat(e, x as Expr, m as Expr, r as Expr), b as Expr)]),
  none: defineFused('batchNorm', 3, 0, (e, [x, m, r]) => [xHat(e, x as Expr, m as Expr, r as Expr)]),
};

/** dy·x̂, whose row sum is dgamma. */
const DY_XHAT = defineFused('batchNormGradScale', 4, 0, (e, [dy, x, m, r]) => [e.mul(dy as Expr, xHat(e, x as Expr, m as Expr, r as Expr))]);

/** Per column: dbeta/n, dgamma/n and gamma/r (1/r without gamma). */
const coefficients = (e: FusedBuilder, [db, dg, r, g]: Expr[], [n]: Expr[]): Expr[] => [e.div(db as Expr, n as Expr), e.div(dg as Expr, n as Expr), e.div(g ?? 1, r as Expr)];
const COEFFICIENTS = {
  gamma: defineFused('batchNormGradCoefficients', 4, 1, coefficients),
  none: defineFused('batchNormGradCoefficients', 3, 1, coefficients),
};

/** dx = gamma/r·(dy − dbeta/n − x̂·dgamma/n), the per-column factors from COEFFICIENTS. */
const DX = defineFused('batchNormGrad', 7, 0, (e, [dy, x, m, r, dbn, dgn, a]) => {
  const inner = e.sub(e.sub(dy as Expr, dbn as Expr), e.mul(xHat(e, x as Expr, m as Expr, r as Expr), dgn as Expr));
  return [e.mul(a as Expr, inner)];
});

function normalizeFn(gamma: boolean, beta: boolean): (typeof NORMALIZE)[keyof typeof NORMALIZE] {
  return gamma ? (beta ? NORMALIZE.both : NORMALIZE.gamma) : beta ? NORMALIZE.beta : NORMALIZE.none;
}

function normalize(x: Tensor, mean: Tensor, r: Tensor, gamma: Tensor | null, beta: Tensor | null): Tensor {
  return runFused1(normalizeFn(gamma !== null, beta !== null), [x, mean, r, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])], []);
}

/** The axes a [..., cols] tensor's statistics reduce over: all but the last. */
const leadAxes = (x: Tensor): number[] => Array.from({ length: x.rank - 1 }, (_, i) => i);

/**
 * Inference: gamma·(x − mean)/√(variance + epsilon) + beta over the last axis, with given
 * statistics of shape [cols] (gamma and beta optional). Two kernels: the root per column, then
 * the elements; under a tape, the composed ops (so every input is differentiable).
 */
export function batchNormInference(x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): Tensor {
  const r = runFused1(ROOT, [variance], [epsilon]);
  const y = normalize(x, mean, r, gamma, beta);
  // A tape recording the composed ops keeps r for the backward pass (its scope frees it).
  if (!isRecording()) r.dispose();
  return y;
}

/**
 * Training: normalizes x (rank >= 2) over its last axis with the batch's statistics and
 * returns y with the batch mean and (biased) variance, each of shape [cols]. y is
 * differentiable with respect to x, gamma and beta (the closed-form rule above); the
 * statistics are constants (the layer's moving averages take them through stopGradient anyway).
 */
export function batchNormTraining(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const lead = leadAxes(x);
  const cols = x.shape[x.rank - 1] as number;
  const n = cols === 0 ? 0 : x.size / cols;
  let mean: Tensor | null = null;
  let variance: Tensor | null = null;
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const y = customGrad((...ins: Tensor[]) => {
    const xi = ins[0] as Tensor;
    const g = gamma ? (ins[1] as Tensor) : null;
    const b = beta ? (ins[gamma ? 2 : 1] as Tensor) : null;
    const s1 = sum(xi, lead);
    const d2 = runFused1(SQUARED_DEVIATION, [xi, s1], [n]);
    const s2 = sum(d2, lead);
    const [m, v, r] = runFused(STATISTICS, [s1, s2], [n, epsilon]) as [Tensor, Tensor, Tensor];
    s1.dispose();
    d2.dispose();
    s2.dispose();
    mean = m;
    variance = v;
    // r lives until the step's scope ends: the backward pass divides by it too.
    const value = normalize(xi, m, r, g, b);
    const gradFunc = (dy: Tensor): (Tensor | null)[] => {
      const dBeta = sum(dy, lead);
      const t = runFused1(DY_XHAT, [dy, xi, m, r], []);
      const dGamma = sum(t, lead);
      t.dispose();
      const [dbn, dgn, a] = runFused(g ? COEFFICIENTS.gamma : COEFFICIENTS.none, [dBeta, dGamma, r, ...(g ? [g] : [])], [n]) as [Tensor, Tensor, Tensor];
      const dx = runFused1(DX, [dy, xi, m, r, dbn, dgn, a], []);
      for (const c of [dbn, dgn, a]) c.dispose();
      const out: (Tensor | null)[] = [dx];
      if (g) out.push(dGamma);
      else dGamma.dispose();
      if (b) out.push(dBeta);
      else dBeta.dispose();
      return out;
    };
    return { value, gradFunc };
  })(...inputs);
  return { y, mean: mean as unknown as Tensor, variance: variance as unknown as Tensor };
}
