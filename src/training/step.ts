/**
 * The one training step (DESIGN §4) and its inference twin. Both run in a scope, so every
 * temporary of the step is freed when it ends; nothing is read back to the host here.
 */
import { keep, scope } from '../core/engine.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { valueAndGrad } from '../autodiff/grad.js';
import { add, mul } from '../ops/elementwise.js';
import { computeLoss } from '../losses/index.js';
import type { CallbackModel } from '../callbacks/callback.js';
import type { CompiledOutput } from './compile.js';
import type { OptimizerRunner } from '../optimizers/transform.js';
import type { LossTrackers } from './trackers.js';

/** What the trainer needs from a model (models/ implements it; kept here to avoid a cycle). */
export interface TrainableModel extends CallbackModel {
  readonly name: string;
  /** Runs the model on one tensor per input; returns one tensor per output. */
  forward(inputs: readonly Tensor[], training: boolean): Tensor[];
  readonly trainableWeights: Variable[];
  /** Penalties from layer regularizers, computed now (scalars, inside the caller's scope). */
  regularizationLosses(): Tensor[];
  /** Activity penalties recorded by the last forward pass (owned by the layers); optional. */
  activityLosses?(): Tensor[];
  /** Weights to project after each update (maxNorm...); optional. */
  weightConstraints?(): { variable: Variable; constraint: { apply(w: Tensor): Tensor } }[];
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

/** Weighted sum of the per-output losses (the part the metrics report as `<output>_loss`). */
function weightedLoss(outputs: readonly CompiledOutput[], y: readonly Tensor[], yPred: readonly Tensor[], sw: Tensor | null): { total: Tensor; parts: Tensor[] } {
  const parts = outputs.map((o, i) => computeLoss(o.loss, y[i] as Tensor, yPred[i] as Tensor, sw ?? undefined));
  const terms = parts.map((p, i) => {
    const w = (outputs[i] as CompiledOutput).weight;
    return w === 1 ? p : mul(p, w);
  });
  const total = terms.slice(1).reduce((acc, t) => add(acc, t), terms[0] as Tensor);
  return { total, parts };
}

function updateMetrics(outputs: readonly CompiledOutput[], y: readonly Tensor[], yPred: readonly Tensor[], sw: Tensor | null): void {
  outputs.forEach((o, i) => {
    for (const m of o.metrics) m.update(y[i] as Tensor, yPred[i] as Tensor, sw ?? undefined);
  });
}

/**
 * The loss plus `model.losses` (Keras's compute_loss, in the train and the test step alike):
 * the activity penalties of the forward pass just made, then the weight penalties at the
 * current weights.
 */
function addPenalties(model: TrainableModel, loss: Tensor): Tensor {
  let total = loss;
  for (const a of model.activityLosses?.() ?? []) total = add(total, a);
  for (const r of model.regularizationLosses()) total = add(total, r);
  return total;
}

/**
 * One step: forward in training mode, the weighted loss plus regularization penalties, the
 * gradients of that total with respect to the trainable weights, the optimizer update, then
 * the loss trackers and metrics (on the predictions made before the update, as Keras does).
 */
export function trainStep(
  model: TrainableModel,
  outputs: readonly CompiledOutput[],
  runner: OptimizerRunner,
  trackers: LossTrackers,
  x: readonly Tensor[],
  y: readonly Tensor[],
  sw: Tensor | null,
): void {
  scope(() => {
    // valueAndGrad frees everything f made except the value; the predictions and per-output
    // losses are needed afterwards, so they are kept here and freed at the end of the step.
    const held: Tensor[] = [];
    const hold = (t: Tensor): Tensor => {
      if (!t.kept && !x.includes(t)) held.push(keep(t));
      return t;
    };
    let yPred: Tensor[] = [];
    let parts: Tensor[] = [];
    try {
      const { value, grads } = valueAndGrad(() => {
        yPred = model.forward(x, true).map(hold);
        checkOutputs(model, outputs, y, yPred);
        const w = weightedLoss(outputs, y, yPred, sw);
        parts = w.parts.map(hold);
        return addPenalties(model, w.total);
      }, runner.params);
      runner.step(grads);
      // Constraints project the updated weights (CONVENTIONS: step 5, after the update).
      for (const { variable, constraint } of model.weightConstraints?.() ?? []) variable.assign(constraint.apply(variable));
      trackers.update(value, parts, x[0]?.shape[0] ?? 0);
      updateMetrics(outputs, y, yPred, sw);
    } finally {
      for (const t of held) t.dispose();
    }
  });
}

/** Evaluation step: forward in inference mode, losses and metrics; no gradients. */
export function testStep(
  model: TrainableModel,
  outputs: readonly CompiledOutput[],
  trackers: LossTrackers,
  x: readonly Tensor[],
  y: readonly Tensor[],
  sw: Tensor | null,
): void {
  scope(() => {
    const yPred = model.forward(x, false);
    checkOutputs(model, outputs, y, yPred);
    const { total, parts } = weightedLoss(outputs, y, yPred, sw);
    trackers.update(addPenalties(model, total), parts, x[0]?.shape[0] ?? 0);
    updateMetrics(outputs, y, yPred, sw);
  });
}
