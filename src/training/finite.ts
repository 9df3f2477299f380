/**
 * Non-finite values never reach the weights (the idea of optax's `apply_if_finite`): fit
 * applies a step only when its loss and every gradient are finite, and decides it on the
 * backend, so no step waits for a read-back. The decision is a float32 scalar guard, 1 or 0,
 * that the optimizer runner selects with (`runner.step(grads, guard)`: weights and state
 * tensors keep their old values where it is 0).
 *
 * The step count. optax's wrapper does not advance the inner state on a skipped step, and
 * neither does the runner: moments, velocities and accumulators keep their values. But
 * `iterations` (what schedules and bias corrections read) is a host number, and knowing on
 * the host whether a step was skipped means reading the guard back every step. So the count
 * is of steps attempted: a skipped step still advances a schedule by one (as a per-batch
 * schedule of the batch index would), and host numbers in a state (Nadam's momentum product)
 * advance with it. That is deterministic (it does not depend on when logs happen to be read),
 * and it matches optax exactly whenever nothing is skipped.
 *
 * Consecutive skips. `SkipMonitor` keeps, on the backend, the run of consecutive skipped steps
 * and the epoch's count; once the run reaches the limit (fit's `maxConsecutiveSkips`, or 1
 * with `terminateOnNaN`) every later step is skipped too, so the weights stay those of the
 * last step before the run, however late the host notices. The host notices when it reads
 * logs (the progress bar, the epoch end) and works out the step where the limit was reached
 * from the run's length, exactly: after the limit every step adds one to the run.
 */
import { keep, scope } from '../core/engine.js';
import { Tensor } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { stateCount, type SavedState } from '../core/saved_state.js';
import { copy } from '../ops/primitives_movement.js';
import { add, equal, less, mul, sub } from '../ops/elementwise.js';
import { fill, where } from '../ops/primitives.js';
import { cast, concat, reshape } from '../ops/movement.js';
import { sum } from '../ops/reduce.js';
import { onHost } from '../capture/host.js';
import { defineFused, runFused1, type Expr, type FusedFn } from '../ops/fused.js';

/**
 * The programs that turn k sums into the guard: s − s is 0 for a finite s and NaN for NaN or
 * ±Inf, so Σ (s_i − s_i) is 0 exactly when every s_i is finite (it cannot overflow), then 1 or
 * 0. One kernel call over scalars instead of k reshapes, a concat, a mul, a sum, an equal and a
 * cast. Up to COMBINE_MAX sums: the wasm interpreter gives every input a block of scratch, so
 * a model with hundreds of weights takes the concat below instead (a fixed number of calls).
 */
const COMBINE_MAX = 32;
const combiners = new Map<number, FusedFn>();

function combiner(k: number): FusedFn {
  let fn = combiners.get(k);
  if (!fn) {
    fn = defineFused(`finite guard of ${k}`, k, 0, (e, x) => {
      const zero = (s: Expr): Expr => e.sub(s, s);
      const total = x.slice(1).reduce((acc, s) => e.add(acc, zero(s)), zero(x[0] as Expr));
      return [e.where(e.equal(total, 0), 1, 0)];
    });
    combiners.set(k, fn);
  }
  return fn;
}

/**
 * 1 when `loss` and every gradient are finite, else 0 (a float32 scalar, on the backend).
 * One sum per gradient: a sum is NaN or ±Inf when an element is; x·0 then gives 0 for a
 * finite sum and NaN otherwise. (A gradient of finite elements whose sum overflows float32,
 * |Σg| > 3.4e38, also counts as non-finite: a step that size would not leave finite weights.)
 * The sums of one float dtype are combined by one fused kernel (combiner above); mixed dtypes
 * are cast after the ·0, which is exact.
 */
export function finiteGuard(loss: Tensor, grads: readonly Tensor[]): Tensor {
  const sums = [loss.rank === 0 ? loss : sum(loss), ...grads.map((g) => sum(g))];
  const dtype = sums[0]?.dtype;
  const oneDtype = (dtype === 'float32' || dtype === 'float64') && sums.every((s) => s.dtype === dtype);
  if (oneDtype && sums.length <= COMBINE_MAX) {
    const ok = runFused1(combiner(sums.length), sums);
    return dtype === 'float32' ? ok : cast(ok, 'float32');
  }
  const zeros = oneDtype ? mul(concat(sums.map((s) => reshape(s, [1])), 0), 0) : concat(sums.map((s) => reshape(cast(mul(s, 0), 'float32'), [1])), 0);
  return cast(equal(sum(zeros), 0), 'float32');
}

/** Where the run of consecutive skips reached the limit, in fit's steps (0-based, over the whole fit). */
export interface SkipReport {
  /** Steps skipped in the current epoch so far. */
  skipped: number;
  /** The fit step at which the run of consecutive skips reached the limit; null if it has not. */
  limitReachedAt: number | null;
}

/** The device counters of skipped steps (see the file comment); read with the logs. */
export class SkipMonitor {
  /** Consecutive skipped steps up to now. */
  private run: Tensor;
  /** Skipped steps this epoch. */
  private skipped: Tensor;
  /** Steps guarded so far in this fit (a host count: every call of `guard`). */
  steps = 0;

  constructor(readonly limit: number) {
    this.run = keep(fill([], 0, 'float32'));
    this.skipped = keep(fill([], 0, 'float32'));
  }

  /**
   * The guard for this step: `finite` (from finiteGuard) while the run is below the limit,
   * 0 from then on. Updates the counters; six scalar ops, no read.
   */
  guard(finite: Tensor): Tensor {
    const prevRun = this.run;
    const prevSkipped = this.skipped;
    const [g, run, skipped] = scope(() => {
      const g = where(less(prevRun, this.limit), finite, 0);
      const miss = sub(1, g);
      return [g, mul(add(prevRun, 1), miss), add(prevSkipped, miss)];
    });
    this.run = keep(run);
    this.skipped = keep(skipped);
    prevRun.dispose();
    prevSkipped.dispose();
    onHost(() => this.steps++);
    return g;
  }

  /** Starts an epoch's count (the run carries over: consecutive skips span epochs). */
  resetEpoch(): void {
    this.skipped.dispose();
    this.skipped = keep(fill([], 0, 'float32'));
  }

  /** The counters to read back with the logs, in `report`'s order. */
  tensors(): Tensor[] {
    return [this.skipped, this.run];
  }

  /**
   * What the values read from `tensors()` mean, `steps` being this.steps when they were
   * asked for: after the limit every step adds one to the run, so the limit was reached
   * `run − limit` steps before the last one.
   */
  static report(values: readonly number[], steps: number, limit: number): SkipReport {
    const [skipped = 0, run = 0] = values;
    return { skipped, limitReachedAt: run >= limit ? steps - 1 - (run - limit) : null };
  }

  /** The counters and the step count, for a backup (core/saved_state.ts). */
  getState(): SavedState {
    return { values: { steps: this.steps }, tensors: { run: this.run, skipped: this.skipped } };
  }

  setState(state: SavedState): void {
    const steps = stateCount('SkipMonitor', state, 'steps');
    const { run, skipped } = state.tensors;
    const scalar = (t: Tensor | undefined): t is Tensor => t instanceof Tensor && t.rank === 0 && t.dtype === 'float32';
    if (!scalar(run) || !scalar(skipped)) throw new ValueError('SkipMonitor.setState: expected float32 scalars "run" and "skipped"');
    this.dispose();
    this.run = keep(copy(run));
    this.skipped = keep(copy(skipped));
    this.steps = steps;
  }

  dispose(): void {
    this.run.dispose();
    this.skipped.dispose();
  }
}
