/**
 * Trials in PostgreSQL through `pg`, for workers on several hosts. Times come from the
 * server's clock (clock_timestamp), so leases mean the same thing to every host.
 *
 * Hand-out: in one transaction, `SELECT ... FOR UPDATE SKIP LOCKED` over the running trials
 * finds one whose lease expired (its worker stopped heartbeating) that no other worker is
 * taking right now, and re-issues it; otherwise a transaction-scoped advisory lock on the
 * search serialises the oracle's proposal and the insert of the new trial, so two workers
 * never propose from the same snapshot.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { TRIAL_COLUMNS, checkConfig, rowToRecord, type TrialRow } from './rows.js';
import { isDeadLocalWorker, type ClaimRequest, type EpochLog, type FinishReport, type SearchConfig, type TrialRecord, type TrialStore } from './store.js';

const NOW = '(extract(epoch from clock_timestamp()) * 1000)';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hebb_searches (name TEXT PRIMARY KEY, oracle TEXT NOT NULL, objective TEXT NOT NULL, direction TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS hebb_trials (
  search TEXT NOT NULL, id INTEGER NOT NULL, status TEXT NOT NULL, hparams TEXT NOT NULL, space TEXT NOT NULL, info TEXT NOT NULL,
  epochs INTEGER, initial_epoch INTEGER, metrics JSONB NOT NULL, score DOUBLE PRECISION, best_epoch INTEGER, checkpoint TEXT, worker TEXT NOT NULL,
  attempts INTEGER NOT NULL, created_at DOUBLE PRECISION NOT NULL, started_at DOUBLE PRECISION NOT NULL, ended_at DOUBLE PRECISION,
  heartbeat_at DOUBLE PRECISION NOT NULL, lease_until DOUBLE PRECISION NOT NULL, error TEXT,
  PRIMARY KEY (search, id));`;

// metrics is JSONB (appended to in place); read back as text so rows look alike in both SQL stores.
const COLUMNS = TRIAL_COLUMNS.replace('metrics', 'metrics::text AS metrics');

export class PostgresStore implements TrialStore {
  readonly location: string;
  private readonly pool: pg.Pool;
  private search = '';
  private ready: Promise<void> | null = null;

  constructor(url: string) {
    // The password, if any, stays out of messages.
    this.location = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
  }

  private schema(): Promise<void> {
    // Two workers creating the tables at once can collide in the catalog; the advisory lock serialises them.
    this.ready ??= this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('hebb_schema'))");
      await c.query(SCHEMA);
    });
    return this.ready;
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async open(config: SearchConfig, overwrite: boolean): Promise<void> {
    await this.schema();
    this.search = config.name;
    await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [config.name]);
      const have = (await c.query<SearchConfig>('SELECT name, oracle, objective, direction FROM hebb_searches WHERE name = $1', [config.name])).rows[0];
      if (have !== undefined && !overwrite) return checkConfig(this.location, have, config);
      await c.query('DELETE FROM hebb_trials WHERE search = $1', [config.name]);
      await c.query('DELETE FROM hebb_searches WHERE name = $1', [config.name]);
      await c.query(`INSERT INTO hebb_searches (name, oracle, objective, direction, created_at) VALUES ($1, $2, $3, $4, ${NOW})`, [config.name, config.oracle, config.objective, config.direction]);
    });
  }

  use(name: string): void {
    this.search = name;
  }

  async claim(req: ClaimRequest): Promise<TrialRecord | 'done' | 'wait'> {
    await this.schema();
    return this.tx(async (c) => {
      const host = hostname();
      const running = await c.query<{ id: number; worker: string; expired: boolean }>(
        `SELECT id, worker, lease_until < ${NOW} AS expired FROM hebb_trials WHERE search = $1 AND status = 'running' ORDER BY id FOR UPDATE SKIP LOCKED`,
        [this.search],
      );
      const again = running.rows.find((r) => r.expired || isDeadLocalWorker(r.worker, host));
      if (again !== undefined) {
        const r = await c.query<TrialRow>(
          `UPDATE hebb_trials SET worker = $3, attempts = attempts + 1, started_at = ${NOW}, heartbeat_at = ${NOW}, lease_until = ${NOW} + $4, metrics = '[]'::jsonb
           WHERE search = $1 AND id = $2 RETURNING ${COLUMNS}`,
          [this.search, again.id, req.worker, req.leaseMs],
        );
        return rowToRecord(r.rows[0]!);
      }
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.search]);
      const rows = (await c.query<TrialRow>(`SELECT ${COLUMNS} FROM hebb_trials WHERE search = $1 ORDER BY id`, [this.search])).rows;
      const p = req.propose(rows.map(rowToRecord));
      if (p === 'done') return rows.some((r) => r.status === 'running') ? 'wait' : 'done';
      if (p === 'wait') return 'wait';
      const id = rows.length === 0 ? 0 : Number(rows[rows.length - 1]!.id) + 1;
      const r = await c.query<TrialRow>(
        `INSERT INTO hebb_trials (search, id, status, hparams, space, info, epochs, initial_epoch, metrics, worker, attempts, created_at, started_at, heartbeat_at, lease_until)
         VALUES ($1, $2, 'running', $3, '[]', $4, $5, $6, '[]'::jsonb, $7, 1, ${NOW}, ${NOW}, ${NOW}, ${NOW} + $8) RETURNING ${COLUMNS}`,
        [this.search, id, JSON.stringify(p.values), JSON.stringify(p.info ?? {}), p.epochs ?? null, p.initialEpoch ?? null, req.worker, req.leaseMs],
      );
      return rowToRecord(r.rows[0]!);
    });
  }

  async heartbeat(id: number, worker: string, leaseMs: number): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE hebb_trials SET heartbeat_at = ${NOW}, lease_until = ${NOW} + $4 WHERE search = $1 AND id = $2 AND worker = $3 AND status = 'running'`,
      [this.search, id, worker, leaseMs],
    );
    return r.rowCount === 1;
  }

  async reportEpoch(id: number, worker: string, log: EpochLog, leaseMs: number): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE hebb_trials SET metrics = metrics || jsonb_build_array($5::jsonb), heartbeat_at = ${NOW}, lease_until = ${NOW} + $4
       WHERE search = $1 AND id = $2 AND worker = $3 AND status = 'running'`,
      [this.search, id, worker, leaseMs, JSON.stringify(log)],
    );
    return r.rowCount === 1;
  }

  async finish(id: number, worker: string, f: FinishReport): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE hebb_trials SET status = $4, score = $5, best_epoch = $6, checkpoint = $7, space = $8, error = $9, hparams = $10, ended_at = ${NOW}
       WHERE search = $1 AND id = $2 AND worker = $3 AND status = 'running'`,
      [this.search, id, worker, f.status, f.score, f.bestEpoch, f.checkpoint, JSON.stringify(f.space), f.error ?? null, JSON.stringify(f.values)],
    );
    return r.rowCount === 1;
  }

  async list(): Promise<TrialRecord[]> {
    await this.schema();
    return (await this.pool.query<TrialRow>(`SELECT ${COLUMNS} FROM hebb_trials WHERE search = $1 ORDER BY id`, [this.search])).rows.map(rowToRecord);
  }

  async searches(): Promise<SearchConfig[]> {
    await this.schema();
    return (await this.pool.query<SearchConfig>('SELECT name, oracle, objective, direction FROM hebb_searches ORDER BY created_at')).rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
