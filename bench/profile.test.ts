/**
 * bench/profile.ts on this checkout's build, tiny settings: the report's first line counts the
 * steps it was given, the first layer's forward product appears once a step with its shapes,
 * the shares are percentages of the wall time (their sum at most 100), and a bad spec is refused
 * with the usage line.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./profile.js', import.meta.url));
const env = { ...process.env, BACKEND: 'wasm', HEBB_WASM_THREADS: '1', STEPS: '7', TOP: '100' };

describe('bench profile', () => {
  it('times each backend call of a captured fit, keyed by shapes', async () => {
    const { stdout } = await run(process.execPath, [script, 'sgd'], { env });
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] as string, /^wasm sgd batch 32: 7 steps in [0-9.]+ s, [0-9.]+ µs a step$/);
    const forward = lines.find((l) => l.startsWith('matmul 1x32x784 1x784x300 '));
    assert.ok(forward, stdout);
    assert.match(forward, / 7 calls /);
    const shares = lines.slice(1).map((l) => Number(/([0-9.]+)%$/.exec(l)?.[1]));
    assert.ok(shares.every((s) => s >= 0), stdout);
    const sum = shares.reduce((a, b) => a + b, 0);
    assert.ok(sum > 10 && sum <= 100.5, `shares sum to ${sum}`);
  });

  it('refuses an unknown optimizer with the usage line', async () => {
    await assert.rejects(run(process.execPath, [script, 'nope'], { env }), (e: { code?: number; stderr?: string }) => e.code === 2 && /usage: node dist\/bench\/profile\.js/.test(e.stderr ?? ''));
  });
});
