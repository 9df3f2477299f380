/** Trials in this process's memory: the default store, for a search that need not survive the process. */
import { hostname } from 'node:os';
import type { ClaimRequest, EpochLog, FinishReport, SearchConfig, TrialRecord, TrialStore } from './store.js';
import { reclaimable } from './store.js';
import { checkConfig } from './rows.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Entry = Mutable<TrialRecord> & { leaseUntil: number };

export class MemoryStore implements TrialStore {
  readonly location = 'memory';
  private config: SearchConfig | null = null;
  private trials: Entry[] = [];

  async open(config: SearchConfig, overwrite: boolean): Promise<void> {
    if (this.config !== null && !overwrite && this.config.name === config.name) checkConfig(this.location, this.config, config);
    if (overwrite || this.config?.name !== config.name) this.trials = [];
    this.config = config;
  }

  async claim(req: ClaimRequest): Promise<TrialRecord | 'done' | 'wait'> {
    const now = Date.now();
    const again = reclaimable(this.trials, now, hostname());
    if (again !== null) {
      const t = this.trials.find((x) => x.id === again)!;
      Object.assign(t, { worker: req.worker, attempts: t.attempts + 1, startedAt: now, heartbeatAt: now, leaseUntil: now + req.leaseMs, metrics: [] });
      return snapshot(t);
    }
    const p = req.propose(this.trials.map(snapshot));
    if (p === 'done') return this.trials.some((t) => t.status === 'running') ? 'wait' : 'done';
    if (p === 'wait') return 'wait';
    const t: Entry = {
      ...p,
      id: this.trials.length,
      status: 'running',
      space: [],
      metrics: [],
      score: null,
      bestEpoch: null,
      checkpoint: null,
      worker: req.worker,
      attempts: 1,
      createdAt: now,
      startedAt: now,
      endedAt: null,
      heartbeatAt: now,
      error: null,
      leaseUntil: now + req.leaseMs,
    };
    this.trials.push(t);
    return snapshot(t);
  }

  private mine(id: number, worker: string): Entry | null {
    const t = this.trials.find((x) => x.id === id);
    return t !== undefined && t.worker === worker && t.status === 'running' ? t : null;
  }

  async heartbeat(id: number, worker: string, leaseMs: number): Promise<boolean> {
    const t = this.mine(id, worker);
    if (t === null) return false;
    t.heartbeatAt = Date.now();
    t.leaseUntil = t.heartbeatAt + leaseMs;
    return true;
  }

  async reportEpoch(id: number, worker: string, log: EpochLog, leaseMs: number): Promise<boolean> {
    const t = this.mine(id, worker);
    if (t === null) return false;
    t.metrics = [...t.metrics, log];
    return this.heartbeat(id, worker, leaseMs);
  }

  async finish(id: number, worker: string, r: FinishReport): Promise<boolean> {
    const t = this.mine(id, worker);
    if (t === null) return false;
    Object.assign(t, { values: { ...r.values }, status: r.status, score: r.score, bestEpoch: r.bestEpoch, checkpoint: r.checkpoint, space: [...r.space], error: r.error ?? null, endedAt: Date.now() });
    return true;
  }

  async list(): Promise<TrialRecord[]> {
    return this.trials.map(snapshot);
  }

  use(_name: string): void {}

  async searches(): Promise<SearchConfig[]> {
    return this.config === null ? [] : [this.config];
  }

  async close(): Promise<void> {}
}

function snapshot(t: Entry): TrialRecord {
  const { leaseUntil: _l, ...rest } = t;
  return structuredClone(rest);
}
