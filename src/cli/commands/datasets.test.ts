import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hebb, tempDir } from '../../../testing/cli.js';
import { DATASETS } from '../catalog.js';
import { findLocal } from '../../io/datasets/files.js';
import { IRIS_FILE, IRIS_SOURCE } from '../../io/datasets/iris.js';

interface Listed {
  name: string;
  source: string;
  files: { name: string; path: string | null; sha256?: string }[];
}

describe('hebb datasets', () => {
  let tmp: { dir: string; cleanup: () => void };
  const saved = process.env['HEBB_DATASETS'];
  before(() => (tmp = tempDir('hebb-datasets-test-')));
  after(() => {
    if (saved === undefined) delete process.env['HEBB_DATASETS'];
    else process.env['HEBB_DATASETS'] = saved;
    tmp.cleanup();
  });

  it('lists every dataset hebb train takes, built-in or with its files and where each was found', async () => {
    const r = await hebb('datasets', '--json');
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as Listed[];
    assert.deepEqual(list.map((d) => d.name), DATASETS.map((d) => d.name));
    assert.equal(list.find((d) => d.name === 'moons')?.source, 'built-in');
    const fm = list.find((d) => d.name === 'fashion-mnist');
    assert.deepEqual(fm?.files.map((f) => f.name), ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    const text = await hebb('datasets');
    assert.match(text.out, /^moons +classification +built-in +two interleaving half circles/m);
    assert.match(text.out, /^iris +classification +files +Fisher's iris/m);
  });

  it('--verify: a file whose sha256 differs is named and the exit code is 1; the right bytes pass', async () => {
    // $HEBB_DATASETS is searched before the repository's shared folder
    process.env['HEBB_DATASETS'] = tmp.dir;
    mkdirSync(join(tmp.dir, IRIS_SOURCE.folder), { recursive: true });
    const mine = join(tmp.dir, IRIS_SOURCE.folder, IRIS_FILE.name);
    writeFileSync(mine, 'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,target\n5.1,3.5,1.4,0.2,0\n');
    const bad = await hebb('datasets', '--verify', '--json');
    assert.equal(bad.code, 1);
    const iris = (JSON.parse(bad.out) as Listed[]).find((d) => d.name === 'iris');
    assert.deepEqual(iris?.files, [{ name: 'iris.csv', path: mine, sha256: 'mismatch' }]);
    const textBad = await hebb('datasets', '--verify');
    assert.match(textBad.out, /sha256 mismatch: iris\/iris\.csv\n$/);
    // the shared copy (when this checkout has one) has the published sum
    delete process.env['HEBB_DATASETS'];
    const shared = findLocal(IRIS_SOURCE, [IRIS_FILE]);
    if (shared !== null) {
      writeFileSync(mine, readFileSync(shared.path));
      process.env['HEBB_DATASETS'] = tmp.dir;
      const good = await hebb('datasets', '--verify', '--json');
      const ok = (JSON.parse(good.out) as Listed[]).find((d) => d.name === 'iris');
      assert.deepEqual(ok?.files, [{ name: 'iris.csv', path: mine, sha256: 'ok' }]);
    }
  });
});
