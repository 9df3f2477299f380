/**
 * Optimizers as gradient transformations (in the style of optax): a transformation turns
 * gradients into updates, carrying typed state from one step to the next. `chain` composes
 * them, so `adam` is `chain(scaleByAdam(), scaleByLearningRate(lr))` and clipping, weight decay
 * or a schedule are links added to the chain rather than options threaded through a class.
 *
 * State is immutable: `update` returns the next state; the runner (`OptimizerRunner`) keeps
 * the new state's tensors alive across training-step scopes and frees the old ones. A chain's
 * state is a record keyed by link name (`{adam: {m, v, vHat}, lr: null}`), each entry typed by
 * its link, so a fused path reads `state.adam.m` without a cast, and `saveState`/`loadState`
 * turn it into named tensors and numbers and back (state.ts).
 */
import { dispose, keep, scope } from '../core/engine.js';
import { ShapeError, ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, type Variable } from '../core/tensor.js';
import { add, mul, notEqual } from '../ops/elementwise.js';
import { where } from '../ops/primitives.js';
import { checkRateValue } from './hyperparameters.js';
import { rateConfig } from './rate_config.js';
import { stateFromData, stateToData, type OptimizerStateData } from './state.js';
import { declaredStepValues, onHost, tracing, uncapturable, withStepSource } from '../capture/host.js';

/** A learning-rate schedule: the rate for update number `step` (0 for the first update). */
export type Schedule = (step: number) => number;
export type LearningRate = number | Schedule;

/**
 * `step` counts updates already applied (0 on the first call), like Keras's `iterations`:
 * schedules read lr(step), and bias corrections use t = step + 1 (CONVENTIONS: t counts from 1).
 * Methods (not function properties) so that a transformation with a specific state type is
 * assignable to `GradientTransformation<unknown>`.
 *
 * State is plain data: tensors, numbers and null in arrays and records (what `stateToData`
 * walks), never class instances or functions.
 */
export interface GradientTransformation<S> {
  /** The key `chain(a, b, ...)` files this link's state under ('adam', 'lr', 'clipnorm'). */
  readonly name?: string;
  init(params: readonly Variable[]): S;
  update(grads: readonly Tensor[], state: S, params: readonly Variable[], step: number): [Tensor[], S];
  /**
   * Optional fused path: applies this step's updates to `params` itself (a kernel or two per
   * weight instead of the chain's tensors) and returns the next state. It must give exactly
   * what `update` followed by `applyUpdates` gives, bit for bit; the runner prefers it.
   *
   * `guard`, when given, is a float32 scalar tensor, 1 or 0; the step must leave params and
   * state unchanged where guard is 0 (fit's non-finite guard: a step whose loss or gradients
   * hold NaN or Inf is skipped without reading the decision back to the host). Number
   * entries of the state (host values such as Nadam's momentum product) advance either way,
   * as the step count does (training/finite.ts says why).
   */
  applyStep?(grads: readonly Tensor[], state: S, params: readonly Variable[], step: number, guard?: Tensor | null): S;
}

/** A transformation with a literal name: what the built-in links return. */
export type Link<N extends string, S> = GradientTransformation<S> & { readonly name: N };

/** The state type of a transformation (`undefined`, from an optional link, contributes nothing). */
export type StateOf<T> = T extends GradientTransformation<infer S> ? S : never;

/** Named links: `{clip: clipByGlobalNorm(1), adam: scaleByAdam(), lr: scaleByLearningRate(0.01)}`. */
export type Links = { readonly [name: string]: GradientTransformation<unknown> | undefined };

/** The state of `chain(links)`: one entry per link, under the link's key, with its own type. */
export type ChainState<L> = { readonly [K in keyof L]: StateOf<L[K]> };

/** The state of `chain(a, b, ...)`: each link's state under the link's `name`. */
export type ChainStateOf<T extends readonly Link<string, unknown>[]> = { readonly [E in T[number] as E['name']]: StateOf<E> };

