/**
 * The native GEMM's own correctness test (native/bench/test_gemm.cc, docs/NATIVE_GEMM.md):
 * every kernel this CPU has (AVX-512 in each tile, AVX2+FMA, portable) and dgemm, at 1, 2 and 3
 * threads, on edge shapes and strided layouts, against a long-double reference, in three
 * blocking configurations. The conformance suite reaches only the kernel the CPU picks; this
 * reaches the others. It compiles the C++ itself, so it needs g++ and make: skipped, saying
 * why, without them, and a failure under HEBB_REQUIRE_NATIVE=1 (CI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/src/backends/native/ -> the repository root.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const dir = join(root, 'native', 'bench');
const has = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const cxx = process.env['CXX'] ?? 'g++';
const missing = !existsSync(join(dir, 'test_gemm.sh'))
  ? `native/bench/test_gemm.sh is not in this checkout`
  : !has(cxx)
    ? `no C++ compiler (${cxx})`
    : !has('make')
      ? 'no make'
      : null;
const required = process.env['HEBB_REQUIRE_NATIVE'] === '1';

test('native GEMM: every kernel and the thread pool against a long-double reference', { skip: required ? false : (missing ?? false), timeout: 300_000 }, () => {
  assert.equal(missing, null, `HEBB_REQUIRE_NATIVE=1 but the GEMM test cannot run: ${missing}`);
  const r = spawnSync('bash', ['test_gemm.sh'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `test_gemm failed:\n${r.stdout}\n${r.stderr}`);
  assert.equal((r.stdout.match(/^PASS: \d+ checks, 0 failures$/gm) ?? []).length, 3, r.stdout);
});
