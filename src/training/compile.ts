/**
 * What `compile` resolves to, once the model's outputs are known: one loss, weight and metric
 * list per output, the Keras log names, and the optimizer bound to the trainable weights.
 *
 * Log names follow Keras 3: one output gives `loss` and the metric names (`accuracy`); several
 * outputs give `loss` (the weighted total), `<output>_loss` per output (unweighted) and
 * `<output>_<metric>`.
 */
import type { TrainableSnapshot, WeightOwner } from './trainable_snapshot.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Variable } from '../core/tensor.js';
import { getLoss, type Loss, type LossFn, type LossName } from '../losses/index.js';
import { getMetric, type Metric, type MetricFn, type MetricName } from '../metrics/index.js';
import { getOptimizer, type Optimizer, type OptimizerId } from '../optimizers/index.js';
import { OptimizerRunner } from '../optimizers/transform.js';

/**
 * A loss name ('mse', 'sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'...),
 * a Loss, or a function (yTrue, yPred) => per-sample values.
 */
export type LossId = LossName | Loss | LossFn;
/** A metric name ('accuracy', 'mae', 'sparse_categorical_accuracy'...), a Metric, or a function (yTrue, yPred) => per-sample values. */
export type MetricId = MetricName | Metric | MetricFn;

export interface CompileOptions {
  /** 'sgd' | 'adam' | 'adamw' | 'adagrad' | 'adamax' | 'nadam' | 'rmsprop' or an optimizer object, e.g. `optimizers.sgd({learningRate: 0.1})`. */
  optimizer: OptimizerId;
  /** One loss for every output, one per output (array in output order), or keyed by output name. */
  loss: LossId | readonly LossId[] | Readonly<Record<string, LossId>>;
  /**
   * A list applied to every output; a list of lists (one per output); or an object keyed by
   * output name. Each Metric object may serve only one output (it holds state).
   */
  metrics?: readonly MetricId[] | readonly (readonly MetricId[])[] | Readonly<Record<string, MetricId | readonly MetricId[]>>;
  /** Weights of the per-output losses in the total [1 each]: an array or keyed by output name. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

const COMPILE_OPTIONS: OptionKeys<CompileOptions> = { optimizer: true, loss: true, metrics: true, lossWeights: true };

export interface CompiledOutput {
  name: string;
  loss: Loss;
  weight: number;
  metrics: Metric[];
  /** Log names: the output's loss (several outputs only) and one per metric. */
  lossLogName: string | null;
  metricLogNames: string[];
}

export interface OutputInfo {
  name: string;
  /** With null for the batch dimension. */
  shape: readonly (number | null)[];
}

function perOutput<T>(what: string, spec: T | readonly T[] | Readonly<Record<string, T>>, outputs: readonly OutputInfo[], isOne: (v: unknown) => v is T, fallback?: T): T[] {
  if (isOne(spec)) return outputs.map(() => spec);
  if (Array.isArray(spec)) {
    if (spec.length !== outputs.length) {
      throw new ValueError(`compile: ${what} must have one entry per output (${outputs.length}: ${outputs.map((o) => o.name).join(', ')}), received ${spec.length}`);
    }
    return spec as T[];
  }
  const rec = spec as Readonly<Record<string, T>>;
  const unknown = Object.keys(rec).filter((k) => !outputs.some((o) => o.name === k));
  if (unknown.length > 0) {
    throw new ValueError(`compile: ${what} names unknown outputs [${unknown.join(', ')}]; the outputs are ${outputs.map((o) => o.name).join(', ')}`);
  }
  return outputs.map((o) => {
    const v = rec[o.name] ?? fallback;
    if (v === undefined) throw new ValueError(`compile: ${what} lacks an entry for output "${o.name}"`);
    return v;
  });
}

const isLossId = (v: unknown): v is LossId => typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null && 'perSample' in v);
const isMetricId = (v: unknown): v is MetricId => typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null && 'update' in v && 'result' in v);

/**
 * Keras 3 refuses a bare metric ("Expected `metrics` argument to be a list, tuple, or dict"):
 * iterated as a list, the string 'mae' would be the metrics 'm', 'a', 'e'.
 */
function checkMetricsContainer(m: unknown): void {
  if (m === undefined || (typeof m === 'object' && m !== null && !isMetricId(m))) return;
  const got = typeof m === 'object' && m !== null ? 'a Metric object' : fmtReceived(m);
  const hint = typeof m === 'string' ? `; write metrics: ['${m}']` : '; wrap it in a list';
  throw new ValueError(`compile: metrics must be a list or an object keyed by output name, received ${got}${hint}`);
}