/** A named transformation users pass to `compile`: what 'sgd' and 'adam' resolve to. */
export interface Optimizer<S = unknown> extends GradientTransformation<S> {
  readonly name: string;
  /**
   * The rate the next updates use; assignable between steps (Keras's
   * `optimizer.learning_rate = ...`), which is how LearningRateScheduler and
   * ReduceLROnPlateau work. Absent on optimizers whose rate cannot change.
   */
  learningRate?: LearningRate;
  getConfig(): Record<string, unknown>;
}

/** An optimizer with an assignable rate, what the built-in factories return. */
export type RateOptimizer<S> = Optimizer<S> & { learningRate: LearningRate };

/**
 * An Optimizer whose rule reads `learningRate` at each step, so assigning a new rate (a
 * number or a schedule) takes effect from the next update on. `build` receives the rate as a
 * schedule to pass to the links that need it.
 */
export function optimizerWithRate<S>(
  name: string,
  learningRate: LearningRate,
  build: (lr: Schedule) => GradientTransformation<S>,
  config: () => Record<string, unknown>,
): RateOptimizer<S> {
  const opt: RateOptimizer<S> = {
    name,
    learningRate,
    init: (params) => t.init(params),
    update: (grads, state, params, step) => t.update(grads, state, params, step),
    // A schedule from hb.schedules as {className, config}; a plain function as a marker that
    // fromConfig refuses (rate_config.ts).
    getConfig: () => ({ learningRate: rateConfig(opt.learningRate), ...config() }),
  };
  const t = build((step) => learningRateAt(opt.learningRate, step));
  return opt;
}

const isTransformation = (v: unknown): v is GradientTransformation<unknown> =>
  typeof v === 'object' && v !== null && 'init' in v && 'update' in v && typeof v.init === 'function' && typeof v.update === 'function';

/**
 * Applies transformations in order, each to the previous one's updates. Either named links,
 * `chain({clip: clipByGlobalNorm(1), adam: scaleByAdam(), lr: scaleByLearningRate(1e-3)})`,
 * or links in a row whose own `name`s key the state,
 * `chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3))`. Either way the state
 * is a record, `{globalClipnorm: null, adam: {m, v, vHat}, lr: null}`, typed link by link.
 * Keys keep the order given (an entry that is undefined is skipped, for optional links).
 */
export function chain<T extends readonly Link<string, unknown>[]>(...links: T): GradientTransformation<ChainStateOf<T>>;
export function chain<L extends Links>(links: L): GradientTransformation<ChainState<L>>;
export function chain(...args: readonly (Links | GradientTransformation<unknown>)[]): GradientTransformation<Readonly<Record<string, unknown>>> {
  const entries: [string, GradientTransformation<unknown>][] = [];
  const first = args[0];
  if (args.length === 1 && first !== undefined && !isTransformation(first)) {
    for (const [k, l] of Object.entries(first)) if (l !== undefined) entries.push([k, l]);
  } else {
    args.forEach((l, i) => {
      if (!isTransformation(l) || typeof l.name !== 'string' || l.name === '') {
        throw new ValueError(`chain: link ${i} has no name to key its state; pass named links instead, chain({name: link, ...})`);
      }
      entries.push([l.name, l]);
    });
  }
  const seen = new Set<string>();
  for (const [k, l] of entries) {
    if (!isTransformation(l)) throw new ValueError(`chain: link "${k}" must be a gradient transformation (init, update), received ${fmtReceived(l)}`);
    if (seen.has(k)) throw new ValueError(`chain: two links named "${k}"; pass named links instead, chain({${k}: ..., ${k}2: ...})`);
    seen.add(k);
  }
  return {
    init(params) {
      return Object.fromEntries(entries.map(([k, l]) => [k, l.init(params)]));
    },
    update(grads, state, params, step) {
      let u: Tensor[] = [...grads];
      const next: Record<string, unknown> = {};
      for (const [k, l] of entries) {
        const [u2, s2] = l.update(u, state[k], params, step);
        u = u2;
        next[k] = s2;
      }
      return [u, next];
    },
  };
}

