import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as hb from '../../index.js';
import { hebb, tempDir } from '../../../testing/cli.js';
import { KERAS_FIXTURES, MALICIOUS_FIXTURES, assertMatchesReference, kerasFixtureFiles, predictReference, reference } from '../../../testing/keras_fixtures.js';

describe('hebb convert', () => {
  let tmp: { dir: string; cleanup: () => void };
  before(() => (tmp = tempDir('hebb-convert-test-')));
  after(() => tmp.cleanup());

  for (const file of kerasFixtureFiles()) {
    it(`${file}: the converted folder loads with hb.loadModel and predicts the reference`, async () => {
      const out = join(tmp.dir, file.replace(/\.(keras|h5)$/, ''));
      const r = await hebb('convert', join(KERAS_FIXTURES, file), out);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`^Converted .*${file.replace('.', '\\.')} \\((Sequential|Functional) ".+", \\d+ layers, \\d+ parameters\\) → .*model\\.json\\n$`));
      assert.ok(existsSync(join(out, 'model.json')));
      const model = await hb.loadModel(out);
      const ref = reference(file);
      assertMatchesReference(await predictReference(model, ref), ref, `${file} converted`);
      model.dispose();
    });
  }

  it('a missing file, a file that is not a model and a malicious file: exit 1 naming the file, nothing written', async () => {
    const out = join(tmp.dir, 'never');
    const missing = await hebb('convert', join(tmp.dir, 'nope.keras'), out);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^hebb convert: error: loadKerasModel: .*nope\.keras does not exist/);
    const text = join(tmp.dir, 'notes.h5');
    writeFileSync(text, 'hello');
    const bad = await hebb('convert', text, out);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /notes\.h5: the file is neither a \.keras archive \(zip\) nor a legacy Keras \.h5/);
    const evil = readdirSync(MALICIOUS_FIXTURES).find((f) => f.endsWith('.keras'));
    assert.ok(evil);
    const rejected = await hebb('convert', join(MALICIOUS_FIXTURES, evil), out);
    assert.equal(rejected.code, 1);
    assert.match(rejected.err, new RegExp(evil.replace('.', '\\.')));
    assert.equal(existsSync(out), false);
  });

  it('usage errors exit 2', async () => {
    const one = await hebb('convert', 'model.keras');
    assert.equal(one.code, 2);
    assert.match(one.err, /needs the Keras file and the output folder/);
    const three = await hebb('convert', 'a.keras', 'b', 'c');
    assert.equal(three.code, 2);
    assert.match(three.err, /extra "c"/);
    const help = await hebb('convert', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /hebb convert <model> <out_dir>/);
  });
});
