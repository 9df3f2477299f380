/**
 * The weights a Layer owns, with what each carries (regularizer, constraint, whether it was
 * created trainable). Layer keeps the public API (addWeight, weights, losses...) and delegates
 * the bookkeeping here, so layer.ts stays about calling layers.
 */
import { isFloat, type DType } from '../core/dtype.js';
import { scope } from '../core/engine.js';
import { ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions } from '../core/options.js';
import { globalGenerator } from '../core/random.js';
import { Variable, type Tensor } from '../core/tensor.js';
import { getConstraint } from '../constraints/index.js';
import { getRegularizer } from '../regularizers/index.js';
import { getInitializer, type Initializer } from '../initializers/index.js';
import { ADD_WEIGHT_OPTIONS, type AddWeightOptions, type Constraint, type Regularizer } from './layer_args.js';

interface WeightRecord {
  variable: Variable;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
  /** Created trainable: follows the layer's `trainable` flag. */
  trainable: boolean;
}

/** What of the owning layer a new weight depends on. */
export interface WeightOwner {
  /** `Dense "hidden1"`, for messages. */
  who: string;
  name: string;
  dtype: DType;
  trainable: boolean;
}

export class WeightStore {
  #records: WeightRecord[] = [];

  /**
   * Creates a weight. Its initial value comes from the initializer drawing on the layer's own
   * random stream for this weight name; the Variable is named `<layer>/<weight>`.
   */
  add(owner: WeightOwner, options: AddWeightOptions): Variable {
    const who = owner.who;
    checkOptions(`${who}.addWeight`, options, ADD_WEIGHT_OPTIONS);
    const { name, shape } = options;
    if (this.#records.some((r) => r.variable.name === `${owner.name}/${name}`)) {
      throw new ValueError(`${who}.addWeight: the layer already has a weight named "${name}"`);
    }
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ShapeError(`${who}.addWeight: shape of "${name}" must be non-negative integers, received ${fmtReceived(shape)}`);
    }
    const dtype = options.dtype ?? owner.dtype;
    const init: Initializer = getInitializer(options.initializer ?? (isFloat(dtype) ? 'glorotUniform' : 'zeros'));
    const trainable = boolOption(`${who}.addWeight`, 'trainable', options.trainable, true);
    const rng = globalGenerator().split(owner.name).split(name);
    const value = scope(() => init.apply(shape, dtype, rng));
    const v = new Variable(value, { name: `${owner.name}/${name}`, trainable: trainable && owner.trainable });
    v.owner = { layer: who, weight: name };
    if (value !== v) value.dispose();
    const regularizer = options.regularizer == null ? null : getRegularizer(options.regularizer);
    const constraint = options.constraint == null ? null : getConstraint(options.constraint);
    this.#records.push({ variable: v, regularizer, constraint, trainable });
    return v;
  }

  /** Every weight: those created trainable first, then the others (a stable order for setWeights). */
  all(): Variable[] {
    return [...this.#records.filter((r) => r.trainable), ...this.#records.filter((r) => !r.trainable)].map((r) => r.variable);
  }

  /** The weights created trainable whose variable is trainable now (the layer's flag aside). */
  trainable(): Variable[] {
    return this.#records.filter((r) => r.trainable && r.variable.trainable).map((r) => r.variable);
  }

  /** Follows the layer's `trainable` flag: weights created trainable move with it. */
  setTrainable(value: boolean): void {
    for (const r of this.#records) if (r.trainable) r.variable.trainable = value;
  }

  countParams(): number {
    return this.#records.reduce((n, r) => n + r.variable.size, 0);
  }

  /** The regularizers' penalties, computed now, for the weights in `trainable`. */
  regularizationLosses(trainable: ReadonlySet<Variable>): Tensor[] {
    return this.#records.filter((r) => r.regularizer && trainable.has(r.variable)).map((r) => (r.regularizer as Regularizer).apply(r.variable));
  }

  /** The weights in `trainable` that carry a constraint. */
  constraints(trainable: ReadonlySet<Variable>): { variable: Variable; constraint: Constraint }[] {
    return this.#records.flatMap((r) => (r.constraint && trainable.has(r.variable) ? [{ variable: r.variable, constraint: r.constraint }] : []));
  }

  dispose(): void {
    for (const r of this.#records) r.variable.dispose();
  }
}
