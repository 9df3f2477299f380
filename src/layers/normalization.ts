/**
 * Normalization (Keras 3 preprocessing layer): standardizes features with a mean and variance
 * that are either given or learned from data by `adapt(data)`.
 *
 * Output, as in Keras 3's Normalization.call (keras/src/layers/preprocessing/normalization.py):
 *   (inputs - mean) / ops.maximum(ops.sqrt(variance), backend.epsilon())
 * i.e. epsilon = 1e-7 bounds the standard deviation from below (not added to the variance),
 * so a constant feature maps to 0 rather than NaN. `invert: true` maps back:
 *   mean + inputs * max(sqrt(variance), 1e-7).
 * `axis` lists the axes that keep their own statistics (default -1: one mean per feature);
 * null means one scalar mean and variance over everything. The variance is the population
 * one (÷N), like np.var, which Keras's adapt uses.
 */
import { isFloat } from '../core/dtype.js';
import { keep } from '../core/engine.js';
import { ShapeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { Tensor, type Variable } from '../core/tensor.js';
import { tensor } from '../ops/creation.js';
import { add, div, maximum, mul, sqrt, sub } from '../ops/elementwise.js';
import { broadcastTo, reshape } from '../ops/movement.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';
import { adaptStatistics, type AdaptData } from './normalization_adapt.js';

/** Keras's backend.epsilon(). */
const EPSILON = 1e-7;

export interface NormalizationArgs extends LayerArgs {
  /** [-1] axes with their own mean and variance; null: one of each for the whole input. */
  axis?: number | readonly number[] | null;
  /** Fixed mean (with variance): a number, or values aligned to the kept axes from the right. */
  mean?: number | readonly number[] | null;
  variance?: number | readonly number[] | null;
  /** [false] de-normalize instead. */
  invert?: boolean;
}

const NORMALIZATION_ARGS: OwnArgs<NormalizationArgs> = { axis: true, mean: true, variance: true, invert: true };

export interface AdaptOptions {
  /** [1024] samples read per step. */
  batchSize?: number;
}
const ADAPT_OPTIONS: OptionKeys<AdaptOptions> = { batchSize: true };

/** A given mean or variance: finite numbers, at least `min` (0 for a variance). */
function checkStat(who: string, what: string, x: number | readonly number[] | null, min: number): void {
  if (x === null) return;
  const values: readonly unknown[] = typeof x === 'number' ? [x] : Array.isArray(x) ? x : [x];
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
      const at = values.length > 1 || typeof x !== 'number' ? ` (${what}[${i}] is ${fmtReceived(v)})` : '';
      const want = min === 0 ? 'finite numbers >= 0' : 'finite numbers';
      throw new ValueError(`${who}: ${what} must be ${want}, received ${fmtReceived(x)}${at}`);
    }
  });
}

export class Normalization extends Layer {
  readonly axis: readonly number[];
  readonly axisIsNull: boolean;
  readonly invert: boolean;
  private readonly inputMean: number | readonly number[] | null;
  private readonly inputVariance: number | readonly number[] | null;
  private keepAxes: number[] = [];
  private broadcastShape: number[] = [];
  private builtShape: SymbolicShape = [];
  private meanVar: Variable | null = null;
  private varianceVar: Variable | null = null;
  private countVar: Variable | null = null;
  /** Given mean and variance, broadcast to broadcastShape (kept: they live as long as the layer). */
  private fixed: { mean: Tensor; variance: Tensor } | null = null;

