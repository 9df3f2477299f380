/**
 * Keras metrics: factories, and `getMetric`, which resolves what compile's `metrics` list holds.
 *
 * Names in the logs follow Keras 3: a metric given as a string is logged under that very
 * string ('accuracy', 'acc', 'mae', 'rmse', 'meanSquaredError' ...), and a metric object under
 * its own name, which defaults to Keras's snake_case class name ('binary_accuracy',
 * 'mean_absolute_error', 'root_mean_squared_error' ...). (Keras 2 logged 'rmse' for
 * RootMeanSquaredError; Keras 3 does not.)
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { normalizeName, type CamelOrSnake } from '../core/names.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import type { SavedState } from '../core/saved_state.js';
import { sqrt } from '../ops/elementwise.js';
import { fill } from '../ops/primitives.js';
import * as fns from './functions.js';
import { MeanMetric, type Metric, type MetricFn } from './metric.js';

export { Mean, MeanMetric, type Metric, type MetricFn } from './metric.js';
export * as metricFunctions from './functions.js';

export interface MetricOptions {
  /** The key in the logs (default: Keras's snake_case name). */
  name?: string;
}

const METRIC_OPTIONS: OptionKeys<MetricOptions> = { name: true };

export interface BinaryAccuracyOptions extends MetricOptions {
  /** [0.5] predictions above it count as 1. */
  threshold?: number;
}

const BINARY_ACCURACY_OPTIONS: OptionKeys<BinaryAccuracyOptions> = { ...METRIC_OPTIONS, threshold: true };

export function binaryAccuracy(opts: BinaryAccuracyOptions = {}): MeanMetric {
  checkOptions('binaryAccuracy', opts, BINARY_ACCURACY_OPTIONS);
  const threshold = opts.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new ValueError(`binaryAccuracy: threshold must be a finite number, received ${fmtReceived(threshold)}`);
  return new MeanMetric(opts.name ?? 'binary_accuracy', (t, p) => fns.binaryAccuracy(t, p, threshold));
}

export function categoricalAccuracy(opts: MetricOptions = {}): MeanMetric {
  checkOptions('categoricalAccuracy', opts, METRIC_OPTIONS);
  return new MeanMetric(opts.name ?? 'categorical_accuracy', fns.categoricalAccuracy);
}

export function sparseCategoricalAccuracy(opts: MetricOptions = {}): MeanMetric {
  checkOptions('sparseCategoricalAccuracy', opts, METRIC_OPTIONS);
  return new MeanMetric(opts.name ?? 'sparse_categorical_accuracy', fns.sparseCategoricalAccuracy);
}

export function meanSquaredError(opts: MetricOptions = {}): MeanMetric {
  checkOptions('meanSquaredError', opts, METRIC_OPTIONS);
  return new MeanMetric(opts.name ?? 'mean_squared_error', fns.meanSquaredError);
}

/** sqrt of the (weighted) mean squared error over everything seen, not a mean of per-batch roots. */
export function rootMeanSquaredError(opts: MetricOptions = {}): MeanMetric {
  checkOptions('rootMeanSquaredError', opts, METRIC_OPTIONS);
  return new MeanMetric(opts.name ?? 'root_mean_squared_error', fns.meanSquaredError, sqrt);
}

export function meanAbsoluteError(opts: MetricOptions = {}): MeanMetric {
  checkOptions('meanAbsoluteError', opts, METRIC_OPTIONS);
  return new MeanMetric(opts.name ?? 'mean_absolute_error', fns.meanAbsoluteError);
}

/** Which accuracy 'accuracy' stands for. */
export type AccuracyKind = 'binary' | 'categorical' | 'sparse';

/** What getMetric knows about the model being compiled. */
export interface MetricContext {
  /** The loss's name (Keras's snake_case or camelCase). */
  lossName?: string;
  /** The model output's shape, null for unknown dimensions (the batch). */
  outputShape?: readonly (number | null)[];
}

const METRIC_CONTEXT: OptionKeys<MetricContext> = { lossName: true, outputShape: true };

/**
 * The kind from the loss (binary/sparse/categorical crossentropy, as Keras 2 decided) or, failing
 * that, a single output unit (binary, as Keras 3 decides); null when only the data can tell.
 */
export function accuracyKindFromContext(ctx: MetricContext): AccuracyKind | null {
  const loss = normalizeName(ctx.lossName ?? '');
  if (loss === 'binarycrossentropy') return 'binary';
  if (loss === 'sparsecategoricalcrossentropy') return 'sparse';
  if (loss === 'categoricalcrossentropy') return 'categorical';
  const shape = ctx.outputShape;
  if (shape && shape.length > 0 && shape[shape.length - 1] === 1) return 'binary';
  return null;
}

/**
 * Keras 3's rule from the shapes of one batch: one output unit → binary; yTrue of lower rank
 * than yPred, or a last dimension of 1 against several classes → sparse; else categorical.
 */
export function accuracyKindFromShapes(yTrue: Tensor, yPred: Tensor): AccuracyKind {
  const pLast = yPred.shape[yPred.rank - 1];
  const tLast = yTrue.shape[yTrue.rank - 1];
  if (pLast === 1) return 'binary';
  if (yTrue.rank < yPred.rank || (tLast === 1 && pLast !== undefined && pLast > 1)) return 'sparse';
  return 'categorical';
}

const ACCURACY_FNS: Record<AccuracyKind, MetricFn> = {
  binary: fns.binaryAccuracy,
  categorical: fns.categoricalAccuracy,
  sparse: fns.sparseCategoricalAccuracy,
};

