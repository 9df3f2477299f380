import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../../index.js';
import { MALICIOUS_FIXTURES } from '../../../testing/keras_fixtures.js';

/** What each public proof of concept must be refused for (fixtures/malicious/README.md). */
const EXPECTED: Readonly<Record<string, RegExp>> = {
  'evil_keras_npz_pickle.keras': /two entries named "model\.weights\.npz"/,
  'binaryninja_custom_module.keras': /class "MaliciousModel" from Python module "malicious_model", a subclassed model.*never imports a module/,
  'binaryninja_custom_class.h5': /class "MaliciousModel", a subclassed model/,
  'dvir145_lambda_marshal_k2.11.h5': /layer "lambda" is a Lambda layer: it carries code \(marshalled Python bytecode\)/,
  'gopeshkhandelwal_lambda_external_fn_k3.12.h5': /layer "malicious_payload" is a Lambda layer: it carries code \(a reference to a Python function \(malicious>malicious_fn\)\)/,
  'promptfoo_lambda_source_eval.h5': /layers\[0\] \(unnamed\) is a Lambda layer: it carries code \(Python source\)/,
  'promptfoo_zip_path_traversal.zip': /archive entry "\.\.\/\.\.\/\.\.\/etc\/evil\.txt" climbs out of the archive \(\.\.\); refused before extracting anything/,
};

describe('loadKerasModel: the malicious files of fixtures/malicious', () => {
  // Run from a fresh, deep working directory, so that a zip-slip write (../../../etc/evil.txt)
  // or a relative payload path would land inside a folder this test owns and can inspect.
  const home = mkdtempSync(join(tmpdir(), 'hebb-malicious-'));
  const cwd = join(home, 'a', 'b', 'c');
  const before0 = process.cwd();
  before(() => {
    mkdirSync(cwd, { recursive: true });
    process.chdir(cwd);
  });
  after(() => {
    process.chdir(before0);
    rmSync(home, { recursive: true, force: true });
  });

  it('lists every file the README describes', () => {
    assert.deepEqual(readdirSync(MALICIOUS_FIXTURES).filter((f) => f !== 'README.md').sort(), Object.keys(EXPECTED).sort());
  });

  for (const [file, why] of Object.entries(EXPECTED)) {
    it(`${file} is refused with a clear error`, async () => {
      await assert.rejects(hb.loadKerasModel(join(MALICIOUS_FIXTURES, file)), (e: unknown) => {
        assert.ok(e instanceof hb.ValueError, `${file}: ${String(e)}`);
        assert.match(e.message, /^loadKerasModel: /);
        assert.ok(e.message.includes(file), `names the file: ${e.message}`);
        assert.match(e.message, why);
        return true;
      });
    });
  }

  it('none of the payloads wrote anything', () => {
    // The only files under `home` are the folders made above: nothing extracted, nothing written.
    const found: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else found.push(join(d, e.name));
      }
    };
    walk(home);
    assert.deepEqual(found, []);
    assert.equal(existsSync(join(home, 'etc', 'evil.txt')), false);
    assert.equal(existsSync(join(cwd, 'model', 'malicious.pkl')), false);
    // dvir145's marshalled code copies a flag to this path when Keras runs it.
    assert.equal(existsSync('/app/backend/models/flag.txt'), false);
  });
});
