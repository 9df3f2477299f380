import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HebbError } from '../../core/errors.js';
import { openStore } from './open.js';
import { SqliteStore, loadBetterSqlite3 } from './sqlite.js';
import { kill, startChild, until } from '../../../testing/tuner/processes.js';
import { sqliteMissing } from '../../../testing/tuner/sqlite_skip.js';

it('names the optional dependency when it is missing', () => {
  assert.throws(
    () => loadBetterSqlite3('better-sqlite3-not-installed'),
    (e: Error) => e instanceof HebbError && /sqlite: storage needs the optional dependency "better-sqlite3-not-installed" \(better-sqlite3@12\), which is not installed/.test(e.message),
  );
  assert.throws(() => new SqliteStore('unused.db', 'better-sqlite3-not-installed'), /npm install better-sqlite3@12/);
});

describe('SQLite trial store', { skip: sqliteMissing() }, () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'hebb-sqlite-test-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens in WAL mode and keeps trials across store instances', async () => {
    const file = join(dir, 'wal.db');
    const s = await openStore(`sqlite:${file}`);
    await s.open({ name: 'a', oracle: 'RandomSearch', objective: 'loss', direction: 'min' }, false);
    const t = await s.claim({ worker: 'w:1', leaseMs: 1000, propose: () => ({ values: { x: 1 } }) });
    assert.ok(typeof t === 'object');
    assert.equal(await s.reportEpoch(t.id, 'w:1', { epoch: 0, logs: { loss: 2 } }, 1000), true);
    assert.equal(await s.reportEpoch(t.id, 'someone-else:2', { epoch: 0, logs: { loss: 2 } }, 1000), false);
    assert.equal(await s.finish(t.id, 'w:1', { values: { x: 1 }, status: 'completed', score: 2, bestEpoch: 0, checkpoint: null, space: [] }), true);
    await s.close();
    const Db = loadBetterSqlite3();
    const raw = new Db(file, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
    const again = await openStore(`sqlite:${file}`);
    again.use('a');
    const [r] = await again.list();
    assert.deepEqual([r!.status, r!.score, r!.values, r!.metrics], ['completed', 2, { x: 1 }, [{ epoch: 0, logs: { loss: 2 } }]]);
    await assert.rejects(again.open({ name: 'a', oracle: 'Hyperband', objective: 'loss', direction: 'min' }, false), /with oracle "RandomSearch", not "Hyperband"/);
    await again.close();
  });

  it('a search killed mid-trial and started again keeps its completed trials and re-runs the interrupted one', async () => {
    const file = join(dir, 'crash.db');
    const args = ['search', `sqlite:${file}`, join(dir, 'ckpt'), 3, 4, 150, 60];
    const first = startChild(args);
    const store = new SqliteStore(file);
    store.use('iris');
    const list = () => store.list().catch(() => []);
    const seen = await until(list, (t) => t.length === 2 && t[1]!.status === 'running' && t[1]!.metrics.length >= 1, 20_000, 'trial 1 to be mid-training');
    await kill(first);
    assert.equal(seen[0]!.status, 'completed');
    const before = (await list())[0]!;
    // the lease (60 s) has not expired: the restarted search must see that the worker process is gone
    const second = startChild(args);
    assert.equal(await second.exited, 0, second.err);
    const t = await list();
    assert.deepEqual(t.map((x) => x.status), ['completed', 'completed', 'completed']);
    assert.deepEqual(t[0], before, 'a completed trial was changed by the restart');
    assert.equal(t[1]!.attempts, 2);
    assert.equal(t[1]!.worker.endsWith(`:${second.proc.pid}`), true);
    assert.deepEqual(t[1]!.metrics.map((m) => m.epoch), [0, 1, 2, 3], 'the re-run trial keeps only its own epochs');
    assert.equal(t[2]!.attempts, 1);
    assert.match(second.out, /^claim 1\nclaim 2\nexit\n$/);
    await store.close();
  });

  it('two worker processes share one file: every trial runs once', async () => {
    const file = join(dir, 'two.db');
    const args = (mode: string) => [mode, `sqlite:${file}`, join(dir, 'ckpt2'), 6, 3, 150, 60];
    const a = startChild(args('search'));
    const b = startChild(args('worker'));
    assert.equal(await a.exited, 0, a.err);
    assert.equal(await b.exited, 0, b.err);
    const store = new SqliteStore(file);
    store.use('iris');
    const t = await store.list();
    await store.close();
    assert.equal(t.length, 6);
    for (const x of t) assert.deepEqual([x.status, x.attempts], ['completed', 1]);
    const claims = [...a.out.matchAll(/claim (\d+)/g), ...b.out.matchAll(/claim (\d+)/g)].map((m) => Number(m[1])).sort((p, q) => p - q);
    assert.deepEqual(claims, [0, 1, 2, 3, 4, 5], 'a trial was claimed twice or not at all');
    assert.equal(new Set(t.map((x) => x.worker)).size, 2, 'one worker did everything');
  });
});
