/**
 * The optimizers' fast path (`applyStep`), written once: an optimizer gives its rule as an
 * expression (ops/fused.ts) from one weight's gradient, weight and state to the chain's final
 * update u and next state; this wraps it in w' = w + u (the chain's applyUpdates), the
 * decoupled weight decay when the chain has it (u + w·(−lr·wd), the decay link's arithmetic)
 * and the non-finite guard (every output where(guard, new, old)), and runs it as one fused
 * kernel per weight. The chain stays the definition; tests check that both give the same bits.
 */
import type { Tensor, Variable } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { cast } from '../ops/primitives.js';
import { defineFused, runFused, type Expr, type FusedBuilder, type FusedFn } from '../ops/fused.js';
import { decays, type WeightDecayExclusion } from './decay.js';
import { learningRateAt, type LearningRate } from './transform.js';
import type { KerasOptimizerOptions } from './keras_options.js';
import { byRef, currentStepSource, declareStepValues, onHost, tracing, uncapturable } from '../capture/host.js';

/** The scalar params of one step, from its step number (read at each step, so a changed rate applies). */
export type StepValues = (step: number) => readonly number[];

/** One weight's rule: from g, w, the state tensors and the scalar params, u and the next state. */
export type FusedRule = (e: FusedBuilder, g: Expr, w: Expr, state: readonly Expr[], params: readonly Expr[]) => { update: Expr; state: Expr[] };

export interface FusedStepDef {
  readonly name: string;
  /** State tensors per weight (their order in `rule`'s state and in the result). */
  readonly stateCount: number;
  /** Scalar params the rule reads (values given per step). */
  readonly paramCount: number;
  readonly rule: FusedRule;
}

/** The decoupled weight decay of a chain, as kerasOptionLinks made it (absent: none). */
export interface FusedDecay {
  readonly weightDecay: number;
  readonly learningRate: LearningRate;
  readonly exclude: WeightDecayExclusion | undefined;
}

/** The four programs of a rule (with or without decay, with or without guard), built on first use. */
export class FusedStep {
  private readonly programs = new Map<number, FusedFn>();
  /** The params as the kernels read them, refilled each step (byRef: a captured step's replay refills them too). */
  private readonly box: number[] = byRef([]);
  private readonly decayBox: number[] = byRef([]);

  constructor(private readonly def: FusedStepDef) {}

  private program(decay: boolean, guard: boolean): FusedFn {
    const key = (decay ? 1 : 0) + (guard ? 2 : 0);
    let fn = this.programs.get(key);
    if (fn) return fn;
    const { stateCount: ns, paramCount: np, rule } = this.def;
    fn = defineFused(`${this.def.name} step`, 2 + ns + (guard ? 1 : 0), np + (decay ? 1 : 0), (e, x, p) => {
      const [w, g] = x as [Expr, Expr];
      const s0 = x.slice(2, 2 + ns);
      const r = rule(e, g, w, s0, p.slice(0, np));
      const u = decay ? e.add(r.update, e.mul(w, p[np] as Expr)) : r.update;
      const w1 = e.add(w, u);
      if (!guard) return [w1, ...r.state];
      const ok = x[2 + ns] as Expr;
      return [e.where(ok, w1, w), ...r.state.map((s, i) => e.where(ok, s, s0[i] as Expr))];
    });
    this.programs.set(key, fn);
    return fn;
  }

  /**
   * Runs the step on every weight: assigns w' to each parameter and returns the next state,
   * per weight (state[i] lists weight i's state tensors in the rule's order). `values` are the
   * rule's scalar params, or a function of the step giving them: only that form is captured
   * (capture/host.ts), as a fixed array cannot follow a schedule in a replay.
   */
  apply(grads: readonly Tensor[], params: readonly Variable[], state: readonly (readonly Tensor[])[], values: readonly number[] | StepValues, step: number, decay: FusedDecay | null, guard: Tensor | null | undefined): Tensor[][] {
    if (grads.length !== params.length) {
      throw new ValueError(`optimizer: expected one gradient per trainable weight (${params.length}), received ${grads.length}`);
    }
    const withDecay = decay !== null && decay.weightDecay !== 0;
    if (tracing() && typeof values !== 'function') uncapturable(`optimizer ${this.def.name}: its per-step values are computed on the host, not passed by reference`);
    const src = currentStepSource(step);
    if (tracing() && src === null) uncapturable(`optimizer ${this.def.name}: applyStep called outside an OptimizerRunner (no live step count)`);
    if (typeof values === 'function') declareStepValues();
    const box = this.box;
    const decayBox = this.decayBox;
    onHost(() => {
      const s = src ? src() : step;
      const v = typeof values === 'function' ? values(s) : values;
      box.length = 0;
      for (const x of v) box.push(x);
      if (withDecay) {
        decayBox.length = 0;
        for (const x of v) decayBox.push(x);
        decayBox.push(-learningRateAt(decay.learningRate, s) * decay.weightDecay);
      }
    });
    // Without the fused kernel the rule runs as composed ops, whose scalars a trace would bake in.
    if (tracing() && params.length > 0 && !params[0]?.storage.backend.fused) uncapturable(`optimizer ${this.def.name}: the backend has no fused kernel`);
    return params.map((p, i) => {
      const decayed = withDecay && decays(p, decay?.exclude);
      // The guard joins as a scalar input of the weight's dtype (1, 0 or NaN stay exact).
      const ok = guard ? (guard.dtype === p.dtype ? guard : cast(guard, p.dtype)) : null;
      const inputs = [p, grads[i] as Tensor, ...(state[i] as readonly Tensor[]), ...(ok ? [ok] : [])];
      const outs = runFused(this.program(decayed, ok !== null), inputs, decayed ? decayBox : box);
      if (ok && ok !== guard) ok.dispose();
      const w1 = outs[0] as Tensor;
      p.assign(w1);
      w1.dispose();
      return outs.slice(1);
    });
  }
}

/**
 * Whether an optimizer's options leave its chain fit for the fused step (no clipnorm or
 * globalClipnorm, whose norms are reductions), and its decay. null: not fit.
 */
export function fusedOptions(o: KerasOptimizerOptions, learningRate: LearningRate, defaultWeightDecay?: number): { decay: FusedDecay | null } | null {
  if (o.clipnorm !== undefined || o.globalClipnorm !== undefined || o.clipvalue !== undefined) return null;
  const weightDecay = o.weightDecay ?? defaultWeightDecay;
  if (weightDecay === undefined || weightDecay === 0) return { decay: null };
  return { decay: { weightDecay, learningRate, exclude: o.excludeFromWeightDecay } };
}

/** Per weight, the i-th tensor of each state list: [[m0, v0], [m1, v1], ...] from [m, v]. */
export function perWeight(lists: readonly (readonly Tensor[])[], count: number): Tensor[][] {
  return Array.from({ length: count }, (_, i) => lists.map((l) => l[i] as Tensor));
}

/** The j-th state tensor of every weight: the inverse of perWeight. */
export function stateList(next: readonly (readonly Tensor[])[], j: number): Tensor[] {
  return next.map((s) => s[j] as Tensor);
}
