/**
 * What `npm publish` would ship (package.json "files"): the library, its browser bundle and
 * worker, the CLI and the examples; not the tests, the browser test bundle or the benchmarks.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('npm pack ships the library and leaves out tests and benchmarks', () => {
  // --ignore-scripts: no rebuild (this runs after the build, inside npm test).
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const f of ['README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/browser/hebb.js', 'dist/browser/gemm_worker.js', 'dist/src/backends/wasm/gemm_worker.js']) {
    assert.ok(files.includes(f), `the package lacks ${f}`);
  }
  const extra = files.filter((f) => /\.test\.|^dist\/(test|testing|browser-test|bench)\/|conformance/.test(f));
  assert.deepEqual(extra, [], 'test files or benchmarks in the package');
});
