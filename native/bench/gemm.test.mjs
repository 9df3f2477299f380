// node --test native/bench/gemm.test.mjs: builds and runs the native GEMM's standalone C++
// correctness test (test_gemm.cc, every kernel this CPU has, against a long-double reference).
// Skipped, saying why, when there is no C++ compiler or make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const cxx = process.env.CXX ?? 'g++';
const missing = !has(cxx) ? `no C++ compiler (${cxx})` : !has('make') ? 'no make' : null;

test('native GEMM: every kernel and the thread pool against the reference', { skip: missing ?? false, timeout: 300_000 }, () => {
  const r = spawnSync('bash', ['test_gemm.sh'], { cwd: here, encoding: 'utf8' });
  assert.equal(r.status, 0, `test_gemm failed:\n${r.stdout}\n${r.stderr}`);
  assert.equal((r.stdout.match(/^PASS: \d+ checks, 0 failures$/gm) ?? []).length, 3, r.stdout);
});