/** The value of a learning rate at `step`, checked: a schedule returning NaN or a negative rate is a bug to surface. */
export function learningRateAt(lr: LearningRate, step: number): number {
  return checkRateValue(typeof lr === 'number' ? lr : lr(step), step);
}

/** u = -lr(step) · g: the link every descent recipe ends with. Stateless. */
export function scaleByLearningRate(learningRate: LearningRate): Link<'lr', null> {
  return {
    name: 'lr',
    init: () => null,
    update(grads, state, _params, step) {
      const lr = learningRateAt(learningRate, step);
      return [grads.map((g) => mul(g, -lr)), state];
    },
  };
}

/** w ← w + u for each parameter (Variable.assign swaps storage; nothing is written in place). */
export function applyUpdates(params: readonly Variable[], updates: readonly Tensor[]): void {
  if (params.length !== updates.length) {
    throw new ValueError(`applyUpdates: expected one update per parameter (${params.length}), received ${updates.length}`);
  }
  params.forEach((p, i) => {
    const u = updates[i] as Tensor;
    if (!shapesEqual(p.shape, u.shape)) {
      throw new ShapeError(`applyUpdates: parameter "${p.name}" has shape ${fmtShape(p.shape)}, update has ${fmtShape(u.shape)}`);
    }
    scope(() => p.assign(add(p, u)));
  });
}

/**
 * The bool scalar `where` selects with, from a step guard (a float32 scalar, 1 or 0): what an
 * `applyStep` honoring the guard writes as `where(guardCondition(guard), new, old)`.
 */
export function guardCondition(guard: Tensor): Tensor {
  checkGuard(guard);
  return notEqual(guard, 0);
}

/** The guard's contract, checked on the host: a float32 scalar. */
function checkGuard(guard: Tensor): void {
  if (guard.rank !== 0 || guard.dtype !== 'float32') {
    throw new ValueError(`optimizer: the step guard must be a float32 scalar (1 or 0), received ${guard.dtype} of shape ${fmtShape(guard.shape)}`);
  }
}

/**
 * where(cond, next, old) for every tensor of a state, walking the two trees in step; a tensor
 * the step passed through unchanged stays as it is, and numbers take the next value (host
 * values advance with the step count, see GradientTransformation.applyStep).
 */
export function selectState<S>(cond: Tensor, next: S, old: S): S {
  const pick = (n: unknown, o: unknown): unknown => {
    if (n instanceof Tensor) return o instanceof Tensor && o !== n ? where(cond, n, o) : n;
    if (Array.isArray(n)) return n.map((e: unknown, i) => pick(e, Array.isArray(o) ? (o[i] as unknown) : undefined));
    if (n !== null && typeof n === 'object') {
      const oo: Record<string, unknown> = o !== null && typeof o === 'object' ? { ...o } : {};
      return Object.fromEntries(Object.entries(n).map(([k, e]) => [k, pick(e, oo[k])]));
    }
    return n;
  };
  return pick(next, old) as S;
}

/** Every tensor in a state value (tensors, arrays, plain objects, null). */
export function stateTensors(value: unknown, into: Set<Tensor> = new Set()): Set<Tensor> {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) stateTensors(v, into);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stateTensors(v, into);
  return into;
}

/**
 * Binds an optimizer to a list of parameters and owns its state between steps. `step` is
 * meant to run inside the training step's scope: the gradients and updates are temporaries,
 * the new state is kept, and the previous state's tensors are freed once replaced.
 */
export class OptimizerRunner<S = unknown> {
  private state: S | undefined;
  /** Updates applied so far (Keras's `optimizer.iterations`). */
  iterations = 0;

  constructor(
    readonly optimizer: GradientTransformation<S>,
    readonly params: readonly Variable[],
  ) {}

