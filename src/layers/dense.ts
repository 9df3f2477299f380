/**
 * Dense: y = activation(x · kernel + bias), kernel of shape [fanIn, units] (Keras's layout;
 * PyTorch's Linear stores [out, in]). Inputs of rank > 2 are transformed along the last axis,
 * as in Keras: [batch, t, fanIn] → [batch, t, units].
 */
import { activationName, getActivation, relu, type ActivationFn, type ActivationId } from '../activations.js';
import { isFloat } from '../core/dtype.js';
import { ShapeError, ValueError } from '../core/errors.js';
import { boolOption, positiveInt } from '../core/option_values.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { getConstraint } from '../constraints/index.js';
import { getInitializer, type Initializer } from '../initializers/index.js';
import { getRegularizer } from '../regularizers/index.js';
import { add } from '../ops/elementwise.js';
import { matmul } from '../ops/linalg.js';
import { reshape } from '../ops/movement.js';
import { linear } from '../ops/primitives_linear.js';
import { ConfigReader, serializeHook, serializeInit } from './config.js';
import { Layer, type CallArgs, type Constraint, type ConstraintId, type InitializerId, type LayerArgs, type LayerConfig, type Regularizer, type RegularizerId, type OwnArgs } from './layer.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface DenseArgs extends LayerArgs {
  /** Number of output units (a positive integer). */
  units: number;
  /** [null: linear] */
  activation?: ActivationId | ActivationFn | null;
  /** [true] */
  useBias?: boolean;
  /** ['glorotUniform'] */
  kernelInitializer?: InitializerId;
  /** ['zeros'] */
  biasInitializer?: InitializerId;
  /** [null] penalty on the kernel, e.g. `l2(0.01)` or 'l2' */
  kernelRegularizer?: RegularizerId | null;
  /** [null] penalty on the bias */
  biasRegularizer?: RegularizerId | null;
  /** [null] projection of the kernel after each update, e.g. `maxNorm({maxValue: 2})` */
  kernelConstraint?: ConstraintId | null;
  /** [null] projection of the bias after each update */
  biasConstraint?: ConstraintId | null;
}

const DENSE_ARGS: OwnArgs<DenseArgs> = { units: true, activation: true, useBias: true, kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, kernelConstraint: true, biasConstraint: true };

export class Dense extends Layer {
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  private kernelVar: Variable | null = null;
  private biasVar: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args, DENSE_ARGS);
    this.units = positiveInt(this.who, 'units', args.units);
    this.activation = getActivation(args.activation);
    this.useBias = boolOption(this.who, 'useBias', args.useBias, true);
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer == null ? null : getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = args.biasRegularizer == null ? null : getRegularizer(args.biasRegularizer);
    this.kernelConstraint = args.kernelConstraint == null ? null : getConstraint(args.kernelConstraint);
    this.biasConstraint = args.biasConstraint == null ? null : getConstraint(args.biasConstraint);
    this.inputSpec = { minNdim: 2, dtype: 'float' };
  }

  override get className(): string {
    return 'Dense';
  }

  /** The [fanIn, units] weight matrix (after build). */
  get kernel(): Variable {
    if (!this.kernelVar) throw new ValueError(`${this.who}: the kernel does not exist before the layer is built`);
    return this.kernelVar;
  }

  /** The [units] bias (after build; null when useBias is false). */
  get bias(): Variable | null {
    return this.biasVar;
  }

  override build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    const shape = singleShape(inputShape, this.who);
    const fanIn = shape[shape.length - 1];
    if (fanIn === null || fanIn === undefined) {
      throw new ShapeError(`${this.who} needs a known last dimension to build, received shape ${fmtSymbolicShape(shape)}`);
    }
    this.kernelVar = this.addWeight({
      name: 'kernel',
      shape: [fanIn, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.biasVar = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = { minNdim: 2, axes: { [-1]: fanIn }, dtype: 'float' };
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    const kernel = this.read(this.kernel);
    const fanIn = kernel.shape[0] as number;
    // Rank > 2: fold the leading axes into one, multiply, unfold (a view when x is contiguous).
    const lead = x.shape.slice(0, -1);
    const bias = this.biasVar ? this.read(this.biasVar) : null;
    // relu(x·W + b), or x·W + b before another activation, as one primitive: one kernel each
    // way where the backend runs the bias and relu as the product's epilogue, the same
    // arithmetic as matmul, add and relu (ops/primitives_linear.ts).
    const isRelu = this.activation === relu;
    if (isFloat(x.dtype) && x.dtype === kernel.dtype && (isRelu || bias)) {
      const y = linear(x.rank === 2 ? x : reshape(x, [-1, fanIn]), kernel, bias, isRelu);
      const shaped = x.rank === 2 ? y : reshape(y, [...lead, this.units]);
      return isRelu ? shaped : this.activation(shaped);
    }
    let y = x.rank === 2 ? matmul(x, kernel) : reshape(matmul(reshape(x, [-1, fanIn]), kernel), [...lead, this.units]);
    if (bias) y = add(y, bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    const shape = singleShape(inputShape, this.who);
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationName(this.activation),
      useBias: this.useBias,
      kernelInitializer: serializeInit(this.kernelInitializer),
      biasInitializer: serializeInit(this.biasInitializer),
      kernelRegularizer: serializeHook(this.kernelRegularizer),
      biasRegularizer: serializeHook(this.biasRegularizer),
      activityRegularizer: serializeHook(this.activityRegularizer),
      kernelConstraint: serializeHook(this.kernelConstraint),
      biasConstraint: serializeHook(this.biasConstraint),
    };
  }

  static fromConfig(config: LayerConfig): Dense {
    const r = new ConfigReader(config, 'Dense');
    return new Dense({
      ...r.base(),
      units: r.requiredNumber('units'),
      activation: r.activation('activation'),
      useBias: r.boolean('useBias'),
      kernelInitializer: r.initializer('kernelInitializer'),
      biasInitializer: r.initializer('biasInitializer'),
      kernelRegularizer: r.regularizer('kernelRegularizer'),
      biasRegularizer: r.regularizer('biasRegularizer'),
      kernelConstraint: r.constraint('kernelConstraint'),
      biasConstraint: r.constraint('biasConstraint'),
    });
  }
}
