/**
 * Bayesian optimisation: a Gaussian process (gp.ts) models the objective over the encoded
 * space, and each new trial maximises an acquisition function over candidates (random draws
 * plus perturbations of the best trials so far).
 *
 * Encoding into [0, 1]^D: an int or float is its position under its sampling (log-sampled
 * parameters are modelled in log space); an ordered numeric choice is its index scaled to
 * [0, 1]; an unordered choice is one-hot (no false order between 'sgd' and 'adam'); a boolean
 * is 0 or 1; fixed parameters carry no information and are left out; an inactive conditional
 * parameter encodes as 0.
 *
 * Acquisition, on "lower is better" values: expected improvement EI = (f* − μ − ξ)·Φ(z) + σ·φ(z),
 * z = (f* − μ − ξ)/σ (Jones et al., 1998), or the lower confidence bound μ − β·σ minimised
 * (KerasTuner's UCB, with its β = 2.6).
 */
import { ValueError } from '../../core/errors.js';
import { Generator } from '../../core/random.js';
import { fromUnit, isActive, sample, sampleSpace, toUnit, type HPDef, type HPValues } from '../hyperparameters.js';
import type { ProposeResult } from '../storage/store.js';
import { GaussianProcess } from './gp.js';
import { checkCount, knownSpace, loss, proposalGenerator, signature, type Oracle, type OracleContext, type SeededOptions } from './oracle.js';
import { MAX_DRAWS } from './random_search.js';

export interface BayesianOptions extends SeededOptions {
  /** [10] */
  maxTrials?: number;
  /** [3 × the number of tuned dimensions, at least 2] random trials before the GP is used. */
  numInitialPoints?: number;
  /** ['ei'] expected improvement, or 'ucb' (confidence bound). */
  acquisition?: 'ei' | 'ucb';
  /** [2.6] The confidence-bound weight. */
  beta?: number;
  /** [1e-4] The least noise variance (of standardised targets) the GP may fit. */
  alpha?: number;
  /** [0.01] EI's exploration margin ξ, in standardised units. */
  xi?: number;
  /** [1000] Random candidates scored per proposal (plus as many perturbations of the best trials). */
  candidates?: number;
}

export function encode(space: readonly HPDef[], values: HPValues): number[] {
  const out: number[] = [];
  for (const d of space) {
    const active = isActive(d, values) && values[d.name] !== undefined;
    const v = values[d.name];
    switch (d.type) {
      case 'fixed':
        break;
      case 'int':
      case 'float':
        out.push(active ? toUnit(d, v as number) : 0);
        break;
      case 'boolean':
        out.push(active && v === true ? 1 : 0);
        break;
      case 'choice':
        if (d.ordered) out.push(active ? d.values.indexOf(v!) / Math.max(1, d.values.length - 1) : 0);
        else for (const c of d.values) out.push(active && c === v ? 1 : 0);
        break;
    }
  }
  return out;
}

function normCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 on erf, |error| < 1.5e-7: far below what an acquisition needs.
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function expectedImprovement(best: number, mean: number, std: number, xi: number): number {
  if (std <= 0) return Math.max(0, best - mean - xi);
  const z = (best - mean - xi) / std;
  return (best - mean - xi) * normCdf(z) + (std * Math.exp(-(z * z) / 2)) / Math.sqrt(2 * Math.PI);
}

export class BayesianOptimizationOracle implements Oracle {
  readonly name = 'BayesianOptimization';
  readonly maxTrials: number;
  private readonly o: BayesianOptions;
  private readonly seed: number;

  constructor(o: BayesianOptions = {}) {
    checkCount('BayesianOptimization', 'maxTrials', o.maxTrials, 1);
    checkCount('BayesianOptimization', 'numInitialPoints', o.numInitialPoints, 1);
    checkCount('BayesianOptimization', 'candidates', o.candidates, 1);
    if (o.acquisition !== undefined && o.acquisition !== 'ei' && o.acquisition !== 'ucb') throw new ValueError(`BayesianOptimization: acquisition must be 'ei' or 'ucb', received ${JSON.stringify(o.acquisition)}`);
    this.maxTrials = o.maxTrials ?? 10;
    this.seed = o.seed ?? 0;
    this.o = o;
  }

  propose(ctx: OracleContext): ProposeResult {
    if (ctx.trials.length >= this.maxTrials) return 'done';
    const space = knownSpace(ctx);
    const seen = new Set(ctx.trials.map((t) => signature(space, t.values)));
    const g = proposalGenerator(this.seed, ctx.trials);
    const dims = encode(space, {}).length;
    const initial = this.o.numInitialPoints ?? Math.max(2, 3 * dims);
    const done = ctx.trials.filter((t) => t.status === 'completed' && t.score !== null && Number.isFinite(t.score));
    if (ctx.trials.length < initial || done.length < 2 || dims === 0) {
      for (let i = 0; i < MAX_DRAWS; i++) {
        const values = sampleSpace(space, g);
        if (!seen.has(signature(space, values))) return { values };
      }
      return 'done';
    }
    const x = done.map((t) => encode(space, t.values));
    const y = done.map((t) => loss(t.score!, ctx.direction));
    const gp = new GaussianProcess(x, y, { minNoise: this.o.alpha ?? 1e-4 });
    const bestY = Math.min(...y);
    const scale = Math.sqrt(gp.params.variance) || 1;
    const xi = (this.o.xi ?? 0.01) * scale;
    const beta = this.o.beta ?? 2.6;
    const score = (v: HPValues): number => {
      const p = gp.predict(encode(space, v));
      return this.o.acquisition === 'ucb' ? -(p.mean - beta * p.std) : expectedImprovement(bestY, p.mean, p.std, xi);
    };
    const n = this.o.candidates ?? 1000;
    const elite = [...done].sort((a, b) => loss(a.score!, ctx.direction) - loss(b.score!, ctx.direction)).slice(0, 5);
    let best: { v: HPValues; a: number } | null = null;
    for (let i = 0; i < 2 * n; i++) {
      const v = i < n ? sampleSpace(space, g) : perturb(space, elite[i % elite.length]!.values, g, i < 1.5 * n ? 0.1 : 0.02);
      if (seen.has(signature(space, v))) continue;
      const a = score(v);
      if (best === null || a > best.a) best = { v, a };
    }
    return best === null ? 'done' : { values: best.v };
  }
}

/** A neighbour of `values`: numeric parameters moved by a normal step of `sd` in unit space, categorical ones redrawn with probability 0.1. */
function perturb(space: readonly HPDef[], values: HPValues, g: Generator, sd: number): HPValues {
  const out: HPValues = {};
  for (const d of space) {
    if (!isActive(d, out)) continue;
    const v = values[d.name];
    if (v === undefined) out[d.name] = sample(d, g);
    else if (d.type === 'int' || d.type === 'float') out[d.name] = fromUnit(d, toUnit(d, v as number) + sd * g.normal());
    else out[d.name] = g.float() < 0.1 ? sample(d, g) : v;
  }
  return out;
}