  /**
   * Computes the updates for `grads`, applies them and advances the state. With `guard` (a
   * float32 scalar, 1 or 0, computed on the backend), weights and state tensors change only
   * where it is 1; `iterations` counts the step either way (it is a host number, and reading
   * the guard back each step is what the guard exists to avoid).
   */
  step(grads: readonly Tensor[], guard: Tensor | null = null): void {
    if (grads.length !== this.params.length) {
      throw new ValueError(`optimizer: expected one gradient per trainable weight (${this.params.length}), received ${grads.length}`);
    }
    // Checked before any weight changes, so a bad gradient never leaves a step half applied.
    this.params.forEach((p, i) => {
      const g = grads[i] as Tensor;
      if (!shapesEqual(g.shape, p.shape)) {
        throw new ShapeError(`optimizer: the gradient for "${p.name}" has shape ${fmtShape(g.shape)}, the weight has ${fmtShape(p.shape)}`);
      }
    });
    if (this.state === undefined) this.state = this.keepState(this.optimizer.init(this.params));
    const old = this.state;
    let next: S;
    // The bool condition only where the chain selects with it; a fused step reads the guard itself.
    const cond = guard && !this.optimizer.applyStep ? guardCondition(guard) : null;
    if (guard) checkGuard(guard);
    if (this.optimizer.applyStep) {
      const applyStep = this.optimizer.applyStep.bind(this.optimizer);
      const declared = declaredStepValues();
      // A captured step's replay reads the live step count (capture/host.ts), not the traced one.
      next = withStepSource(() => this.iterations, () => applyStep(grads, old, this.params, this.iterations, guard));
      if (tracing() && declaredStepValues() === declared) uncapturable(`optimizer ${this.optimizer.name ?? ''}: its applyStep passes no per-step values by reference (capture/host.ts)`);
    } else {
      uncapturable(`optimizer ${this.optimizer.name ?? ''} runs its chain path (clipnorm, clipvalue, globalClipnorm or a custom chain): its per-step numbers are not passed by reference`);
      const [updates, after] = this.optimizer.update(grads, old, this.params, this.iterations);
      if (cond) {
        if (updates.length !== this.params.length) applyUpdates(this.params, updates); // its error
        this.params.forEach((p, i) => scope(() => p.assign(where(cond, add(p, updates[i] as Tensor), p))));
        next = selectState(cond, after, old);
      } else {
        applyUpdates(this.params, updates);
        next = after;
      }
    }
    this.state = this.keepState(next);
    const live = stateTensors(this.state);
    for (const t of stateTensors(old)) if (!live.has(t)) t.dispose();
    onHost(() => this.iterations++);
  }

  /**
   * The state as plain data (copies of its tensors, its numbers, the step count), for a
   * checkpoint; before the first step, the initial state.
   */
  saveState(): OptimizerStateData {
    this.state ??= this.keepState(this.optimizer.init(this.params));
    return stateToData(this.state, this.iterations);
  }

  /**
   * Replaces the state with `data` (from `saveState`, possibly of another runner of the same
   * optimizer over weights of the same shapes): the next step continues where that run was.
   * The data's tensors are copied, so the caller keeps (and frees) its own.
   */
  loadState(data: OptimizerStateData): void {
    const it = data?.iterations;
    if (typeof it !== 'number' || !Number.isSafeInteger(it) || it < 0) {
      throw new ValueError(`loadState: iterations must be an integer >= 0, received ${fmtReceived(it)}`);
    }
    const template = this.optimizer.init(this.params);
    let filled: S;
    try {
      filled = stateFromData(template, data);
    } catch (e) {
      dispose([...stateTensors(template)]);
      throw e;
    }
    const next = this.keepState(filled);
    dispose([...stateTensors(this.state)]);
    this.state = next;
    this.iterations = it;
  }

  private keepState(s: S): S {
    for (const t of stateTensors(s)) keep(t);
    return s;
  }

  /** Frees the state (the runner can be used again: state restarts from init). */
  dispose(): void {
    dispose([...stateTensors(this.state)]);
    this.state = undefined;
  }
}