  constructor(args: NormalizationArgs = {}) {
    super(args, NORMALIZATION_ARGS);
    const axis = args.axis === undefined ? [-1] : args.axis === null ? [] : typeof args.axis === 'number' ? [args.axis] : [...args.axis];
    if (axis.some((a) => !Number.isInteger(a))) throw new ValueError(`${this.who}: axis must be an integer, an array of integers or null, received ${fmtReceived(args.axis)}`);
    this.axis = axis;
    this.axisIsNull = args.axis === null;
    this.invert = boolOption(this.who, 'invert', args.invert, false);
    const m = args.mean ?? null;
    const v = args.variance ?? null;
    if ((m === null) !== (v === null)) throw new ValueError(`${this.who}: give both mean and variance, or neither; received mean=${fmtReceived(m)} and variance=${fmtReceived(v)}`);
    const len = (x: number | readonly number[] | null): number => (typeof x === 'number' ? 0 : (x?.length ?? 0));
    if (m !== null && (typeof m !== typeof v || len(m) !== len(v))) {
      throw new ValueError(`${this.who}: mean and variance must have the same shape, received mean=${fmtReceived(m)} and variance=${fmtReceived(v)}`);
    }
    if (m !== null && typeof m !== 'number' && axis.length === 0) throw new ValueError(`${this.who}: with axis null, mean and variance must be numbers`);
    // A NaN mean or a negative variance would make every output NaN (sqrt of a negative).
    checkStat(this.who, 'mean', m, -Infinity);
    checkStat(this.who, 'variance', v, 0);
    this.inputMean = m;
    this.inputVariance = v;
    if (!isFloat(this.dtype)) throw new ValueError(`${this.who}: dtype must be a float dtype, received ${this.dtype}`);
    this.inputSpec = { dtype: 'float' };
  }

  override get className(): string {
    return 'Normalization';
  }

  /** The adapted mean, variance and sample count (null when mean and variance were given). */
  get adaptedWeights(): { mean: Variable; variance: Variable; count: Variable } | null {
    return this.meanVar && this.varianceVar && this.countVar ? { mean: this.meanVar, variance: this.varianceVar, count: this.countVar } : null;
  }

