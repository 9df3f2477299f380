import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

  it('--help prints usage and exits 0', () => {
    let text = '';
    assert.equal(main(['--help'], (s) => (text += s)), 0);
    assert.match(text, /Usage: hebb <command>/);
    const r = spawnSync(process.execPath, [bin, '-h'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--version/);
  });

  it('an unknown command exits 2 and names it', () => {
    const r = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
  });
});
