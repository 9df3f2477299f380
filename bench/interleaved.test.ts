/**
 * bench/interleaved.ts on this checkout's own build, with tiny settings (a few seconds): both
 * modes (and predict) print one line per build or spec with a positive time, the first spec's ratio is 1,
 * the optimizer mode finds the six per-weight kernels of the MLP's step, and bad arguments
 * are refused with the usage line.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./interleaved.js', import.meta.url));
// dist/bench/interleaved.js -> the checkout root (the DIR whose dist/ is loaded).
const root = fileURLToPath(new URL('../../', import.meta.url));
const env = { ...process.env, HEBB_WASM_THREADS: '1', SLICES: '2', STEPS: '3', ROUNDS: '2' };

describe('bench interleaved', () => {
  it('steps: one line per spec, the first ratio 1', async () => {
    const { stdout } = await run(process.execPath, [script, 'steps', `${root}:sgd`, `${root}:adam`], { env });
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] as string, /:sgd: ms\/step median [0-9.]+ .*ratio to the first 1\.000/);
    assert.match(lines[1] as string, /:adam: ms\/step median [0-9.]+/);
  });

  it('optimizer: the six per-weight kernels of one step, timed', async () => {
    const { stdout } = await run(process.execPath, [script, 'optimizer', 'adam', root], { env });
    const m = /^adam .* \((\d+) kernels\): ms\/step median ([0-9.]+)/.exec(stdout.trim());
    assert.ok(m, stdout);
    assert.equal(m[1], '6');
    assert.ok(Number(m[2]) > 0);
  });

  it('predict: one line per build, the first ratio 1', async () => {
    const { stdout } = await run(process.execPath, [script, 'predict', root, root], { env: { ...env, SAMPLES: '300' } });
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] as string, /^predict 300 .*: ms median [0-9.]+ .*ratio to the first 1\.000/);
  });

  it('refuses unknown cases and missing arguments', async () => {
    await assert.rejects(run(process.execPath, [script, 'optimizer', 'adamx', root], { env }), /unknown optimizer case "adamx"/);
    await assert.rejects(run(process.execPath, [script, 'steps'], { env }), /usage: node dist\/bench\/interleaved.js/);
  });
});
