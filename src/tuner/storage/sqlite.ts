/**
 * Trials in an SQLite file through better-sqlite3 (an optional dependency: it compiles from
 * source where no prebuilt binary can be fetched, so it is loaded only when `sqlite:` storage
 * is asked for, with an error naming it when it is missing).
 *
 * WAL mode lets N worker processes on one machine share the file: readers never block, and a
 * claim runs as a BEGIN IMMEDIATE transaction, which takes the write lock before reading, so
 * two workers cannot both see a trial as free. busy_timeout makes a worker wait for the lock
 * instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { HebbError } from '../../core/errors.js';
import { TRIAL_COLUMNS, checkConfig, rowToRecord, type TrialRow } from './rows.js';
import { reclaimable, type ClaimRequest, type EpochLog, type FinishReport, type SearchConfig, type TrialRecord, type TrialStore } from './store.js';

type Database = BetterSqlite3.Database;
type DatabaseCtor = typeof BetterSqlite3;

/** The error when the optional module is absent; `moduleName` is overridable so the test can ask for one that is not installed. */
export function loadBetterSqlite3(moduleName = 'better-sqlite3'): DatabaseCtor {
  const require = createRequire(import.meta.url);
  try {
    return require(moduleName) as DatabaseCtor;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HebbError(
      `sqlite: storage needs the optional dependency "${moduleName}" (better-sqlite3@12), which ${code === 'MODULE_NOT_FOUND' ? 'is not installed' : `failed to load (${(e as Error).message.split('\n')[0]})`}: ` +
        `it builds from source with a C++ compiler, make and python3 (\`npm install better-sqlite3@12\`), or use storage: 'postgresql://...' or the in-memory default`,
    );
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hebb_searches (name TEXT PRIMARY KEY, oracle TEXT NOT NULL, objective TEXT NOT NULL, direction TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS hebb_trials (
  search TEXT NOT NULL, id INTEGER NOT NULL, status TEXT NOT NULL, hparams TEXT NOT NULL, space TEXT NOT NULL, info TEXT NOT NULL,
  epochs INTEGER, initial_epoch INTEGER, metrics TEXT NOT NULL, score REAL, best_epoch INTEGER, checkpoint TEXT, worker TEXT NOT NULL,
  attempts INTEGER NOT NULL, created_at REAL NOT NULL, started_at REAL NOT NULL, ended_at REAL, heartbeat_at REAL NOT NULL, lease_until REAL NOT NULL, error TEXT,
  PRIMARY KEY (search, id));`;

export class SqliteStore implements TrialStore {
  readonly location: string;
  private readonly db: Database;
  private search = '';

  constructor(file: string, moduleName?: string) {
    const Db = loadBetterSqlite3(moduleName);
    this.location = `sqlite:${file}`;
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    this.db = new Db(file, { timeout: 30_000 });
    this.db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL is durable across a process crash (not a power cut), which is the failure that matters here.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  async open(config: SearchConfig, overwrite: boolean): Promise<void> {
    this.search = config.name;
    this.db
      .transaction(() => {
        const have = this.db.prepare('SELECT name, oracle, objective, direction FROM hebb_searches WHERE name = ?').get(config.name) as SearchConfig | undefined;
        if (have !== undefined && !overwrite) return checkConfig(this.location, have, config);
        this.db.prepare('DELETE FROM hebb_trials WHERE search = ?').run(config.name);
        this.db.prepare('DELETE FROM hebb_searches WHERE name = ?').run(config.name);
        this.db.prepare('INSERT INTO hebb_searches (name, oracle, objective, direction, created_at) VALUES (?, ?, ?, ?, ?)').run(config.name, config.oracle, config.objective, config.direction, Date.now());
      })
      .immediate();
  }

  private rows(): TrialRow[] {
    return this.db.prepare(`SELECT ${TRIAL_COLUMNS} FROM hebb_trials WHERE search = ? ORDER BY id`).all(this.search) as TrialRow[];
  }

  async claim(req: ClaimRequest): Promise<TrialRecord | 'done' | 'wait'> {
    return this.db
      .transaction((): TrialRecord | 'done' | 'wait' => {
        const now = Date.now();
        const rows = this.rows();
        const again = reclaimable(rows.map((r) => ({ id: r.id, status: r.status as 'running', worker: r.worker, leaseUntil: r.lease_until })), now, hostname());
        if (again !== null) {
          this.db
            .prepare("UPDATE hebb_trials SET worker = ?, attempts = attempts + 1, started_at = ?, heartbeat_at = ?, lease_until = ?, metrics = '[]' WHERE search = ? AND id = ?")
            .run(req.worker, now, now, now + req.leaseMs, this.search, again);
          return this.one(again);
        }
        const p = req.propose(rows.map(rowToRecord));
        if (p === 'done') return rows.some((r) => r.status === 'running') ? 'wait' : 'done';
        if (p === 'wait') return 'wait';
        const id = rows.length === 0 ? 0 : rows[rows.length - 1]!.id + 1;
        this.db
          .prepare(
            `INSERT INTO hebb_trials (search, id, status, hparams, space, info, epochs, initial_epoch, metrics, worker, attempts, created_at, started_at, heartbeat_at, lease_until)
             VALUES (?, ?, 'running', ?, '[]', ?, ?, ?, '[]', ?, 1, ?, ?, ?, ?)`,
          )
          .run(this.search, id, JSON.stringify(p.values), JSON.stringify(p.info ?? {}), p.epochs ?? null, p.initialEpoch ?? null, req.worker, now, now, now, now + req.leaseMs);
        return this.one(id);
      })
      .immediate();
  }

  private one(id: number): TrialRecord {
    return rowToRecord(this.db.prepare(`SELECT ${TRIAL_COLUMNS} FROM hebb_trials WHERE search = ? AND id = ?`).get(this.search, id) as TrialRow);
  }

  async heartbeat(id: number, worker: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const r = this.db.prepare("UPDATE hebb_trials SET heartbeat_at = ?, lease_until = ? WHERE search = ? AND id = ? AND worker = ? AND status = 'running'").run(now, now + leaseMs, this.search, id, worker);
    return r.changes === 1;
  }

  async reportEpoch(id: number, worker: string, log: EpochLog, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const r = this.db
      .prepare("UPDATE hebb_trials SET metrics = json_insert(metrics, '$[#]', json(?)), heartbeat_at = ?, lease_until = ? WHERE search = ? AND id = ? AND worker = ? AND status = 'running'")
      .run(JSON.stringify(log), now, now + leaseMs, this.search, id, worker);
    return r.changes === 1;
  }

  async finish(id: number, worker: string, f: FinishReport): Promise<boolean> {
    const r = this.db
      .prepare("UPDATE hebb_trials SET hparams = ?, status = ?, score = ?, best_epoch = ?, checkpoint = ?, space = ?, error = ?, ended_at = ? WHERE search = ? AND id = ? AND worker = ? AND status = 'running'")
      .run(JSON.stringify(f.values), f.status, f.score, f.bestEpoch, f.checkpoint, JSON.stringify(f.space), f.error ?? null, Date.now(), this.search, id, worker);
    return r.changes === 1;
  }

  async list(): Promise<TrialRecord[]> {
    return this.rows().map(rowToRecord);
  }

  /** For `hebb tune --status`: a store opened without a search reads the one it holds by name. */
  use(name: string): void {
    this.search = name;
  }

  async searches(): Promise<SearchConfig[]> {
    return this.db.prepare('SELECT name, oracle, objective, direction FROM hebb_searches ORDER BY created_at').all() as SearchConfig[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
