/**
 * Shared by the optimizer tests: a run of an optimizer over fixed per-step gradients, in
 * float64 so that the plain-JS references (the CONVENTIONS formulas, written out in each test)
 * can be matched to ~1e-12 rather than float32's ~1e-6.
 */
import * as hb from '../src/index.js';
import { OptimizerRunner, type GradientTransformation } from '../src/optimizers/transform.js';
import { f64 } from './helpers.js';

/** One weight of three values, and five steps of gradients for it. */
export const W0 = [0.5, -1.25, 2];
export const GRADS = [
  [0.1, -0.3, 1.5],
  [-0.2, 0.4, 0.7],
  [0.05, -0.6, -2],
  [1, 0.01, 0.3],
  [-0.5, 0.2, 0.9],
];

/** The weight after `grads.length` steps of `opt` from W0 (float64). */
export function run64<S>(opt: GradientTransformation<S>, grads: readonly number[][] = GRADS, w0: readonly number[] = W0, name = 'w'): number[] {
  const w = hb.variable(f64([...w0]), { name });
  const runner = new OptimizerRunner(opt, [w]);
  for (const g of grads) hb.scope(() => runner.step([f64(g)]));
  const out = Array.from(w.dataSync());
  runner.dispose();
  w.dispose();
  return out;
}

/** A plain-JS reference: applies `step(w_i, g_i, i, t)` to every element, with t = step + 1. */
export function refRun<St>(w0: readonly number[], grads: readonly number[][], init: () => St, step: (w: number, g: number, s: St, t: number) => number): number[] {
  const states = w0.map(() => init());
  const w = [...w0];
  grads.forEach((g, k) => {
    for (let i = 0; i < w.length; i++) w[i] = step(w[i] as number, g[i] as number, states[i] as St, k + 1);
  });
  return w;
}