/**
 * 'accuracy' as Keras resolves it: binary, categorical or sparse categorical accuracy, fixed
 * from the context when that decides it, else from the shapes of the first batch.
 */
export class Accuracy implements Metric {
  private inner: MeanMetric | null = null;
  private resolved: AccuracyKind | null = null;
  constructor(
    readonly name: string,
    kind: AccuracyKind | null,
  ) {
    if (kind) this.resolve(kind);
  }

  /** The kind in use, null until the first batch when the context did not decide it. */
  get kind(): AccuracyKind | null {
    return this.resolved;
  }

  private resolve(kind: AccuracyKind): MeanMetric {
    this.resolved = kind;
    this.inner = new MeanMetric(this.name, ACCURACY_FNS[kind]);
    return this.inner;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | number): void {
    const inner = this.inner ?? this.resolve(accuracyKindFromShapes(yTrue, yPred));
    inner.update(yTrue, yPred, sampleWeight);
  }

  result(): Tensor {
    return this.inner ? this.inner.result() : fill([], 0, 'float32');
  }

  reset(): void {
    this.inner?.reset();
  }

  /** The kind resolved so far and its totals (a resumed run must not resolve it again). */
  getState(): SavedState {
    const inner = this.inner?.getState();
    return { values: { kind: this.resolved }, tensors: inner?.tensors ?? {} };
  }

  setState(state: SavedState): void {
    const kind = state.values['kind'];
    if (kind !== null && !(typeof kind === 'string' && Object.hasOwn(ACCURACY_FNS, kind))) {
      throw new ValueError(`metric "${this.name}".setState: "kind" must be binary, categorical, sparse or null, received ${fmtReceived(kind)}`);
    }
    if (kind === null) return this.reset();
    if (this.resolved !== null && this.resolved !== kind) throw new ValueError(`metric "${this.name}".setState: the state is of ${kind} accuracy, this metric computes ${this.resolved} accuracy`);
    (this.inner ?? this.resolve(kind as AccuracyKind)).setState(state);
  }

  dispose(): void {
    this.inner?.dispose();
  }
}

export interface AccuracyOptions extends MetricOptions, MetricContext {
  /** Pins the kind instead of resolving it from the context or the first batch. */
  kind?: AccuracyKind;
}

const ACCURACY_OPTIONS: OptionKeys<AccuracyOptions> = { ...METRIC_OPTIONS, ...METRIC_CONTEXT, kind: true };

/** 'accuracy' resolved like Keras (see getMetric); `kind` pins it. */
export function accuracy(opts: AccuracyOptions = {}): Accuracy {
  checkOptions('accuracy', opts, ACCURACY_OPTIONS);
  return new Accuracy(opts.name ?? 'accuracy', opts.kind ?? accuracyKindFromContext(opts));
}

/** The built-in metrics under their camelCase names; each is logged under the string given. */
const BY_NAME = {
  binaryAccuracy: (name: string): Metric => binaryAccuracy({ name }),
  categoricalAccuracy: (name: string): Metric => categoricalAccuracy({ name }),
  sparseCategoricalAccuracy: (name: string): Metric => sparseCategoricalAccuracy({ name }),
  meanSquaredError: (name: string): Metric => meanSquaredError({ name }),
  mse: (name: string): Metric => meanSquaredError({ name }),
  meanAbsoluteError: (name: string): Metric => meanAbsoluteError({ name }),
  mae: (name: string): Metric => meanAbsoluteError({ name }),
  rootMeanSquaredError: (name: string): Metric => rootMeanSquaredError({ name }),
  rmse: (name: string): Metric => rootMeanSquaredError({ name }),
} as const;

/**
 * A built-in metric's name, camelCase or snake_case ('accuracy', 'acc', 'sparseCategoricalAccuracy',
 * 'sparse_categorical_accuracy', 'mae', 'rmse'). At run time getMetric also accepts any case and
 * Keras's class names ('MeanAbsoluteError').
 */
export type MetricName = 'accuracy' | 'acc' | CamelOrSnake<keyof typeof BY_NAME>;

/** Factories by normalized name (see normalizeName). */
const FACTORIES: Readonly<Record<string, (name: string) => Metric>> = Object.fromEntries(Object.entries(BY_NAME).map(([k, f]) => [normalizeName(k), f]));

function isMetric(x: unknown): x is Metric {
  return typeof x === 'object' && x !== null && 'update' in x && typeof x.update === 'function' && 'result' in x && typeof x.result === 'function';
}

/**
 * Resolves an entry of compile's `metrics`: a Metric is used as it is; a function of
 * (yTrue, yPred) becomes a mean metric named after it; a string gets a fresh metric logged
 * under that string. 'accuracy' / 'acc' pick binary, categorical or sparse categorical
 * accuracy from the loss name, then the output shape, then the first batch's shapes.
 */
export function getMetric(id: MetricName | Metric | MetricFn, context: MetricContext = {}): Metric {
  checkOptions('getMetric', context, METRIC_CONTEXT);
  if (typeof id === 'function') return new MeanMetric(id.name || 'custom_metric', id);
  if (isMetric(id)) return id;
  if (typeof id === 'string') {
    const key = normalizeName(id);
    if (key === 'accuracy' || key === 'acc') return new Accuracy(id, accuracyKindFromContext(context));
    const make = FACTORIES[key];
    if (make) return make(id);
  }
  throw new ValueError(
    `getMetric: unknown metric ${JSON.stringify(id) ?? String(id)}; expected accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, meanSquaredError (mse), rootMeanSquaredError (rmse), meanAbsoluteError (mae) (camelCase or snake_case), a Metric, or a function`,
  );
}
