/**
 * The PostgreSQL store against a real server (testing/tuner/postgres_server.ts starts one in a
 * temporary folder). Without PostgreSQL installed these tests skip, saying why, unless
 * HEBB_REQUIRE_POSTGRES=1 (CI sets it), where a missing server is a failure.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from './postgres.js';
import { findPostgres, startPostgres, type PgServer } from '../../../testing/tuner/postgres_server.js';
import { kill, startChild, until } from '../../../testing/tuner/processes.js';

const found = findPostgres();
const skip = 'missing' in found ? (process.env['HEBB_REQUIRE_POSTGRES'] === '1' ? false : `${found.missing} (HEBB_REQUIRE_POSTGRES=1 makes this a failure)`) : false;

describe('PostgreSQL trial store', { skip }, () => {
  let server: PgServer;
  let dir = '';
  before(() => {
    if ('missing' in found) throw new Error(`HEBB_REQUIRE_POSTGRES=1 but ${found.missing}`);
    server = startPostgres(found.bin);
    dir = mkdtempSync(join(tmpdir(), 'hebb-pg-test-'));
  });
  after(() => {
    server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hands out each new trial once under concurrent claims from two connections', async () => {
    const a = new PostgresStore(server.url);
    const b = new PostgresStore(server.url);
    const config = { name: 'race', oracle: 'RandomSearch', objective: 'loss', direction: 'min' as const };
    await Promise.all([a.open(config, false), b.open(config, false)]);
    // the oracle proposes "trial number n" from what it sees: a stale snapshot would give a duplicate
    const propose = (t: readonly unknown[]) => (t.length >= 12 ? ('done' as const) : { values: { n: t.length } });
    const got = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).claim({ worker: `w:${i}`, leaseMs: 60_000, propose })));
    const ids = got.map((t) => (typeof t === 'object' ? t.id : -1)).sort((x, y) => x - y);
    assert.deepEqual(ids, [...Array(12).keys()]);
    const all = await a.list();
    assert.deepEqual(all.map((t) => t.values['n']), [...Array(12).keys()]);
    // a heartbeat or result from a worker that does not hold the trial changes nothing
    assert.equal(await a.heartbeat(0, 'not-the-owner:1', 1000), false);
    assert.equal(await a.finish(0, 'not-the-owner:1', { values: {}, status: 'completed', score: 1, bestEpoch: null, checkpoint: null, space: [] }), false);
    await a.close();
    await b.close();
  });

  it('two worker processes on one search: no trial runs twice', async () => {
    const args = (mode: string) => [mode, server.url, join(dir, 'two'), 6, 3, 150, 60, 'two'];
    const a = startChild(args('search'));
    const b = startChild(args('worker'));
    assert.equal(await a.exited, 0, a.err);
    assert.equal(await b.exited, 0, b.err);
    const s = new PostgresStore(server.url);
    s.use('two');
    const t = await s.list();
    await s.close();
    assert.equal(t.length, 6);
    for (const x of t) assert.deepEqual([x.status, x.attempts, x.metrics.length], ['completed', 1, 3]);
    const claims = [...a.out.matchAll(/claim (\d+)/g), ...b.out.matchAll(/claim (\d+)/g)].map((m) => Number(m[1])).sort((p, q) => p - q);
    assert.deepEqual(claims, [0, 1, 2, 3, 4, 5]);
    assert.equal(new Set(t.map((x) => x.worker)).size, 2, 'one worker did everything');
  });

  it('a worker killed mid-trial: its trial is handed out again when the lease expires, and another worker finishes it', async () => {
    const leaseS = 2;
    const args = (mode: string) => [mode, server.url, join(dir, 'kill'), 3, 4, 150, leaseS, 'killed'];
    const s = new PostgresStore(server.url);
    s.use('killed');
    // workers that look like they run on other hosts, so only the lease can free the trial
    const a = startChild(args('search'), { HEBB_WORKER_ID: 'host-a:1' });
    const seen = await until(() => s.list().catch(() => []), (t) => t.length === 1 && t[0]!.metrics.length >= 1, 30_000, 'trial 0 to be mid-training');
    await kill(a);
    const lastBeat = (await s.list())[0]!.heartbeatAt;
    assert.ok(lastBeat >= seen[0]!.heartbeatAt);
    const b = startChild(args('worker'), { HEBB_WORKER_ID: 'host-b:2' });
    assert.equal(await b.exited, 0, b.err);
    const t = await s.list();
    await s.close();
    assert.deepEqual(t.map((x) => [x.id, x.status, x.worker]), [[0, 'completed', 'host-b:2'], [1, 'completed', 'host-b:2'], [2, 'completed', 'host-b:2']]);
    assert.equal(t[0]!.attempts, 2);
    assert.ok(t[0]!.startedAt >= lastBeat + leaseS * 1000, `re-issued ${t[0]!.startedAt - lastBeat} ms after the last heartbeat, before the ${leaseS} s lease ran out`);
    assert.deepEqual(t[0]!.metrics.map((m) => m.epoch), [0, 1, 2, 3]);
    assert.match(b.out, /claim 0/);
  });
});
