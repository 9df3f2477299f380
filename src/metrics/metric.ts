/**
 * Streaming metrics. A metric keeps running totals in non-trainable Variables and updates them
 * with `assign` inside a scope, so `update` enqueues device work and never reads a value back
 * to JavaScript: a training step has no sync point for its metrics. `result()` is a scalar
 * tensor, read once when the logs are.
 */
import { scope } from '../core/engine.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, type Variable } from '../core/tensor.js';
import type { SavedState } from '../core/saved_state.js';
import { withoutRecording } from '../autodiff/tape.js';
import { variable } from '../ops/creation.js';
import { add, div, equal, mul } from '../ops/elementwise.js';
import { cast, fill, where } from '../ops/primitives.js';
import { broadcastTo } from '../ops/primitives_movement.js';
import { sum } from '../ops/reduce.js';
import { alignSampleWeight } from '../losses/loss.js';

export interface Metric {
  /** The key the logs use for it (Keras 3: the string given to compile, else the metric's own name). */
  readonly name: string;
  /** Adds a batch to the running totals. Enqueues device work only: nothing is read back. */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | number): void;
  /** The value over everything since the last reset: a scalar tensor the caller owns. */
  result(): Tensor;
  /** Back to the state before any update. */
  reset(): void;
  /** Frees the running totals (kept tensors); the metric is unusable afterwards. */
  dispose?(): void;
  /**
   * The running totals, for a backup taken in the middle of an epoch (core/saved_state.ts);
   * a metric without them restarts its totals when a run resumes mid-epoch.
   */
  getState?(): SavedState;
  setState?(state: SavedState): void;
}

/** A per-sample metric: (yTrue, yPred) → values of shape [batch]. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * A weighted running mean: total = Σ w·v and count = Σ w (Keras's Reduce with weighted mean).
 * Totals are float32, as Keras keeps them.
 */
class RunningMean {
  /**
   * Created on the first update, on the backend active then, so a metric that is resolved but
   * never used (compile validating its names, say) holds no memory.
   */
  private totals: { total: Variable; count: Variable } | null = null;
  constructor(private readonly name: string) {}

  private vars(): { total: Variable; count: Variable } {
    this.totals ??= scope(() => ({
      total: variable(fill([], 0, 'float32'), { name: `${this.name}/total`, trainable: false }),
      count: variable(fill([], 0, 'float32'), { name: `${this.name}/count`, trainable: false }),
    }));
    return this.totals;
  }

  /** Adds Σ w·v to the total and Σ w (w broadcast to v's shape) to the count. */
  add(op: string, values: Tensor, weight: Tensor | number | undefined): void {
    withoutRecording(() =>
      scope(() => {
        const v = cast(values, 'float32');
        let s: Tensor;
        let c: Tensor | number;
        if (weight === undefined) {
          s = sum(v);
          c = v.size;
        } else if (typeof weight === 'number') {
          s = mul(sum(v), weight);
          c = weight * v.size;
        } else {
          const w = cast(weight, 'float32');
          const wv = mul(v, w);
          if (!shapesEqual(wv.shape, v.shape)) {
            throw new ShapeError(`${op}: sampleWeight of shape ${fmtShape(weight.shape)} does not broadcast to the values' shape ${fmtShape(v.shape)}`);
          }
          s = sum(wv);
          c = sum(broadcastTo(w, v.shape));
        }
        const { total, count } = this.vars();
        total.assign(add(total, s));
        count.assign(add(count, c));
      }),
    );
  }

  /** total / count, or 0 before any update (Keras's divide_no_nan). */
  mean(): Tensor {
    const t = this.totals;
    if (!t) return fill([], 0, 'float32');
    return withoutRecording(() =>
      scope(() => {
        const empty = equal(t.count, 0);
        return where(empty, 0, div(t.total, where(empty, 1, t.count)));
      }),
    );
  }

  reset(): void {
    const t = this.totals;
    if (!t) return;
    scope(() => {
      t.total.assign(fill([], 0, 'float32'));
      t.count.assign(fill([], 0, 'float32'));
    });
  }

  /** The totals (none before the first update). */
  getState(): SavedState {
    return { values: {}, tensors: this.totals ? { total: this.totals.total, count: this.totals.count } : {} };
  }

  setState(state: SavedState, who: string): void {
    const { total, count } = state.tensors;
    if (total === undefined && count === undefined) return this.reset();
    const scalar = (t: Tensor | undefined): boolean => t instanceof Tensor && t.rank === 0 && t.dtype === 'float32';
    if (!scalar(total) || !scalar(count)) throw new ValueError(`${who}.setState: expected float32 scalars "total" and "count"`);
    const v = this.vars();
    v.total.assign(total as Tensor);
    v.count.assign(count as Tensor);
  }

  /** Frees the totals; a later update starts afresh. */
  dispose(): void {
    this.totals?.total.dispose();
    this.totals?.count.dispose();
    this.totals = null;
  }
}

/**
 * A metric that averages a per-sample function over all samples seen (Keras's
 * MeanMetricWrapper); `finish` maps the mean to the result (sqrt for RMSE).
 */
export class MeanMetric implements Metric {
  private readonly acc: RunningMean;
  constructor(
    readonly name: string,
    private readonly fn: MetricFn,
    private readonly finish?: (mean: Tensor) => Tensor,
  ) {
    this.acc = new RunningMean(name);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | number): void {
    withoutRecording(() =>
      scope(() => {
        const v = this.fn(yTrue, yPred);
        const w = sampleWeight === undefined || typeof sampleWeight === 'number' ? sampleWeight : alignSampleWeight(`metric "${this.name}"`, sampleWeight, v);
        this.acc.add(`metric "${this.name}"`, v, w);
      }),
    );
  }

  result(): Tensor {
    const finish = this.finish;
    if (!finish) return this.acc.mean();
    return withoutRecording(() => scope(() => finish(this.acc.mean())));
  }

  reset(): void {
    this.acc.reset();
  }

  getState(): SavedState {
    return this.acc.getState();
  }

  setState(state: SavedState): void {
    this.acc.setState(state, `metric "${this.name}"`);
  }

  /** Frees the running totals (a later update starts from zero). */
  dispose(): void {
    this.acc.dispose();
  }
}

/**
 * The plain weighted mean of the values given (Keras's `Mean`), e.g. the epoch's loss from
 * each batch's loss weighted by the batch size: `lossMean.update(loss, batchSize)`. Its update
 * takes values, not (yTrue, yPred), so it is not a `Metric`.
 */
export class Mean {
  private readonly acc: RunningMean;
  constructor(readonly name = 'mean') {
    this.acc = new RunningMean(name);
  }

  /** Adds the values (any shape), weighted by sampleWeight (broadcast to the values' shape). */
  update(values: Tensor, sampleWeight?: Tensor | number): void {
    this.acc.add(`Mean "${this.name}"`, values, sampleWeight);
  }

  result(): Tensor {
    return this.acc.mean();
  }

  reset(): void {
    this.acc.reset();
  }

  dispose(): void {
    this.acc.dispose();
  }
}
