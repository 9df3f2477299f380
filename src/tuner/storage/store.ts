/**
 * Where trials live: one interface, three stores (memory, SQLite, PostgreSQL). Every trial is
 * written as it happens (claimed, each epoch, finished), so a killed search loses at most the
 * trial it was running, and workers in other processes or on other hosts share one search.
 *
 * Hand-out is the store's job, because only it can make it atomic: `claim` first re-issues a
 * running trial whose lease expired (its worker stopped heartbeating) or whose worker process
 * on this host is gone, and otherwise asks the oracle (`propose`, synchronous, run while the
 * store holds the search's write lock) for a new one, which it records as running for the
 * caller. No two workers can therefore get the same trial.
 */
import type { HPDef, HPValues } from '../hyperparameters.js';

export type TrialStatus = 'running' | 'completed' | 'failed';

/** What an oracle asks for: the values, how many epochs, and where the trial sits in its scheme (bracket, rung, parent). */
export interface Proposal {
  readonly values: HPValues;
  /** The epoch to train up to (exclusive upper bound of fit's epochs). */
  readonly epochs?: number;
  /** The epoch to start from, resuming `info.parent`'s checkpoint (a Hyperband promotion). */
  readonly initialEpoch?: number;
  readonly info?: Readonly<Record<string, number | string | null>>;
}

export interface EpochLog {
  readonly epoch: number;
  readonly logs: Readonly<Record<string, number>>;
}

export interface TrialRecord extends Proposal {
  readonly id: number;
  readonly status: TrialStatus;
  /** The definitions this trial's hypermodel met (the space grows as conditional branches are taken). */
  readonly space: readonly HPDef[];
  readonly metrics: readonly EpochLog[];
  /** The objective's best value over the trial's epochs (mean over executions); null until completed or when it never appeared. */
  readonly score: number | null;
  readonly bestEpoch: number | null;
  readonly checkpoint: string | null;
  readonly worker: string;
  /** 1 for the first run; more when an interrupted trial was handed out again. */
  readonly attempts: number;
  readonly createdAt: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly heartbeatAt: number;
  readonly error: string | null;
}

export type ProposeResult = Proposal | 'done' | 'wait';

export interface ClaimRequest {
  readonly worker: string;
  readonly leaseMs: number;
  /** Called with every trial of the search (ordered by id) when no interrupted trial is waiting. */
  readonly propose: (trials: readonly TrialRecord[]) => ProposeResult;
}

export interface FinishReport {
  /** The values the trial ran with (the proposal's, plus any the hypermodel met for the first time). */
  readonly values: HPValues;
  readonly status: 'completed' | 'failed';
  readonly score: number | null;
  readonly bestEpoch: number | null;
  readonly checkpoint: string | null;
  readonly space: readonly HPDef[];
  readonly error?: string;
}

/** The search's identity in a shared store: its name and the settings every worker must agree on. */
export interface SearchConfig {
  readonly name: string;
  readonly oracle: string;
  readonly objective: string;
  readonly direction: 'min' | 'max';
}

export interface TrialStore {
  /** Where it is, for messages (`sqlite:tuning.db`). */
  readonly location: string;
  /**
   * Creates the tables if needed and registers the search. A store holding a search of that
   * name made with other settings is an error unless `overwrite`, which deletes its trials.
   */
  open(config: SearchConfig, overwrite: boolean): Promise<void>;
  /** 'done' when the oracle has nothing more and no trial is running; 'wait' while others' trials may still change that. */
  claim(req: ClaimRequest): Promise<TrialRecord | 'done' | 'wait'>;
  /** Extends the lease; false when the trial is no longer this worker's (its lease expired and it was handed out again). */
  heartbeat(id: number, worker: string, leaseMs: number): Promise<boolean>;
  /** Appends one epoch's logs (and extends the lease). */
  reportEpoch(id: number, worker: string, log: EpochLog, leaseMs: number): Promise<boolean>;
  /** Records the result; false (and nothing written) when the trial is no longer this worker's. */
  finish(id: number, worker: string, report: FinishReport): Promise<boolean>;
  /** Reads the search `name` without registering it (`hebb tune --status`). */
  use(name: string): void;
  /** Every trial of the search, by id. */
  list(): Promise<TrialRecord[]>;
  /** The searches the store holds (for `hebb tune --status`). */
  searches(): Promise<SearchConfig[]>;
  close(): Promise<void>;
}

/** `host:pid`, the worker id that lets a store on one host see that a worker process is gone. */
export function isDeadLocalWorker(worker: string, host: string): boolean {
  const i = worker.lastIndexOf(':');
  if (i < 0 || worker.slice(0, i) !== host) return false;
  const pid = Number(worker.slice(i + 1));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The trial a claim re-issues first: the oldest running one whose lease ran out or whose local worker died. */
export function reclaimable(trials: readonly { id: number; status: TrialStatus; worker: string; leaseUntil: number }[], now: number, host: string): number | null {
  for (const t of trials) if (t.status === 'running' && (t.leaseUntil < now || isDeadLocalWorker(t.worker, host))) return t.id;
  return null;
}
