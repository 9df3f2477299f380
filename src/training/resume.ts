/**
 * How fit and a backup callback (backupAndRestore) work together. The callback does not use
 * the ordinary hooks, because a backup must see the state after EVERY callback has run: early
 * stopping's verdict on the epoch, History's new entry. So fit calls the backup itself, at
 * four fixed points:
 *
 * - `resume`, after every callback's onTrainBegin (which resets their state): the backup is
 *   read and checked, and fit learns where to continue. At an epoch boundary everything is
 *   restored at once; mid-epoch, the epoch's state (callbacks, random generator, learning
 *   rate, running metrics) is restored by `restoreEpoch`, which fit calls after that epoch's
 *   onEpochBegin hooks: those hooks already ran before the crash (a learning-rate scheduler
 *   set the epoch's rate), so their effects come from the backup, not from running them twice.
 * - `afterBatch`, after every callback's onTrainBatchEnd;
 * - `afterEpoch`, after every callback's onEpochEnd;
 * - `completed`, after onTrainEnd, when fit ends without an error.
 */
import { ValueError } from '../core/errors.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import type { OptimizerRunner } from '../optimizers/transform.js';
import type { Compiled } from './compile.js';
import type { SkipMonitor } from './finite.js';
import type { TrainableModel } from './step.js';
import type { LossTrackers } from './trackers.js';

/** What a backup reads and restores: fit's pieces for this call. */
export interface FitState {
  readonly model: TrainableModel;
  readonly compiled: Compiled;
  readonly runner: OptimizerRunner;
  readonly trackers: LossTrackers;
  readonly skips: SkipMonitor;
  /** Every callback of the fit, in order (History last). */
  readonly callbacks: readonly Callback[];
  readonly epochs: number;
  /** Batches per epoch. */
  readonly steps: number;
  /** Training samples. */
  readonly samples: number;
}

/** Where a resumed fit continues. */
export interface ResumePoint {
  /** The epoch to run next (from 0). */
  readonly epoch: number;
  /** The first batch of that epoch still to run; 0 starts the epoch afresh. */
  readonly batch: number;
  /** The epoch's sample order, when resuming mid-epoch with shuffling (null: stored order). */
  readonly order: Int32Array | null;
  /** The logs of the last completed epoch (onTrainEnd's, when no epoch is left to run). */
  readonly lastLogs: Logs;
  /** Mid-epoch only: puts back the epoch's state; fit calls it after the epoch's onEpochBegin hooks. */
  restoreEpoch(): void;
}

export interface FitBackup {
  resume(state: FitState): Promise<ResumePoint | null>;
  /** `order`: the epoch's sample order (null when not shuffled). */
  afterBatch(epoch: number, batch: number, order: Int32Array | null): Promise<void>;
  afterEpoch(epoch: number, logs: Logs): Promise<void>;
  completed(): Promise<void>;
}

/** The key under which a callback offers fit its FitBackup. */
export const FIT_BACKUP: unique symbol = Symbol('hebb.fitBackup');

interface OffersBackup {
  readonly [FIT_BACKUP]: FitBackup;
}

function offersBackup(c: Callback): c is Callback & OffersBackup {
  return FIT_BACKUP in c;
}

/** The fit's backup, if one of its callbacks is one; two are refused (they would fight over the resume). */
export function fitBackupOf(callbacks: readonly Callback[]): FitBackup | null {
  const found = callbacks.filter(offersBackup);
  if (found.length > 1) throw new ValueError(`fit: ${found.length} backupAndRestore callbacks were given; a fit can resume from one backup only`);
  return found[0]?.[FIT_BACKUP] ?? null;
}
