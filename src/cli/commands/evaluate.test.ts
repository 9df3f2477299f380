import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hebb, tempDir } from '../../../testing/cli.js';

describe('hebb evaluate', () => {
  let tmp: { dir: string; cleanup: () => void };
  let model = '';
  before(async () => {
    tmp = tempDir('hebb-evaluate-test-');
    const r = await hebb('train', '--dataset', 'circles', '--samples', '200', '--epochs', '3', '--verbose', '0', '--out', join(tmp.dir, 'run'));
    assert.equal(r.code, 0, r.err);
    model = join(tmp.dir, 'run', 'model');
  });
  after(() => tmp.cleanup());

  it("without data flags, rebuilds the run's test rows and gives the metrics hebb train printed", async () => {
    const r = await hebb('evaluate', model, '--json');
    assert.equal(r.code, 0, r.err);
    const got = JSON.parse(r.out) as { split: string; rows: number; metrics: Record<string, number> };
    assert.equal(got.split, 'test');
    assert.equal(got.rows, 40);
    const trained = JSON.parse(readFileSync(join(tmp.dir, 'run', 'metrics.json'), 'utf8')) as Record<string, number>;
    assert.deepEqual(got.metrics, trained);
    const text = await hebb('evaluate', model);
    assert.equal(text.out, `circles (test, 40 rows):${Object.entries(trained).map(([k, v]) => ` ${k} ${v.toFixed(4)}`).join(',')}\n`, text.err);
  });

  it('--split train and --csv (every row, scaled with the saved statistics)', async () => {
    const train = await hebb('evaluate', model, '--split', 'train', '--json');
    assert.equal((JSON.parse(train.out) as { rows: number }).rows, 160);
    // a CSV of the two points (±1, 0) of the outer circle (class 0) and (0, ±0.5) of the inner one (class 1)
    const csv = join(tmp.dir, 'points.csv');
    writeFileSync(csv, 'x0,x1,class\n1,0,0\n-1,0,0\n0,0.5,1\n0,-0.5,1\n');
    const r = await hebb('evaluate', model, '--csv', csv, '--target', 'class', '--json');
    assert.equal(r.code, 0, r.err);
    const got = JSON.parse(r.out) as { split: string; rows: number; metrics: Record<string, number> };
    assert.equal(got.split, 'all');
    assert.equal(got.rows, 4);
    assert.ok(Number.isFinite(got.metrics['loss']));
  });

  it('errors: no model folder (1), a folder without hebb-data.json and no data flags (2), bad flags (2)', async () => {
    const missing = await hebb('evaluate', join(tmp.dir, 'nope'));
    assert.equal(missing.code, 1);
    assert.equal(missing.err, `hebb evaluate: error: ${join(tmp.dir, 'nope')}: no such model folder or file\n`);
    const none = await hebb('evaluate');
    assert.equal(none.code, 2);
    assert.match(none.err, /^hebb evaluate: needs the model folder: hebb evaluate <model>\n/);
    const split = await hebb('evaluate', model, '--split', 'validation');
    assert.equal(split.code, 2);
    assert.match(split.err, /--split expects one of test, train, all, received "validation"/);
  });
});