  override build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    const shape = singleShape(inputShape, this.who);
    const ndim = shape.length;
    if (this.axis.some((a) => a < -ndim || a >= ndim)) {
      throw new ValueError(`${this.who}: axis [${this.axis.join(', ')}] is out of range for inputs of rank ${ndim} (shape ${fmtSymbolicShape(shape)})`);
    }
    // Sorted, so the statistics' layout follows the input's (no transpose needed).
    this.keepAxes = [...new Set(this.axis.map((a) => (a < 0 ? a + ndim : a)))].sort((a, b) => a - b);
    const axes: Record<number, number> = {};
    for (const d of this.keepAxes) {
      const size = shape[d];
      if (size === null || size === undefined) {
        throw new ShapeError(`${this.who} needs known sizes on the kept axes [${this.axis.join(', ')}], received shape ${fmtSymbolicShape(shape)}`);
      }
      axes[d] = size;
    }
    this.builtShape = [...shape];
    this.broadcastShape = shape.map((d, i) => (this.keepAxes.includes(i) ? (d as number) : 1));
    const statShape = this.keepAxes.map((d) => shape[d] as number);
    if (this.inputMean === null) {
      this.meanVar = this.addWeight({ name: 'mean', shape: statShape, initializer: 'zeros', trainable: false });
      this.varianceVar = this.addWeight({ name: 'variance', shape: statShape, initializer: 'ones', trainable: false });
      // Keras 3 keeps an int "count" weight too (2n + 1 parameters in summaries); here it
      // records how many values each statistic was computed from.
      this.countVar = this.addWeight({ name: 'count', shape: [], initializer: 'zeros', trainable: false, dtype: 'int32' });
    } else {
      this.fixed = { mean: this.fixedStat(this.inputMean, 'mean'), variance: this.fixedStat(this.inputVariance ?? 1, 'variance') };
    }
    this.inputSpec = { ndim, axes, dtype: 'float' };
  }

  /** A given mean or variance, aligned to the kept axes from the right and broadcast. */
  private fixedStat(value: number | readonly number[], what: string): Tensor {
    const ndim = this.broadcastShape.length;
    const values = typeof value === 'number' ? [value] : value;
    const expanded = new Array<number>(ndim).fill(1);
    if (typeof value !== 'number') {
      const last = this.keepAxes[this.keepAxes.length - 1];
      if (last === undefined) throw new ValueError(`${this.who}: with no kept axes, ${what} must be a number`);
      const size = this.broadcastShape[last] as number;
      if (values.length !== size && values.length !== 1) {
        throw new ShapeError(`${this.who}: ${what} has ${values.length} values but axis ${last} of the input has size ${size}; give ${size} values (or a single number)`);
      }
      expanded[last] = values.length;
    }
    const base = tensor([...values], expanded, this.dtype);
    try {
      // The view keeps the storage alive; the base tensor itself is not needed.
      return keep(broadcastTo(base, this.broadcastShape));
    } catch {
      throw new ShapeError(`${this.who}: ${what} ${JSON.stringify(value)} does not broadcast to the statistics' shape ${fmtShape(this.broadcastShape)}`);
    } finally {
      base.dispose();
    }
  }

  private stats(): { mean: Tensor; variance: Tensor } {
    if (this.fixed) return this.fixed;
    if (!this.meanVar || !this.varianceVar) throw new ValueError(`${this.who}: the layer must be built (or adapted) before use`);
    return {
      mean: reshape(this.read(this.meanVar), this.broadcastShape),
      variance: reshape(this.read(this.varianceVar), this.broadcastShape),
    };
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    const { mean, variance } = this.stats();
    const scale = maximum(sqrt(variance), EPSILON);
    return this.invert ? add(mean, mul(x, scale)) : div(sub(x, mean), scale);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }

  override dispose(): void {
    super.dispose();
    this.fixed?.mean.dispose();
    this.fixed?.variance.dispose();
  }

  /**
   * Sets the mean and variance to those of `data` (a tensor, or values with their shape, the
   * batch axis first), computed per position of the kept axes over all other axes. Builds the
   * layer from data's shape if needed. Runs on the host in float64, `batchSize` samples at a
   * time, merging batch statistics exactly (Chan et al.'s pairwise update).
   */
  adapt(data: Tensor | AdaptData, options: AdaptOptions = {}): void {
    checkOptions(`${this.who}.adapt`, options, ADAPT_OPTIONS);
    if (this.inputMean !== null) throw new ValueError(`${this.who}.adapt: mean and variance were given to the constructor; there is nothing to adapt`);
    const shape = data instanceof Tensor ? data.shape : data.shape;
    if (!this.built) this.ensureBuilt(shape);
    if (shape.length !== this.builtShape.length || this.keepAxes.some((d) => shape[d] !== this.builtShape[d])) {
      throw new ShapeError(`${this.who}.adapt: the layer was built for inputs of shape ${fmtSymbolicShape(this.builtShape)}, received data of shape ${fmtShape(shape)}`);
    }
    const values = data instanceof Tensor ? data.dataSync() : data.data;
    const { mean, variance, count } = adaptStatistics(values, shape, this.keepAxes, options.batchSize ?? 1024, this.who);
    const statShape = this.keepAxes.map((d) => shape[d] as number);
    const w = this.adaptedWeights;
    if (!w) throw new ValueError(`${this.who}.adapt: the layer has no mean/variance weights`);
    const m = tensor(mean, statShape, this.dtype);
    const v = tensor(variance, statShape, this.dtype);
    const c = tensor([Math.min(count, 2 ** 31 - 1)], [], 'int32');
    w.mean.assign(m);
    w.variance.assign(v);
    w.count.assign(c);
    m.dispose();
    v.dispose();
    c.dispose();
  }

  override getConfig(): LayerConfig {
    const stat = (x: number | readonly number[] | null): number | number[] | null => (x === null || typeof x === 'number' ? x : [...x]);
    return {
      ...super.getConfig(),
      axis: this.axisIsNull ? null : this.axis.length === 1 ? this.axis[0] : [...this.axis],
      invert: this.invert,
      mean: stat(this.inputMean),
      variance: stat(this.inputVariance),
    };
  }

  static fromConfig(config: LayerConfig): Normalization {
    const r = new ConfigReader(config, 'Normalization');
    const axis = config['axis'] === null ? null : r.numberOrNumbers('axis');
    return new Normalization({
      ...r.base(),
      axis,
      invert: r.boolean('invert'),
      mean: config['mean'] === null ? null : r.numberOrNumbers('mean'),
      variance: config['variance'] === null ? null : r.numberOrNumbers('variance'),
    });
  }
}
