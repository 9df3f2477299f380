/**
 * Optimizers as gradient transformations (in the style of optax): a transformation turns
 * gradients into updates, carrying typed state from one step to the next. `chain` composes
 * them, so `adam` is `chain(scaleByAdam(), scaleByLearningRate(lr))` and clipping, weight decay
 * or a schedule are links added to the chain rather than options threaded through a class.
 *
 * State is immutable: `update` returns the next state; the runner (`OptimizerRunner`) keeps
 * the new state's tensors alive across training-step scopes and frees the old ones.
 */
import { dispose, keep, scope } from '../core/engine.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, type Variable } from '../core/tensor.js';
import { add, mul } from '../ops/elementwise.js';
import { checkRateValue } from './hyperparameters.js';

/** A learning-rate schedule: the rate for update number `step` (0 for the first update). */
export type Schedule = (step: number) => number;
export type LearningRate = number | Schedule;

/**
 * `step` counts updates already applied (0 on the first call), like Keras's `iterations`:
 * schedules read lr(step), and bias corrections use t = step + 1 (CONVENTIONS: t counts from 1).
 * Methods (not function properties) so that a transformation with a specific state type is
 * assignable to `GradientTransformation<unknown>`.
 */
export interface GradientTransformation<S> {
  init(params: readonly Variable[]): S;
  update(grads: readonly Tensor[], state: S, params: readonly Variable[], step: number): [Tensor[], S];
}

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
  /**
   * Optional fused path: applies this step's updates to `params` itself (a kernel or two per
   * weight instead of the chain's tensors) and returns the next state. It must give exactly
   * what `update` followed by `applyUpdates` gives, bit for bit; the runner prefers it.
   */
  applyStep?(grads: readonly Tensor[], state: S, params: readonly Variable[], step: number): S;
}

/**
 * An Optimizer whose rule reads `learningRate` at each step, so assigning a new rate (a
 * number or a schedule) takes effect from the next update on. `build` receives the rate as a
 * schedule to pass to the links that need it.
 */
export function optimizerWithRate(
  name: string,
  learningRate: LearningRate,
  build: (lr: Schedule) => GradientTransformation<readonly unknown[]>,
  config: () => Record<string, unknown>,
): Optimizer<readonly unknown[]> {
  const opt: Optimizer<readonly unknown[]> & { learningRate: LearningRate } = {
    name,
    learningRate,
    init: (params) => t.init(params),
    update: (grads, state, params, step) => t.update(grads, state, params, step),
    getConfig: () => ({ learningRate: typeof opt.learningRate === 'number' ? opt.learningRate : 'schedule', ...config() }),
  };
  const t = build((step) => learningRateAt(opt.learningRate, step));
  return opt;
}

/**
 * Applies transformations in order, each to the previous one's updates. The state is one
 * entry per link; each link checks its own entry's type, so the chain keeps it opaque.
 */
export function chain(...links: readonly GradientTransformation<unknown>[]): GradientTransformation<readonly unknown[]> {
  return {
    init(params) {
      return links.map((l) => l.init(params));
    },
    update(grads, state, params, step) {
      let u: Tensor[] = [...grads];
      const next: unknown[] = [];
      links.forEach((l, i) => {
        const [u2, s2] = l.update(u, state[i], params, step);
        u = u2;
        next.push(s2);
      });
      return [u, next];
    },
  };
}

/** The value of a learning rate at `step`, checked: a schedule returning NaN or a negative rate is a bug to surface. */
export function learningRateAt(lr: LearningRate, step: number): number {
  return checkRateValue(typeof lr === 'number' ? lr : lr(step), step);
}

/** u = -lr(step) · g: the link every descent recipe ends with. Stateless. */
export function scaleByLearningRate(learningRate: LearningRate): GradientTransformation<null> {
  return {
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

  /** Computes the updates for `grads`, applies them and advances the state. */
  step(grads: readonly Tensor[]): void {
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
    const fused = (this.optimizer as Optimizer<S>).applyStep;
    let next: S;
    if (fused) {
      next = fused.call(this.optimizer, grads, old, this.params, this.iterations);
    } else {
      const [updates, after] = this.optimizer.update(grads, old, this.params, this.iterations);
      applyUpdates(this.params, updates);
      next = after;
    }
    this.state = this.keepState(next);
    const live = stateTensors(this.state);
    for (const t of stateTensors(old)) if (!live.has(t)) t.dispose();
    this.iterations++;
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
