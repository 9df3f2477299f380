/**
 * Which weights fit updates, as Keras 3 documents it (Trainer.compile): "Trainable variables
 * are determined at compile() time. If you modify the trainable property of a layer after
 * calling compile(), those changes will not take effect during fit() unless compile() is
 * called again." So `compile` takes this snapshot, and freezing or unfreezing a layer takes
 * effect at the next compile (the transfer-learning recipe: freeze, compile, fit; unfreeze,
 * compile with a lower learning rate, fit).
 *
 * A weight that did not exist at compile (a model built by its first fit) is judged by its
 * current flag, as Keras's TensorFlow backend judges it when it traces the first step. The
 * snapshot covers which weights the optimizer updates; a frozen BatchNormalization's switch to
 * inference mode follows the layer's current flag (it reads it at each call).
 */
import type { Variable } from '../core/tensor.js';

export interface WeightOwner {
  readonly trainableWeights: Variable[];
  /** Every weight, in a stable order; without it only trainableWeights is used. */
  readonly weights?: Variable[];
}

export class TrainableSnapshot {
  private readonly known: Set<Variable>;
  private readonly trainable: Set<Variable>;

  constructor(model: WeightOwner) {
    this.trainable = new Set(model.trainableWeights);
    this.known = new Set(model.weights ?? model.trainableWeights);
  }

  /** The weights to train now: those trainable at compile, plus those created since that are trainable. */
  weightsOf(model: WeightOwner): Variable[] {
    const live = model.trainableWeights;
    const liveSet = new Set(live);
    const keep = (w: Variable): boolean => (this.known.has(w) ? this.trainable.has(w) : liveSet.has(w));
    // Unchanged flags (the usual case): the model's own list and order.
    if (live.every(keep) && [...this.trainable].every((w) => liveSet.has(w))) return live;
    return (model.weights ?? live).filter(keep);
  }
}
