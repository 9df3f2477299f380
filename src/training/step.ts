/**
 * The training step (DESIGN §4) and its inference twin, as Keras's custom-training-step
 * pattern: the loops call `model.trainStep(data)` / `model.testStep(data)` once per batch, in
 * a scope, so every temporary of the step is freed when it ends; nothing is read back to the
 * host here. `Model` (models/model.ts) implements both with `defaultTrainStep` /
 * `defaultTestStep` below, and a subclass may override them, building its own step from the
 * pieces the default uses: `valueAndGrad`, `computeLoss` (the compiled losses plus
 * `model.losses`), `applyGradients` (the optimizer, behind the non-finite guard, then the
 * constraints) and `updateMetrics` (the loss trackers and compiled metrics).
 *
 * Those pieces need fit's or evaluate's state (resolved outputs, optimizer runner, trackers):
 * the loop installs it with `withStepContext` for the duration of the call, per model, as a
 * stack (fit's validation pass runs evaluate's context inside fit's).
 */
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { valueAndGrad } from '../autodiff/grad.js';
import { add, mul } from '../ops/elementwise.js';
import { where } from '../ops/primitives.js';
import { computeLoss as lossValue } from '../losses/index.js';
import type { CallbackModel } from '../callbacks/callback.js';
import type { CompiledOutput } from './compile.js';
import { guardCondition, type OptimizerRunner } from '../optimizers/transform.js';
import type { LossTrackers } from './trackers.js';
import { finiteGuard, type SkipMonitor } from './finite.js';

/** One batch, as the loops hand it to a step: one tensor per input and per output. */
export interface StepData {
  readonly x: readonly Tensor[];
  readonly y: readonly Tensor[];
  /** One weight per sample (sampleWeight and classWeight folded), or null. */
  readonly sampleWeight: Tensor | null;
}

/** What computeLoss returns: the training objective and the unweighted per-output losses. */
export interface StepLosses {
  /** Σ lossWeight·loss over the outputs plus `model.losses` (the value to differentiate). */
  readonly total: Tensor;
  /** One scalar per output, unweighted (logged as `<output>_loss` when there are several). */
  readonly perOutput: readonly Tensor[];
}

/** What the trainer needs from a model (models/ implements it; kept here to avoid a cycle). */
export interface TrainableModel extends CallbackModel {
  readonly name: string;
  /** Runs the model on one tensor per input; returns one tensor per output. */
  forward(inputs: readonly Tensor[], training: boolean): Tensor[];
  readonly trainableWeights: Variable[];
  /** Every weight (the compile-time trainable snapshot keeps their order); optional. */
  readonly weights?: Variable[];
  /** Penalties from layer regularizers, computed now (scalars, inside the caller's scope). */
  regularizationLosses(): Tensor[];
  /** Activity penalties recorded by the last forward pass (owned by the layers); optional. */
  activityLosses?(): Tensor[];
  /** Weights to project after each update (maxNorm...); optional. */
  weightConstraints?(): { variable: Variable; constraint: { apply(w: Tensor): Tensor } }[];
  /** One training step on a batch; `defaultTrainStep` when absent. */
  trainStep?(data: StepData): void;
  /** One evaluation step on a batch; `defaultTestStep` when absent. */
  testStep?(data: StepData): void;
}

/** fit's or evaluate's state that the step's pieces use. */
export interface StepContext {
  readonly outputs: readonly CompiledOutput[];
  readonly trackers: LossTrackers;
  /** The optimizer bound to the trainable weights; null in evaluate. */
  readonly runner: OptimizerRunner | null;
  /** The non-finite guard's counters; null in evaluate. */
  readonly skips: SkipMonitor | null;
}

const contexts = new WeakMap<object, StepContext[]>();

/** Runs `fn` (a loop) with `ctx` as `model`'s step context, restoring the previous one after. */
export async function withStepContext<T>(model: object, ctx: StepContext, fn: () => Promise<T>): Promise<T> {
  const stack = contexts.get(model) ?? [];
  contexts.set(model, stack);
  stack.push(ctx);
  try {
    return await fn();
  } finally {
    stack.pop();
  }
}

function contextOf(model: TrainableModel, op: string): StepContext {
  const stack = contexts.get(model);
  const ctx = stack?.[stack.length - 1];
  if (!ctx) throw new ValueError(`${op}: model "${model.name}" is not in fit or evaluate; trainStep and testStep run inside them, once per batch`);
  return ctx;
}

function checkOutputs(model: TrainableModel, outputs: readonly CompiledOutput[], y: readonly Tensor[], yPred: readonly Tensor[]): void {
  if (yPred.length !== outputs.length) {
    throw new ShapeError(`${model.name}: the model returned ${yPred.length} outputs, compile resolved ${outputs.length}`);
  }
  yPred.forEach((p, i) => {
    const t = y[i] as Tensor;
    if (p.shape[0] !== t.shape[0]) {
      throw new ShapeError(`${model.name}: output "${outputs[i]?.name}" has shape ${fmtShape(p.shape)} but its targets have ${fmtShape(t.shape)}`);
    }
  });
}

