import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hebb, tempDir } from '../../../testing/cli.js';

describe('hebb summary', () => {
  let tmp: { dir: string; cleanup: () => void };
  before(() => (tmp = tempDir('hebb-summary-test-')));
  after(() => tmp.cleanup());

  it("prints the saved model's layer table (params from the layer sizes) and its data", async () => {
    const out = join(tmp.dir, 'run');
    const t = await hebb('train', '--dataset', 'curve', '--samples', '50', '--layers', '8,4', '--epochs', '1', '--verbose', '0', '--out', out);
    assert.equal(t.code, 0, t.err);
    for (const target of [join(out, 'model'), join(out, 'model', 'model.json')]) {
      const r = await hebb('summary', target);
      assert.equal(r.code, 0, r.err);
      // 1→8→4→1: (1+1)·8 = 16, (8+1)·4 = 36, (4+1)·1 = 5; 57 in all
      assert.match(r.out, /dense \(Dense\) +│ \(None, 8\) +│ +16 │/);
      assert.match(r.out, /dense_1 \(Dense\) +│ \(None, 4\) +│ +36 │/);
      assert.match(r.out, /dense_2 \(Dense\) +│ \(None, 1\) +│ +5 │/);
      assert.match(r.out, /Total params: 57 /);
      assert.match(r.out, /Trained on curve: inputs \[1\] \(features standardized\) → the value of y \(seed 42\)\n$/);
    }
    const missing = await hebb('summary', join(tmp.dir, 'none'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^hebb summary: error: /);
  });
});
