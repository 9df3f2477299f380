/**
 * Running means of the losses over an epoch, held in backend tensors so that updating them is
 * not a sync point; `readLogs` reads every log value back in one transfer.
 */
import { keep, scope } from '../core/engine.js';
import { Tensor } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { stateNumber, type SavedState } from '../core/saved_state.js';
import { copy } from '../ops/primitives_movement.js';
import { add, div, mul } from '../ops/elementwise.js';
import { cast, concat, reshape } from '../ops/movement.js';
import type { Logs } from '../callbacks/callback.js';
import type { Compiled } from './compile.js';
import { onHost } from '../capture/host.js';

/** Mean of per-batch values weighted by batch size (Keras 3's loss tracker). */
export class MeanTracker {
  private total: Tensor | null = null;
  private count = 0;

  /** value: a scalar; weight: the batch's sample count (known on the host, no sync). */
  update(value: Tensor, weight: number): void {
    const prev = this.total;
    this.total = keep(scope(() => {
      const v = mul(cast(value, 'float32'), weight);
      return prev ? add(prev, v) : v;
    }));
    prev?.dispose();
    onHost(() => void (this.count += weight));
  }

  result(): Tensor {
    if (!this.total) throw new ValueError('MeanTracker: result() before any update');
    return div(this.total, this.count);
  }

  reset(): void {
    this.total?.dispose();
    this.total = null;
    this.count = 0;
  }

  get updated(): boolean {
    return this.total !== null;
  }

  /** The running total and count, for a mid-epoch backup (core/saved_state.ts). */
  getState(): SavedState {
    return { values: { count: this.count }, tensors: this.total ? { total: this.total } : {} };
  }

  setState(state: SavedState): void {
    const count = stateNumber('MeanTracker', state, 'count');
    const total = state.tensors['total'];
    if (total !== undefined && !(total instanceof Tensor && total.rank === 0)) throw new ValueError('MeanTracker.setState: "total" must be a scalar');
    this.reset();
    this.total = total ? keep(copy(total)) : null;
    this.count = count;
  }
}

/** The loss trackers of one compiled model: the total and one per output when there are several. */
export class LossTrackers {
  readonly total = new MeanTracker();
  readonly perOutput: MeanTracker[];

  constructor(readonly compiled: Compiled) {
    this.perOutput = (compiled.outputs ?? []).map(() => new MeanTracker());
  }

  update(total: Tensor, parts: readonly Tensor[], batch: number): void {
    this.total.update(total, batch);
    if (this.perOutput.length > 1) parts.forEach((p, i) => this.perOutput[i]?.update(p, batch));
  }

  reset(): void {
    this.total.reset();
    for (const t of this.perOutput) t.reset();
  }

  dispose(): void {
    this.reset();
  }

  /** Every tracker, the total first: what a mid-epoch backup saves and restores. */
  all(): MeanTracker[] {
    return [this.total, ...this.perOutput];
  }

  /** Every log value in Keras order, read back in a single transfer. */
  async readLogs(): Promise<Logs> {
    return (await this.readWith([])).logs;
  }

  /**
   * The logs and the values of `extra` (scalars: fit's skipped-step counters), all in the
   * same single transfer. Without any update yet, the logs are empty and extra is still read.
   */
  async readWith(extra: readonly Tensor[]): Promise<{ logs: Logs; extra: number[] }> {
    const names = this.compiled.logNames();
    const updated = this.total.updated;
    if (!updated && extra.length === 0) return { logs: {}, extra: [] };
    const packed = scope(() => {
      const vals: Tensor[] = [];
      if (updated) {
        vals.push(this.total.result());
        if (this.perOutput.length > 1) for (const t of this.perOutput) vals.push(t.result());
        for (const o of this.compiled.outputs ?? []) for (const m of o.metrics) vals.push(m.result());
      }
      vals.push(...extra);
      return concat(vals.map((v) => reshape(cast(v, 'float32'), [1])), 0);
    });
    try {
      const data = await packed.data();
      const logs: Logs = {};
      const n = updated ? names.length : 0;
      for (let i = 0; i < n; i++) logs[names[i] as string] = data[i] as number;
      return { logs, extra: Array.from(data.subarray(n), Number) };
    } finally {
      packed.dispose();
    }
  }
}
