/**
 * BatchNormalization, as Keras 3 (CONVENTIONS, "Batch normalization"):
 *   y = gamma·(x − mean)/√(var + epsilon) + beta,
 * with the batch's mean and biased variance (÷N, over every axis but `axis`) in training, and
 * the moving statistics in inference. Each training call also updates
 *   moving = moving·momentum + batch·(1 − momentum)
 * by assigning the non-trainable variables. That is safe inside the training step's
 * valueAndGrad: the tape holds the values the ops read, not the variables (ARCHITECTURE,
 * Autodiff), and the update goes through stopGradient so it records nothing.
 *
 * As in Keras 3, a frozen layer (`trainable = false`) runs in inference mode even when called
 * with `training: true`, so fine-tuning does not disturb its statistics. A batch of one gives
 * x − mean = 0 exactly, hence beta (never NaN: epsilon > 0).
 */
import { isFloat } from '../core/dtype.js';
import { ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { getInitializer, type Initializer } from '../initializers/index.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { reshape } from '../ops/movement.js';
import { stopGradient } from '../ops/primitives_movement.js';
import { batchNormInference, batchNormTraining } from '../ops/batch_norm.js';
import { defineFused, runFusedUnrecorded, type Expr } from '../ops/fused.js';
import { mean as meanOf, variance as varianceOf } from '../ops/reduce.js';
import { ConfigReader, serializeHook, serializeInit } from './config.js';
import { Layer, type CallArgs, type Constraint, type InitializerId, type LayerArgs, type LayerConfig, type OwnArgs, type Regularizer } from './layer.js';
import { numberOption } from './noise_util.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

/** moving·momentum + batch·(1 − momentum), for the mean and the variance at once. */
const MOVING_AVERAGES = defineFused('batchNormMovingAverages', 4, 2, (e, [mm, mv, m, v], [keep, take]) => [
  e.add(e.mul(mm as Expr, keep as Expr), e.mul(m as Expr, take as Expr)),
  e.add(e.mul(mv as Expr, keep as Expr), e.mul(v as Expr, take as Expr)),
]);

export interface BatchNormalizationArgs extends LayerArgs {
  /** [-1] the features axis (one gamma, beta and pair of statistics per index along it). */
  axis?: number;
  /** [0.99] weight of the old value in the moving averages, in [0, 1]. */
  momentum?: number;
  /** [0.001] added to the variance (> 0). */
  epsilon?: number;
  /** [true] add beta. */
  center?: boolean;
  /** [true] multiply by gamma. */
  scale?: boolean;
  /** ['zeros'] */
  betaInitializer?: InitializerId;
  /** ['ones'] */
  gammaInitializer?: InitializerId;
  /** ['zeros'] */
  movingMeanInitializer?: InitializerId;
  /** ['ones'] */
  movingVarianceInitializer?: InitializerId;
  betaRegularizer?: Regularizer | null;
  gammaRegularizer?: Regularizer | null;
  betaConstraint?: Constraint | null;
  gammaConstraint?: Constraint | null;
}

const BATCH_NORMALIZATION_ARGS: OwnArgs<BatchNormalizationArgs> = {
  axis: true,
  momentum: true,
  epsilon: true,
  center: true,
  scale: true,
  betaInitializer: true,
  gammaInitializer: true,
  movingMeanInitializer: true,
  movingVarianceInitializer: true,
  betaRegularizer: true,
  gammaRegularizer: true,
  betaConstraint: true,
  gammaConstraint: true,
};

export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  private gammaVar: Variable | null = null;
  private betaVar: Variable | null = null;
  private movingMeanVar: Variable | null = null;
  private movingVarianceVar: Variable | null = null;
  /** The axes reduced over and the statistics' broadcast shape (set by build). */
  private reduceAxes: number[] = [];
  private statShape: number[] = [];

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, BATCH_NORMALIZATION_ARGS);
    const axis = args.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new ValueError(`${this.who}: axis must be an integer, received ${fmtReceived(args.axis)}`);
    this.axis = axis;
    this.momentum = numberOption(this.who, 'momentum', args.momentum, 0.99, 0);
    if (this.momentum > 1) throw new ValueError(`${this.who}: momentum must be a number in [0, 1], received ${this.momentum}`);
    this.epsilon = numberOption(this.who, 'epsilon', args.epsilon, 1e-3, 0, true);
    this.center = boolOption(this.who, 'center', args.center, true);
    this.scale = boolOption(this.who, 'scale', args.scale, true);
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = args.betaRegularizer ?? null;
    this.gammaRegularizer = args.gammaRegularizer ?? null;
    this.betaConstraint = args.betaConstraint ?? null;
    this.gammaConstraint = args.gammaConstraint ?? null;
    if (!isFloat(this.dtype)) throw new ValueError(`${this.who}: dtype must be a float dtype, received ${this.dtype}`);
    this.inputSpec = { minNdim: 1, dtype: 'float' };
  }

  override get className(): string {
    return 'BatchNormalization';
  }

  /** gamma and beta (null when scale / center is false), and the moving statistics, after build. */
  get gamma(): Variable | null {
    return this.gammaVar;
  }
  get beta(): Variable | null {
    return this.betaVar;
  }
  get movingMean(): Variable {
    if (!this.movingMeanVar) throw new ValueError(`${this.who}: movingMean does not exist before the layer is built`);
    return this.movingMeanVar;
  }
  get movingVariance(): Variable {
    if (!this.movingVarianceVar) throw new ValueError(`${this.who}: movingVariance does not exist before the layer is built`);
    return this.movingVarianceVar;
  }

  override build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    const shape = singleShape(inputShape, this.who);
    const ndim = shape.length;
    if (this.axis < -ndim || this.axis >= ndim) throw new ValueError(`${this.who}: axis ${this.axis} is out of range for inputs of rank ${ndim} (shape ${fmtSymbolicShape(shape)})`);
    const ax = this.axis < 0 ? this.axis + ndim : this.axis;
    const size = shape[ax];
    if (size === null || size === undefined) throw new ShapeError(`${this.who} needs a known size on axis ${this.axis} to build, received shape ${fmtSymbolicShape(shape)}`);
    this.reduceAxes = shape.map((_, i) => i).filter((i) => i !== ax);
    this.statShape = shape.map((_, i) => (i === ax ? size : 1));
    // Keras's creation order, so getWeights is [gamma, beta, moving_mean, moving_variance].
    if (this.scale) this.gammaVar = this.addWeight({ name: 'gamma', shape: [size], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.betaVar = this.addWeight({ name: 'beta', shape: [size], initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    this.movingMeanVar = this.addWeight({ name: 'moving_mean', shape: [size], initializer: this.movingMeanInitializer, trainable: false });
    this.movingVarianceVar = this.addWeight({ name: 'moving_variance', shape: [size], initializer: this.movingVarianceInitializer, trainable: false });
    this.inputSpec = { ndim, axes: { [ax]: size }, dtype: 'float' };
  }

  override call(inputs: Tensor | Tensor[], { training }: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    const gamma = this.gammaVar ? this.read(this.gammaVar) : null;
    const beta = this.betaVar ? this.read(this.betaVar) : null;
    const train = training === true && this.trainable;
    // Over the last axis, a few fused kernels (ops/batch_norm.ts: the same values); other axes
    // broadcast statistics of shape statShape through the composed ops.
    if (x.rank >= 2 && this.reduceAxes.length === x.rank - 1 && !this.reduceAxes.includes(x.rank - 1)) {
      if (!train) return batchNormInference(x, this.read(this.movingMean), this.read(this.movingVariance), gamma, beta, this.epsilon);
      const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.epsilon);
      this.updateMoving(mean, variance);
      return y;
    }
    const stat = (t: Tensor): Tensor => reshape(t, this.statShape);
    let mean: Tensor;
    let variance: Tensor;
    if (train) {
      mean = meanOf(x, this.reduceAxes, true);
      variance = varianceOf(x, this.reduceAxes, true);
      this.updateMoving(stopGradient(mean), stopGradient(variance));
    } else {
      mean = stat(this.read(this.movingMean));
      variance = stat(this.read(this.movingVariance));
    }
    let y = div(sub(x, mean), sqrt(add(variance, this.epsilon)));
    if (gamma) y = mul(y, stat(gamma));
    if (beta) y = add(y, stat(beta));
    return y;
  }

  /**
   * moving ← moving·momentum + batch·(1 − momentum) for both statistics (the batch's, constants,
   * in statShape or [size]): one fused kernel, never recorded.
   */
  private updateMoving(mean: Tensor, variance: Tensor): void {
    const size = this.movingMean.shape[0] as number;
    const [m, v] = runFusedUnrecorded(MOVING_AVERAGES, [this.read(this.movingMean), this.read(this.movingVariance), reshape(mean, [size]), reshape(variance, [size])], [this.momentum, 1 - this.momentum]) as [Tensor, Tensor];
    this.movingMean.assign(m);
    this.movingVariance.assign(v);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInit(this.betaInitializer),
      gammaInitializer: serializeInit(this.gammaInitializer),
      movingMeanInitializer: serializeInit(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInit(this.movingVarianceInitializer),
      betaRegularizer: serializeHook(this.betaRegularizer),
      gammaRegularizer: serializeHook(this.gammaRegularizer),
      betaConstraint: serializeHook(this.betaConstraint),
      gammaConstraint: serializeHook(this.gammaConstraint),
    };
  }

  static fromConfig(config: LayerConfig): BatchNormalization {
    const r = new ConfigReader(config, 'BatchNormalization');
    return new BatchNormalization({
      ...r.base(),
      axis: r.number('axis'),
      momentum: r.number('momentum'),
      epsilon: r.number('epsilon'),
      center: r.boolean('center'),
      scale: r.boolean('scale'),
      betaInitializer: r.initializer('betaInitializer'),
      gammaInitializer: r.initializer('gammaInitializer'),
      movingMeanInitializer: r.initializer('movingMeanInitializer'),
      movingVarianceInitializer: r.initializer('movingVarianceInitializer'),
      betaRegularizer: r.hook('betaRegularizer'),
      gammaRegularizer: r.hook('gammaRegularizer'),
      betaConstraint: r.hook('betaConstraint'),
      gammaConstraint: r.hook('gammaConstraint'),
    });
  }
}