/** Resolves the compile options against the model's outputs (throws on unknown names). */
export function resolveOutputs(options: CompileOptions, outputs: readonly OutputInfo[]): CompiledOutput[] {
  const losses = perOutput<LossId>('loss', options.loss, outputs, isLossId).map((id) => getLoss(id));
  const weights = options.lossWeights === undefined ? outputs.map(() => 1) : perOutput<number>('lossWeights', options.lossWeights, outputs, (v): v is number => typeof v === 'number', 1);
  weights.forEach((w, i) => {
    if (!Number.isFinite(w)) throw new ValueError(`compile: lossWeights for output "${outputs[i]?.name}" must be a finite number, received ${fmtReceived(w)}`);
  });
  let metricIds: (readonly MetricId[])[];
  const m = options.metrics;
  if (m === undefined) metricIds = outputs.map(() => []);
  else if (Array.isArray(m) && m.every((e) => isMetricId(e))) metricIds = outputs.map(() => m as readonly MetricId[]);
  else if (Array.isArray(m)) metricIds = perOutput<readonly MetricId[]>('metrics', m as readonly (readonly MetricId[])[], outputs, (v): v is readonly MetricId[] => false);
  else {
    const rec = m as Readonly<Record<string, MetricId | readonly MetricId[]>>;
    const asLists: Record<string, readonly MetricId[]> = {};
    for (const [k, v] of Object.entries(rec)) asLists[k] = isMetricId(v) ? [v] : v;
    metricIds = perOutput<readonly MetricId[]>('metrics', asLists, outputs, (v): v is readonly MetricId[] => false, []);
  }
  const multi = outputs.length > 1;
  const used = new Set<Metric>();
  return outputs.map((o, i) => {
    const loss = losses[i] as Loss;
    const metrics = (metricIds[i] ?? []).map((id) => {
      const metric = getMetric(id, { lossName: loss.name, outputShape: o.shape });
      if (used.has(metric)) throw new ValueError(`compile: metric object "${metric.name}" is given to several outputs; pass one object per output (it holds state)`);
      used.add(metric);
      return metric;
    });
    return {
      name: o.name,
      loss,
      weight: weights[i] as number,
      metrics,
      lossLogName: multi ? `${o.name}_loss` : null,
      metricLogNames: metrics.map((mm) => (multi ? `${o.name}_${mm.name}` : mm.name)),
    };
  });
}

/** The compiled state a model holds between compile and fit. */
export class Compiled {
  private runner: OptimizerRunner | null = null;
  private runnerParams: readonly Variable[] = [];
  outputs: CompiledOutput[] | null = null;
  readonly optimizer: Optimizer;
  /** Which weights were trainable at compile (Model.compile sets it); null: read them at each fit. */
  trainableSnapshot: TrainableSnapshot | null = null;

  constructor(readonly options: CompileOptions) {
    checkOptions('compile', options, COMPILE_OPTIONS);
    if (options === undefined) throw new ValueError(`compile: options are required: {optimizer, loss, metrics}`);
    if (options.optimizer === undefined) throw new ValueError(`compile: optimizer is required ('sgd', 'adam', 'rmsprop', ... or an optimizer object)`);
    if (options.loss === undefined) throw new ValueError(`compile: loss is required (e.g. 'mse' or 'sparseCategoricalCrossentropy')`);
    this.optimizer = getOptimizer(options.optimizer);
    // Unknown names fail here, at compile, rather than at the first fit (as in Keras).
    const lossIds = isLossId(options.loss) ? [options.loss] : Object.values(options.loss);
    for (const id of lossIds) getLoss(id);
    const m = options.metrics;
    checkMetricsContainer(m);
    const metricIds = m === undefined ? [] : Object.values(m).flatMap((v: MetricId | readonly MetricId[]) => (isMetricId(v) ? [v] : [...v]));
    for (const id of metricIds) if (typeof id === 'string') getMetric(id);
  }

  /** Resolves losses and metrics once the outputs are known (first fit/evaluate). */
  resolve(outputs: readonly OutputInfo[]): CompiledOutput[] {
    this.outputs ??= resolveOutputs(this.options, outputs);
    return this.outputs;
  }

  /** The runner of the last fit (null before one): its state is what `model.save` writes. */
  get currentRunner(): OptimizerRunner | null {
    return this.runner;
  }

  /** The weights fit trains: the compile-time trainable set (training/trainable_snapshot.ts). */
  trainableWeightsOf(model: WeightOwner): Variable[] {
    return this.trainableSnapshot ? this.trainableSnapshot.weightsOf(model) : model.trainableWeights;
  }

  /** The optimizer bound to the current trainable weights (rebound if they changed). */
  runnerFor(params: readonly Variable[]): OptimizerRunner {
    const same = this.runner && params.length === this.runnerParams.length && params.every((p, i) => p === this.runnerParams[i]);
    if (!this.runner || !same) {
      this.runner?.dispose();
      this.runner = new OptimizerRunner(this.optimizer, params);
      this.runnerParams = [...params];
    }
    return this.runner;
  }

  /** All log names in Keras order: loss, per-output losses, metrics. */
  logNames(): string[] {
    const outs = this.outputs ?? [];
    return ['loss', ...outs.flatMap((o) => (o.lossLogName ? [o.lossLogName] : [])), ...outs.flatMap((o) => o.metricLogNames)];
  }

  resetMetrics(): void {
    for (const o of this.outputs ?? []) for (const m of o.metrics) m.reset();
  }

  dispose(): void {
    this.runner?.dispose();
    this.runner = null;
    for (const o of this.outputs ?? []) for (const m of o.metrics) m.dispose?.();
  }
}

