/**
 * PReLU (He et al. 2015): x if x > 0 else alpha·x with a learned alpha, one per input position
 * (batch axis excluded) unless `sharedAxes` makes axes share one: for images [batch, h, w, c],
 * sharedAxes [1, 2] learns one alpha per channel. Computed as Keras does,
 * relu(x) − alpha·relu(−x), so the gradient at exactly 0 is 0 for both x and alpha.
 */
import { ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { getConstraint } from '../constraints/index.js';
import { type Initializer, getInitializer } from '../initializers/index.js';
import { getRegularizer } from '../regularizers/index.js';
import { mul, neg, sub } from '../ops/elementwise.js';
import { relu } from '../ops/nn.js';
import { ConfigReader, serializeHook, serializeInit } from './config.js';
import { Layer, type CallArgs, type Constraint, type ConstraintId, type InitializerId, type LayerArgs, type LayerConfig, type Regularizer, type RegularizerId, type OwnArgs } from './layer.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface PReLUArgs extends LayerArgs {
  /** ['zeros'] (alpha starts at 0: the layer starts as a ReLU). */
  alphaInitializer?: InitializerId;
  /** [null] penalty on alpha */
  alphaRegularizer?: RegularizerId | null;
  /** [null] projection of alpha after each update */
  alphaConstraint?: ConstraintId | null;
  /** Axes (counting the batch axis as 0) along which alpha is shared. */
  sharedAxes?: number | readonly number[] | null;
}

const PRELU_ARGS: OwnArgs<PReLUArgs> = { alphaInitializer: true, alphaRegularizer: true, alphaConstraint: true, sharedAxes: true };

export class PReLU extends Layer {
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: readonly number[];
  private alphaVar: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args, PRELU_ARGS);
    this.alphaInitializer = getInitializer(args.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = args.alphaRegularizer == null ? null : getRegularizer(args.alphaRegularizer);
    this.alphaConstraint = args.alphaConstraint == null ? null : getConstraint(args.alphaConstraint);
    const shared = args.sharedAxes === undefined || args.sharedAxes === null ? [] : typeof args.sharedAxes === 'number' ? [args.sharedAxes] : [...args.sharedAxes];
    for (const a of shared) {
      if (!Number.isInteger(a) || a < 1) throw new ValueError(`${this.who}: sharedAxes must be axes >= 1 (axis 0 is the batch), received ${fmtReceived(args.sharedAxes)}`);
    }
    this.sharedAxes = shared;
    this.inputSpec = { minNdim: 2, dtype: 'float' };
  }

  override get className(): string {
    return 'PReLU';
  }

  /** The learned slopes (after build). */
  get alpha(): Variable {
    if (!this.alphaVar) throw new ValueError(`${this.who}: alpha does not exist before the layer is built`);
    return this.alphaVar;
  }

  override build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    const shape = singleShape(inputShape, this.who);
    for (const a of this.sharedAxes) {
      if (a >= shape.length) throw new ValueError(`${this.who}: sharedAxes [${this.sharedAxes.join(', ')}] do not fit inputs of rank ${shape.length}`);
    }
    const axes: Record<number, number> = {};
    const paramShape = shape.slice(1).map((d, i) => {
      if (this.sharedAxes.includes(i + 1)) return 1;
      if (d === null) throw new ShapeError(`${this.who} needs known dimensions outside sharedAxes to build, received shape ${fmtSymbolicShape(shape)}`);
      axes[i + 1] = d;
      return d;
    });
    this.alphaVar = this.addWeight({
      name: 'alpha',
      shape: paramShape,
      initializer: this.alphaInitializer,
      regularizer: this.alphaRegularizer,
      constraint: this.alphaConstraint,
    });
    this.inputSpec = { ndim: shape.length, axes, dtype: 'float' };
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    return sub(relu(x), mul(this.read(this.alpha), relu(neg(x))));
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      alphaInitializer: serializeInit(this.alphaInitializer),
      alphaRegularizer: serializeHook(this.alphaRegularizer),
      alphaConstraint: serializeHook(this.alphaConstraint),
      sharedAxes: this.sharedAxes.length === 0 ? null : [...this.sharedAxes],
    };
  }

  static fromConfig(config: LayerConfig): PReLU {
    const r = new ConfigReader(config, 'PReLU');
    return new PReLU({
      ...r.base(),
      alphaInitializer: r.initializer('alphaInitializer'),
      alphaRegularizer: r.regularizer('alphaRegularizer'),
      alphaConstraint: r.constraint('alphaConstraint'),
      sharedAxes: r.numberOrNumbers('sharedAxes'),
    });
  }
}
