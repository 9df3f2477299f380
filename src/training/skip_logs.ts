/**
 * fit's training logs with the non-finite guard's counters (training/finite.ts) read in the
 * same transfer: `skipped_steps` joins the logs when the epoch skipped a step, and reaching
 * the consecutive-skip limit is acted on here, when the host learns of it — an error naming
 * the epoch and batch, or, with terminateOnNaN, a stop.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import type { Logs } from '../callbacks/callback.js';
import type { TerminateOnNaN } from '../callbacks/terminate_on_nan.js';
import { SkipMonitor } from './finite.js';
import type { LossTrackers } from './trackers.js';

export interface SkipLogOptions {
  readonly modelName: string;
  readonly epochs: number;
  /** Batches per epoch (fit's steps); null when unknown (a dataset without stepsPerEpoch). */
  readonly steps: number | null;
  readonly initialEpoch: number;
  /** fit's maxConsecutiveSkips. */
  readonly maxConsecutiveSkips: number;
  /** When non-empty, the monitor's limit is 1 and reaching it stops fit instead of failing. */
  readonly terminators: readonly TerminateOnNaN[];
}

/** fit's maxConsecutiveSkips [10]: a positive integer, or Infinity (never stop). */
export function checkMaxConsecutiveSkips(v: unknown): number {
  if (v === undefined) return 10;
  if (v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v >= 1)) return v;
  throw new ValueError(`fit: maxConsecutiveSkips must be a positive integer or Infinity, received ${fmtReceived(v)}`);
}

/** The monitor for one fit: limit 1 with terminateOnNaN, else maxConsecutiveSkips. */
export function skipMonitorFor(o: SkipLogOptions): SkipMonitor {
  return new SkipMonitor(o.terminators.length > 0 ? 1 : o.maxConsecutiveSkips);
}

/** Reads fit's logs; acts once on the limit (later reads see the same run). */
export function skipLogReader(trackers: LossTrackers, skips: SkipMonitor, o: SkipLogOptions): () => Promise<Logs> {
  let acted = false;
  return async () => {
    // The step count now, before awaiting: the values read are those of the steps queued so far.
    const steps = skips.steps;
    const { logs, extra } = await trackers.readWith(skips.tensors());
    const r = SkipMonitor.report(extra, steps, skips.limit);
    if (r.skipped > 0) logs['skipped_steps'] = r.skipped;
    if (r.limitReachedAt !== null && !acted) {
      acted = true;
      // Without a known epoch length the step is counted from the start of the fit.
      const epoch = o.steps === null ? null : o.initialEpoch + Math.floor(r.limitReachedAt / o.steps);
      const batch = o.steps === null ? r.limitReachedAt : r.limitReachedAt % o.steps;
      const at = epoch === null ? `training step ${r.limitReachedAt + 1}` : `epoch ${epoch + 1}/${o.epochs}, batch ${batch + 1}/${o.steps}`;
      if (o.terminators.length > 0) {
        for (const t of o.terminators) t.terminate(batch);
      } else {
        throw new ValueError(
          `fit: model "${o.modelName}" stopped after ${o.maxConsecutiveSkips} consecutive training steps with a non-finite loss or gradient ` +
            `(NaN or Infinity), the last at ${at}; those steps were skipped, so the weights are ` +
            'those of the last finite step. Check the data and the loss for NaN or Infinity, lower the learning rate or clip the gradients, or raise maxConsecutiveSkips',
        );
      }
    }
    return logs;
  };
}
