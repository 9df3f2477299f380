/** The one table layout the SQL stores share, and the conversion between its rows and TrialRecord. */
import { ValueError } from '../../core/errors.js';
import type { SearchConfig, TrialRecord, TrialStatus } from './store.js';

/** Columns of `hebb_trials` (JSON held as text, times as milliseconds since 1970). */
export interface TrialRow {
  id: number;
  status: string;
  hparams: string;
  space: string;
  info: string;
  epochs: number | null;
  initial_epoch: number | null;
  metrics: string;
  score: number | null;
  best_epoch: number | null;
  checkpoint: string | null;
  worker: string;
  attempts: number;
  created_at: number;
  started_at: number;
  ended_at: number | null;
  heartbeat_at: number;
  lease_until: number;
  error: string | null;
}

export const TRIAL_COLUMNS =
  'id, status, hparams, space, info, epochs, initial_epoch, metrics, score, best_epoch, checkpoint, worker, attempts, created_at, started_at, ended_at, heartbeat_at, lease_until, error';

export function rowToRecord(r: TrialRow): TrialRecord {
  const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
  const rec: TrialRecord = {
    id: Number(r.id),
    status: r.status as TrialStatus,
    values: JSON.parse(r.hparams) as TrialRecord['values'],
    space: JSON.parse(r.space) as TrialRecord['space'],
    info: JSON.parse(r.info) as NonNullable<TrialRecord['info']>,
    metrics: JSON.parse(r.metrics) as TrialRecord['metrics'],
    score: num(r.score),
    bestEpoch: num(r.best_epoch),
    checkpoint: r.checkpoint,
    worker: r.worker,
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    startedAt: Number(r.started_at),
    endedAt: num(r.ended_at),
    heartbeatAt: Number(r.heartbeat_at),
    error: r.error,
    ...(r.epochs === null ? {} : { epochs: Number(r.epochs) }),
    ...(r.initial_epoch === null ? {} : { initialEpoch: Number(r.initial_epoch) }),
  };
  return rec;
}

export function checkConfig(location: string, have: SearchConfig, want: SearchConfig): void {
  for (const k of ['oracle', 'objective', 'direction'] as const) {
    if (have[k] !== want[k]) {
      throw new ValueError(
        `${location} holds a search "${want.name}" with ${k} ${JSON.stringify(have[k])}, not ${JSON.stringify(want[k])}: pass overwrite: true to replace it, or another projectName`,
      );
    }
  }
}
