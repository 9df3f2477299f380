import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hebb, tempDir } from '../../../testing/cli.js';

// A search file as a user writes one: XOR-like points, a GridSearch over the hidden units.
const SEARCH = `
export default ({ hb, storage, projectName }) => {
  const x = hb.tensor([[0, 0], [0, 1], [1, 0], [1, 1], [0.1, 0.9], [0.9, 0.1], [0.9, 0.9], [0.1, 0.1]]);
  const y = hb.tensor([0, 1, 1, 0, 1, 1, 0, 0], [8], 'int32');
  const tuner = new hb.tuner.GridSearch({
    hypermodel: (hp) => {
      const m = hb.sequential([hb.layers.dense({ units: hp.choice('units', [2, 8]), activation: 'tanh', inputShape: [2] }), hb.layers.dense({ units: 2, activation: 'softmax' })]);
      m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    },
    objective: 'accuracy',
    storage, projectName, directory: process.env.HEBB_TUNE_DIR, log: () => {},
  });
  return { tuner, x, y, options: { epochs: 3, batchSize: 4 } };
};
`;

describe('hebb tune', () => {
  let tmp: { dir: string; cleanup: () => void };
  before(() => {
    tmp = tempDir('hebb-tune-test-');
    process.env['HEBB_TUNE_DIR'] = join(tmp.dir, 'ckpt');
  });
  after(() => {
    delete process.env['HEBB_TUNE_DIR'];
    tmp.cleanup();
  });

  it('runs the search a file describes, then --status shows its trials as a table', async () => {
    const file = join(tmp.dir, 'search.mjs');
    writeFileSync(file, SEARCH);
    const db = `sqlite:${join(tmp.dir, 't.db')}`;
    const r = await hebb('tune', file, '--storage', db, '--project', 'xor');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Results summary\nObjective: accuracy \(max\), 2 trials\n/);
    const s = await hebb('tune', '--status', '--storage', db);
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /^Search "xor" \(GridSearch\), objective accuracy \(max\): 2 trials, 2 completed, 0 running, 0 failed; best: trial \d, /);
    const lines = s.out.trim().split('\n');
    assert.match(lines[1]!, /^trial +status +score +epochs +worker +attempts +units$/);
    assert.match(lines[3]!, /^0 +completed +\S+ +0\.\.3 +\S+:\d+ +1 +2$/);
    assert.match(lines[4]!, /^1 +completed +\S+ +0\.\.3 +\S+:\d+ +1 +8$/);
    // a worker joining a finished search finds nothing to do and changes nothing
    const w = await hebb('tune', file, '--worker', '--storage', db, '--project', 'xor');
    assert.equal(w.code, 0, w.err);
    assert.equal((await hebb('tune', '--status', '--storage', db)).out, s.out);
  });

  it('says what is wrong with a missing file, a bad export, --status without storage, an unknown search', async () => {
    assert.equal((await hebb('tune')).code, 2);
    const noStorage = await hebb('tune', '--status');
    assert.equal(noStorage.code, 2);
    assert.match(noStorage.err, /--status needs --storage/);
    const bad = join(tmp.dir, 'bad.mjs');
    writeFileSync(bad, 'export const tuner = 1;\n');
    const r = await hebb('tune', bad);
    assert.equal(r.code, 1);
    assert.match(r.err, /the default export must be a function .*; it exports tuner/);
    const none = await hebb('tune', '--status', '--storage', `sqlite:${join(tmp.dir, 't.db')}`, '--project', 'nope');
    assert.equal(none.code, 1);
    assert.match(none.err, /holds no search "nope"; it holds: xor/);
  });
});
