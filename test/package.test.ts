/**
 * The npm package as a user gets it: `npm pack` into a temporary folder, the tarball installed
 * into a temporary project (the runtime dependencies from the npm cache that `npm ci` filled,
 * or the registry where the cache lacks their metadata), then used there the way the README
 * says: the `hebb` command through node_modules/.bin (the `hebb train` demo end to end, its exit codes) and npx, `import` from
 * an ES module and `await import()` from a CommonJS one (the package is ESM-only).
 *
 * Also what `npm publish` would ship (package.json "files"): the library, its browser bundle
 * and worker, the CLI and the examples; not the tests, the browser test bundle or the benchmarks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../src/version.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.ifError(r.error);
  return r;
}

/** `r` exited with `status`; the message shows what it printed. */
function exited(r: SpawnSyncReturns<string>, status: number, what: string): void {
  assert.equal(r.status, status, `${what}: exit code ${r.status} (expected ${status})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

describe('the npm package, packed and installed into a fresh project', () => {
  let dir = '';
  let project = '';
  let files: string[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hebb-package-test-'));
    // --ignore-scripts: no rebuild (this runs after the build, inside npm test).
    const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], root);
    exited(pack, 0, 'npm pack');
    const [meta] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(meta, 'npm pack --json printed no package');
    files = meta.files.map((f) => f.path);
    project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'hebb-install-check', version: '1.0.0', private: true }));
    // --prefer-offline: the tarball, and the runtime dependencies from npm's cache where npm ci left
    // them there. Not --offline: npm ci caches tarballs but not always the registry metadata that
    // resolving a semver range needs (a fresh clone failed with ENOTCACHED on @resvg/resvg-js's
    // full packument), so metadata missing from the cache comes from the registry.
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', join(dir, meta.filename)], project);
    exited(install, 0, 'npm install of the tarball');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the library, the browser bundle and the CLI, and leaves out tests and benchmarks', () => {
    // binding.gyp, native/src and the build script: the native backend compiles on install.
    for (const f of ['README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/browser/hebb.js', 'dist/browser/gemm_worker.js', 'dist/browser/h5wasm.js', 'dist/src/backends/wasm/gemm_worker.js', 'binding.gyp', 'native/src/addon.cc', 'native/src/gemm.h', 'scripts/build-native.mjs']) {
      assert.ok(files.includes(f), `the package lacks ${f}`);
    }
    const extra = files.filter((f) => /\.test\.|^dist\/(test|testing|browser-test|bench)\/|conformance/.test(f));
    assert.deepEqual(extra, [], 'test files or benchmarks in the package');
    assert.deepEqual(files.filter((f) => f.startsWith('build/')), [], 'a build/ folder (the addon is built on the user\'s machine)');
  });

  it('has the planned runtime dependencies: protobufjs (TensorBoard), h5wasm and fflate (Keras import), vega, vega-lite, @resvg/resvg-js and dejavu-fonts-ttf (plots), ml-matrix and pg (tuner), fast-png (hebb predict --image), node-addon-api (to build the native backend); better-sqlite3 optional (a native build)', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'hebb', 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(pkg['dependencies'] ?? {}).sort(), ['@resvg/resvg-js', 'dejavu-fonts-ttf', 'fast-png', 'fflate', 'h5wasm', 'ml-matrix', 'node-addon-api', 'pg', 'protobufjs', 'vega', 'vega-lite'], 'package.json dependencies');
    // better-sqlite3 compiles from source where no prebuilt binary can be downloaded: optional, so an install never fails for want of a compiler.
    assert.deepEqual(Object.keys(pkg['optionalDependencies'] ?? {}), ['better-sqlite3'], 'package.json optionalDependencies');
    for (const k of ['peerDependencies', 'bundleDependencies']) assert.equal(pkg[k], undefined, `package.json has ${k}`);
  });

  it('node_modules/.bin/hebb prints its help and version, and exits 2 on an unknown command', () => {
    const bin = join(project, 'node_modules', '.bin', 'hebb');
    const help = run(bin, ['--help'], project);
    exited(help, 0, 'hebb --help');
    assert.match(help.stdout, new RegExp(`^hebb ${VERSION.replace(/\./g, '\\.')}: .*\n\nUsage: hebb <command>`));
    const version = run(bin, ['--version'], project);
    exited(version, 0, 'hebb --version');
    assert.equal(version.stdout, `${VERSION}\n`);
    const bad = run(bin, ['frobnicate'], project);
    exited(bad, 2, 'hebb frobnicate');
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^hebb: unknown command "frobnicate"/);
  });

  it('hebb train, alone, runs the demo end to end: trains, prints the test metrics, saves the model and its history', () => {
    const bin = join(project, 'node_modules', '.bin', 'hebb');
    const r = run(bin, ['train'], project);
    exited(r, 0, 'hebb train');
    assert.match(r.stdout, /the demo \(an MLP on the built-in "moons" dataset\)/);
    assert.match(r.stdout, /Epoch 20\/20\n/);
    const m = /\ntest: loss (\d\.\d{4}), accuracy (\d\.\d{4})\n/.exec(r.stdout);
    assert.ok(m, `no test metrics in:\n${r.stdout}`);
    assert.ok(Number(m[2]) >= 0.9, `demo test accuracy ${m[2]} (a 16-16 MLP separates noisy moons well above 0.9)`);
    for (const f of ['runs/moons/model/model.json', 'runs/moons/model/hebb-data.json', 'runs/moons/history.json', 'runs/moons/history.csv', 'runs/moons/metrics.json']) {
      assert.ok(existsSync(join(project, f)), `hebb train did not write ${f}`);
      assert.ok(r.stdout.includes(f.startsWith('runs/moons/model/') ? 'runs/moons/model' : f), `the output does not name ${f}`);
    }
    const ev = run(bin, ['evaluate', 'runs/moons/model'], project);
    exited(ev, 0, 'hebb evaluate');
    assert.equal(ev.stdout, `moons (test, 200 rows): loss ${m[1]}, accuracy ${m[2]}\n`);
    const sum = run(bin, ['summary', 'runs/moons/model'], project);
    exited(sum, 0, 'hebb summary');
    assert.match(sum.stdout, /Total params: 354 /);
  });

  it('usage errors exit 2 with the flag named on stderr; failures exit 1', () => {
    const bin = join(project, 'node_modules', '.bin', 'hebb');
    const bad = run(bin, ['train', '--epochs', 'x'], project);
    exited(bad, 2, 'hebb train --epochs x');
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr, 'hebb train: --epochs expects a whole number >= 1, received "x"\nRun "hebb train --help" for its options.\n');
    exited(run(bin, ['predict', 'runs/moons/model'], project), 2, 'hebb predict without input');
    const missing = run(bin, ['evaluate', 'no-such-model'], project);
    exited(missing, 1, 'hebb evaluate no-such-model');
    assert.equal(missing.stderr, 'hebb evaluate: error: no-such-model: no such model folder or file\n');
  });

  it("hebb's install script builds the native backend (the default then), or prints its one line and leaves wasm", () => {
    // The install above ran with --ignore-scripts; `npm rebuild hebb` runs hebb's own install
    // script as a plain `npm install hebb` would (better-sqlite3's is not run: it is slow).
    const rebuild = run('npm', ['rebuild', 'hebb', '--foreground-scripts'], project);
    exited(rebuild, 0, 'npm rebuild hebb (its install script)');
    const fallback = /hebb: native backend not built \((.+)\); using wasm/.exec(rebuild.stdout);
    const built = existsSync(join(project, 'node_modules', 'hebb', 'build', 'Release', 'hebb_native.node'));
    assert.ok(built !== Boolean(fallback), `either the addon is built or the one line says why:\n${rebuild.stdout}\n${rebuild.stderr}`);
    writeFileSync(join(project, 'backend.mjs'), "import * as hb from 'hebb';\nconsole.log(hb.getBackend().name);\n");
    const which = run(process.execPath, ['backend.mjs'], project);
    exited(which, 0, 'node backend.mjs');
    assert.equal(which.stdout, built ? 'native\n' : 'wasm\n');
    if (process.env['HEBB_REQUIRE_NATIVE'] === '1') assert.ok(built, `HEBB_REQUIRE_NATIVE=1: the installed package did not build the addon (${fallback?.[1] ?? ''})`);
  });

  it('npx hebb --version prints the version', () => {
    const r = run('npx', ['--offline', 'hebb', '--version'], project);
    exited(r, 0, 'npx hebb --version');
    assert.equal(r.stdout, `${VERSION}\n`);
  });

  it("imports from an ES module, and with await import() from CommonJS (require('hebb') is refused: ESM-only)", () => {
    // matmul [[1, 2], [3, 4]] x [[1, 2], [3, 4]] = [[7, 10], [15, 22]]: the installed package computes.
    const use = "const a = hb.tensor([[1, 2], [3, 4]]); console.log(JSON.stringify([hb.VERSION, hb.matmul(a, a).arraySync()]));";
    const expected = `${JSON.stringify([VERSION, [[7, 10], [15, 22]]])}\n`;
    writeFileSync(join(project, 'esm.mjs'), `import * as hb from 'hebb';\n${use}\n`);
    const esm = run(process.execPath, ['esm.mjs'], project);
    exited(esm, 0, 'node esm.mjs');
    assert.equal(esm.stdout, expected);

    writeFileSync(
      join(project, 'cjs.cjs'),
      `try { require('hebb'); console.log('require worked'); } catch (e) { console.log(e.code); }\n` +
        `(async () => {\n  const hb = await import('hebb');\n  ${use}\n})();\n`,
    );
    const cjs = run(process.execPath, ['cjs.cjs'], project);
    exited(cjs, 0, 'node cjs.cjs');
    assert.equal(cjs.stdout, `ERR_PACKAGE_PATH_NOT_EXPORTED\n${expected}`);
  });
});
