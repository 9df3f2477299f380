import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { main } from './main.js';
import { COMMANDS } from './registry.js';
import { hebb } from '../../testing/cli.js';
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

  it('--help lists every registered command with its summary', async () => {
    const r = await hebb('--help');
    assert.equal(r.code, 0);
    for (const c of COMMANDS) assert.match(r.out, new RegExp(`\n  ${c.name} +${c.summary.slice(0, 20).replace(/[()]/g, '.')}`));
    assert.match(r.out, /Exit codes: 0 success, 1 failure, 2 usage error/);
  });

  it('every command answers --help, -h and "hebb help <command>" with its usage and every flag, exit 0', async () => {
    for (const c of COMMANDS) {
      for (const argv of [[c.name, '--help'], [c.name, '-h'], ['help', c.name]]) {
        const r = await hebb(...argv);
        assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
        assert.match(r.out, new RegExp(`^Usage: hebb ${c.name}`));
        for (const f of Object.keys(c.flags)) assert.ok(r.out.includes(`--${f}`), `${argv.join(' ')} does not list --${f}`);
        assert.equal(r.err, '');
      }
    }
  });

  it('a misspelt command is a usage error (2) that suggests the right one', async () => {
    const r = await hebb('trian');
    assert.equal(r.code, 2);
    assert.match(r.err, /^hebb: unknown command "trian"; did you mean "train"\?/);
  });
});
