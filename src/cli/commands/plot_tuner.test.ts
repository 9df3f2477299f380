import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../tuner/storage/sqlite.js';
import { hebb, tempDir } from '../../../testing/cli.js';
import { axisLabel, markItems, pngSize, texts } from '../../../testing/svg.js';
import { fakeTrials } from '../../../testing/tuner/fake_trials.js';
import { sqliteMissing } from '../../../testing/tuner/sqlite_skip.js';

/** Writes the fake trials into a real store the way a tuner does: claim (the proposal), one epoch, finish. */
async function writeSearch(file: string, name: string, n: number): Promise<void> {
  const store = new SqliteStore(file);
  await store.open({ name, oracle: 'RandomSearch', objective: 'val_loss', direction: 'min' }, false);
  for (const t of fakeTrials(n)) {
    const worker = t.status === 'running' ? `elsewhere:${t.id}` : 'test:1';
    const r = await store.claim({ worker, leaseMs: 3_600_000, propose: () => ({ values: t.values, epochs: 5 }) });
    assert.ok(typeof r === 'object');
    if (t.status === 'running') continue;
    for (const m of t.metrics) await store.reportEpoch(r.id, worker, m, 3_600_000);
    await store.finish(r.id, worker, { values: t.values, status: t.status as 'completed' | 'failed', score: t.score, bestEpoch: t.bestEpoch, checkpoint: null, space: t.space, ...(t.error !== null ? { error: t.error } : {}) });
  }
  await store.close();
}

describe('hebb plot --tuner', { skip: sqliteMissing() }, () => {
  let tmp: { dir: string; cleanup: () => void };
  let one = '';
  let two = '';
  before(async () => {
    tmp = tempDir('hebb-plot-tuner-test-');
    one = join(tmp.dir, 'one.db');
    two = join(tmp.dir, 'two.db');
    await writeSearch(one, 'mlp', 6);
    await writeSearch(two, 'a', 3);
    await writeSearch(two, 'b', 4);
    await writeSearch(two, 'empty', 0);
  });
  after(() => tmp.cleanup());

  it('draws the only search of a SQLite store, SVG and PNG', async () => {
    const svgFile = join(tmp.dir, 'trials.svg');
    const r = await hebb('plot', '--tuner', '--storage', `sqlite:${one}`, '--out', svgFile);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `wrote ${svgFile}\n`);
    const svg = readFileSync(svgFile, 'utf8');
    assert.match(axisLabel(svg, 'X'), /titled 'Trial' .* values from 0 to 5$/); // the store numbers trials from 0
    assert.match(axisLabel(svg, 'Y'), /titled 'val_loss'/);
    assert.deepEqual(markItems(svg, 'symbol'), [6, 6, 6, 6, 6]);
    assert.ok(texts(svg).includes('Search "mlp" (RandomSearch)'), texts(svg).join('|'));
    assert.ok(texts(svg).includes('6 completed trials; running best as a line; left out: 1 failed, 1 running'), texts(svg).join('|'));
    const png = join(tmp.dir, 'trials.png');
    const p = await hebb('plot', '--tuner', '--storage', `sqlite:${one}`, '--project', 'mlp', '--out', png, '--title', 'MLP');
    assert.equal(p.code, 0, p.err);
    assert.ok(pngSize(readFileSync(png)).width > 900);
  });

  it('picks the search with --project; several without it is a usage error', async () => {
    const out = join(tmp.dir, 'b.svg');
    const r = await hebb('plot', '--tuner', '--storage', `sqlite:${two}`, '--project', 'b', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(markItems(readFileSync(out, 'utf8'), 'symbol').slice(0, 1), [4]);
    const several = await hebb('plot', '--tuner', '--storage', `sqlite:${two}`);
    assert.equal(several.code, 2);
    assert.match(several.err, /holds 3 searches \(a, b, empty\); pick one with --project/);
    const unknown = await hebb('plot', '--tuner', '--storage', `sqlite:${two}`, '--project', 'c');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /holds no search "c"; it holds: a, b, empty/);
    const empty = await hebb('plot', '--tuner', '--storage', `sqlite:${two}`, '--project', 'empty', '--out', join(tmp.dir, 'empty.svg'));
    assert.equal(empty.code, 1);
    assert.match(empty.err, /search "empty": no completed trial with a score to draw \(2 trials: 1 failed, 1 running/);
    assert.equal(existsSync(join(tmp.dir, 'empty.svg')), false);
  });

  it('a missing storage file is a failure naming it, and is not created', async () => {
    const missing = join(tmp.dir, 'nope.db');
    const r = await hebb('plot', '--tuner', '--storage', `sqlite:${missing}`);
    assert.equal(r.code, 1);
    assert.ok(r.err.includes(`no tuning storage at "${missing}"`), r.err);
    assert.equal(existsSync(missing), false);
  });
});

describe('hebb plot --tuner usage', () => {
  it('exits 2 on flags that do not fit', async () => {
    for (const [argv, msg] of [
      [['--tuner'], /--tuner needs --storage/],
      [['--tuner', '--storage', 'mysql://x'], /--storage must be sqlite:FILE or a postgresql:\/\/ URL, received "mysql:\/\/x"/],
      [['--tuner', '--storage', 'sqlite:t.db', '--out', 't.jpg'], /--out must end in .svg or .png/],
      [['--tuner', '--storage', 'sqlite:t.db', 'runs/a'], /takes no run, received "runs\/a"/],
      [['runs/a', '--storage', 'sqlite:t.db'], /--storage goes with --tuner/],
    ] as const) {
      const r = await hebb('plot', ...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, msg);
    }
  });
});
