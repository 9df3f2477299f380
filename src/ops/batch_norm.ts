/**
 * Batch normalization over the last axis as a few fused kernels (layers/batch_normalization.ts
 * uses these when its axis is the last one; other axes take the composed ops).
 *
 * The composed form, y = gamma·(x − mean)/√(var + epsilon) + beta with mean = sum(x)/N and
 * var = sum((x − mean)²)/N, is ~20 kernels forward and ~40 in its backward pass, each over the
 * whole batch. Here the forward pass is two row sums and three fused passes that compute every
 * value exactly as the composition does (same operations, same roundings), so the layer's
 * outputs and moving statistics are unchanged bit for bit. The backward pass is the closed form
 * (a customGrad rule: two row sums and two fused passes):
 *   x̂ = (x − mean)/√(var + epsilon),  dbeta = Σ dy,  dgamma = Σ dy·x̂,
 *   dx = gamma/√(var + epsilon) · (dy − dbeta/N − x̂·dgamma/N),
 * the batch statistics' own dependence on x included (its terms are the two sums). Its
 * roundings differ from what the composed ops' rules would give; the finite-difference checks
 * in batch_normalization.test.ts hold it to the true derivative.
 */
import type { Tensor } from '../core/tensor.js';
import { customGrad } from '../autodiff/grad.js';
import { defineFused, runFused, runFused1, type Expr, type FusedBuilder } from './fused.js';
import { sum } from './reduce.js';

/** (x − s1/n)², the composed variance's square(sub(x, div(sum(x), n))). */
const SQUARED_DEVIATION = defineFused('batchNormSquaredDeviation', 2, 1, (e, [x, s1], [n]) => {
  const d = e.sub(x as Expr, e.div(s1 as Expr, n as Expr));
  return [e.mul(d, d)];
});

/** mean = s1/n and var = s2/n, from the two row sums. */
const STATISTICS = defineFused('batchNormStatistics', 2, 1, (e, [s1, s2], [n]) => [e.div(s1 as Expr, n as Expr), e.div(s2 as Expr, n as Expr)]);

/** x̂ = (x − mean)/√(var + epsilon), as the layer has always divided. */
const xHat = (e: FusedBuilder, x: Expr, mean: Expr, variance: Expr, eps: Expr): Expr => e.div(e.sub(x, mean), e.sqrt(e.add(variance, eps)));

/** The normalized output, for each combination of gamma (scale) and beta (center). */
const NORMALIZE = {
  both: defineFused('batchNorm', 5, 1, (e, [x, m, v, g, b], [eps]) => [e.add(e.mul(xHat(e, x as Expr, m as Expr, v as Expr, eps as Expr), g as Expr), b as Expr)]),
  gamma: defineFused('batchNorm', 4, 1, (e, [x, m, v, g], [eps]) => [e.mul(xHat(e, x as Expr, m as Expr, v as Expr, eps as Expr), g as Expr)]),
  beta: defineFused('batchNorm', 4, 1, (e, [x, m, v, b], [eps]) => [e.add(xHat(e, x as Expr, m as Expr, v as Expr, eps as Expr), b as Expr)]),
  none: defineFused('batchNorm', 3, 1, (e, [x, m, v], [eps]) => [xHat(e, x as Expr, m as Expr, v as Expr, eps as Expr)]),
};

/** dy·x̂, whose row sum is dgamma. */
const DY_XHAT = defineFused('batchNormGradScale', 4, 1, (e, [dy, x, m, v], [eps]) => [e.mul(dy as Expr, xHat(e, x as Expr, m as Expr, v as Expr, eps as Expr))]);

/** dx = gamma/√(var + epsilon)·(dy − dbeta/n − x̂·dgamma/n); without gamma, gamma = 1. */
function dxOf(e: FusedBuilder, [dy, x, m, v, db, dg]: Expr[], [eps, n]: Expr[], gamma: Expr | null): Expr {
  const r = e.sqrt(e.add(v as Expr, eps as Expr));
  const xh = e.div(e.sub(x as Expr, m as Expr), r);
  const inner = e.sub(e.sub(dy as Expr, e.div(db as Expr, n as Expr)), e.mul(xh, e.div(dg as Expr, n as Expr)));
  return e.mul(gamma ? e.div(gamma, r) : e.div(1, r), inner);
}
const DX = {
  gamma: defineFused('batchNormGrad', 7, 2, (e, xs, ps) => [dxOf(e, xs, ps, xs[6] as Expr)]),
  none: defineFused('batchNormGrad', 6, 2, (e, xs, ps) => [dxOf(e, xs, ps, null)]),
};

function normalizeFn(gamma: boolean, beta: boolean): (typeof NORMALIZE)[keyof typeof NORMALIZE] {
  return gamma ? (beta ? NORMALIZE.both : NORMALIZE.gamma) : beta ? NORMALIZE.beta : NORMALIZE.none;
}

/** The axes a [..., cols] tensor's statistics reduce over: all but the last. */
const leadAxes = (x: Tensor): number[] => Array.from({ length: x.rank - 1 }, (_, i) => i);

/**
 * Inference: gamma·(x − mean)/√(variance + epsilon) + beta over the last axis, with given
 * statistics of shape [cols] (gamma and beta optional). One kernel; under a tape, the composed
 * ops (so every input is differentiable).
 */
export function batchNormInference(x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): Tensor {
  const ins = [x, mean, variance, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  return runFused1(normalizeFn(gamma !== null, beta !== null), ins, [epsilon]);
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
    const [m, v] = runFused(STATISTICS, [s1, s2], [n]) as [Tensor, Tensor];
    s1.dispose();
    d2.dispose();
    s2.dispose();
    mean = m;
    variance = v;
    const value = batchNormInference(xi, m, v, g, b, epsilon);
    const gradFunc = (dy: Tensor): (Tensor | null)[] => {
      const dBeta = sum(dy, lead);
      const t = runFused1(DY_XHAT, [dy, xi, m, v], [epsilon]);
      const dGamma = sum(t, lead);
      t.dispose();
      const dx = runFused1(g ? DX.gamma : DX.none, [dy, xi, m, v, dBeta, dGamma, ...(g ? [g] : [])], [epsilon, n]);
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
