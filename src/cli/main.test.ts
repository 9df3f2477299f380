import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { main } from './main.js';
import { VERSION } from '../version.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const bin = join(here, 'main.js');

describe('hebb command', () => {
  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
    assert.equal(VERSION, pkg.version);
    assert.equal(pkg.bin['hebb'], './dist/src/cli/main.js');
  });

  it('--version prints the version (as a process, through the bin file)', () => {
    const out = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(out, `${VERSION}\n`);
  });

  it('--help prints usage and exits 0', async () => {
    let text = '';
    assert.equal(await main(['--help'], { out: (s) => (text += s), err: () => undefined, progress: { write: () => true } }), 0);
    assert.match(text, /Usage: hebb <command>/);
    const r = spawnSync(process.execPath, [bin, '-h'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--version/);
  });

  it('runs through a symlink of another name (as npm links node_modules/.bin/hebb), not when imported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-cli-test-'));
    try {
      const link = join(dir, 'hebb');
      symlinkSync(bin, link);
      assert.equal(execFileSync(process.execPath, [link, '--version'], { encoding: 'utf8' }), `${VERSION}\n`);
      const imported = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(link).href)});`, '--', '--version'], { encoding: 'utf8' });
      assert.equal(imported.status, 0, imported.stderr);
      assert.equal(imported.stdout, '', 'importing the module must not run the command');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown command exits 2 and names it', () => {
    const r = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
  });
});