/**
 * Keras's compute_loss: the compiled losses weighted by lossWeights, plus `model.losses` (the
 * activity penalties of the forward pass just made, then the weight penalties at the current
 * weights), in the train and the test step alike.
 */
export function computeLoss(model: TrainableModel, data: StepData, yPred: readonly Tensor[]): StepLosses {
  const { outputs } = contextOf(model, 'computeLoss');
  checkOutputs(model, outputs, data.y, yPred);
  const sw = data.sampleWeight ?? undefined;
  const perOutput = outputs.map((o, i) => lossValue(o.loss, data.y[i] as Tensor, yPred[i] as Tensor, sw));
  const terms = perOutput.map((p, i) => {
    const w = (outputs[i] as CompiledOutput).weight;
    return w === 1 ? p : mul(p, w);
  });
  let total = terms.slice(1).reduce((acc, t) => add(acc, t), terms[0] as Tensor);
  for (const a of model.activityLosses?.() ?? []) total = add(total, a);
  for (const r of model.regularizationLosses()) total = add(total, r);
  return { total, perOutput };
}

/**
 * The optimizer's update for `grads` (one per trainable weight, in `trainableWeights` order),
 * then the constraints (CONVENTIONS: step 5, after the update). In fit, only when `loss` and
 * every gradient are finite: decided on the backend (training/finite.ts), a skipped step
 * leaves weights and optimizer state as they were and is counted in the logs.
 */
export function applyGradients(model: TrainableModel, grads: readonly Tensor[], loss: Tensor): void {
  const { runner, skips } = contextOf(model, 'applyGradients');
  if (!runner) throw new ValueError(`applyGradients: model "${model.name}" is evaluating, not training; only trainStep updates weights`);
  const guard = skips ? skips.guard(finiteGuard(loss, grads)) : null;
  runner.step(grads, guard);
  const constraints = model.weightConstraints?.() ?? [];
  const cond = guard && constraints.length > 0 ? guardCondition(guard) : null;
  for (const { variable, constraint } of constraints) {
    const projected = constraint.apply(variable);
    variable.assign(cond ? where(cond, projected, variable) : projected);
  }
}

/** The loss trackers (total, and per output when several) and every compiled metric, on this batch. */
export function updateMetrics(model: TrainableModel, data: StepData, yPred: readonly Tensor[], losses: StepLosses): void {
  const { outputs, trackers } = contextOf(model, 'updateMetrics');
  trackers.update(losses.total, losses.perOutput, data.x[0]?.shape[0] ?? 0);
  const sw = data.sampleWeight ?? undefined;
  outputs.forEach((o, i) => {
    for (const m of o.metrics) m.update(data.y[i] as Tensor, yPred[i] as Tensor, sw);
  });
}

/** The pieces a step is made of; Model's methods, or the functions above. */
export interface StepParts {
  computeLoss(data: StepData, yPred: readonly Tensor[]): StepLosses;
  applyGradients(grads: readonly Tensor[], loss: Tensor): void;
  updateMetrics(data: StepData, yPred: readonly Tensor[], losses: StepLosses): void;
}

function partsOf(model: TrainableModel): StepParts {
  return {
    computeLoss: (d, p) => computeLoss(model, d, p),
    applyGradients: (g, l) => applyGradients(model, g, l),
    updateMetrics: (d, p, l) => updateMetrics(model, d, p, l),
  };
}

/**
 * The default training step: forward in training mode, computeLoss, its gradients with
 * respect to the trainable weights (the predictions and per-output losses come back as
 * valueAndGrad's aux, alive past its cleanup), applyGradients, then updateMetrics on the
 * predictions made before the update, as Keras does. `parts` are the model's own (so a
 * subclass overriding computeLoss alone changes this step too).
 */
export function defaultTrainStep(model: TrainableModel, data: StepData, parts: StepParts = partsOf(model)): void {
  const { value, grads, aux } = valueAndGrad(() => {
    const yPred = model.forward(data.x, true);
    const losses = parts.computeLoss(data, yPred);
    return [losses.total, { yPred, perOutput: [...losses.perOutput] }];
  }, contextOf(model, 'trainStep').runner?.params ?? model.trainableWeights, { hasAux: true });
  parts.applyGradients(grads, value);
  parts.updateMetrics(data, aux.yPred, { total: value, perOutput: aux.perOutput });
}

/** The default evaluation step: forward in inference mode, computeLoss, updateMetrics; no gradients. */
export function defaultTestStep(model: TrainableModel, data: StepData, parts: StepParts = partsOf(model)): void {
  const yPred = model.forward(data.x, false);
  parts.updateMetrics(data, yPred, parts.computeLoss(data, yPred));
}

/** The model's own step (a subclass may override it) or, for a bare TrainableModel, the default. */
export function runTrainStep(model: TrainableModel, data: StepData): void {
  if (model.trainStep) model.trainStep(data);
  else defaultTrainStep(model, data);
}

export function runTestStep(model: TrainableModel, data: StepData): void {
  if (model.testStep) model.testStep(data);
  else defaultTestStep(model, data);
}
