/**
 * Without the addon (HEBB_NATIVE_PATH naming a file that does not exist, as on a machine
 * without a compiler), in a child process: the default backend is wasm, native is not listed,
 * setBackend('native') says why, and a small fit works. Runs whether or not the addon is built.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const index = fileURLToPath(new URL('../../index.js', import.meta.url));

const script = `
const hb = await import(${JSON.stringify(index)});
const out = { default: hb.getBackend().name, backends: hb.listBackends() };
try { hb.setBackend('native'); out.native = 'set'; } catch (e) { out.native = e.constructor.name + ': ' + e.message; }
hb.setBackend(out.default);
hb.setSeed(3);
const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 8, activation: 'tanh' }), hb.layers.dense({ units: 1 })]);
m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: 0.1 }) });
const x = [], y = [];
for (let i = 0; i < 64; i++) { const a = i / 32 - 1, b = Math.sin(i); x.push([a, b]); y.push(2 * a - b); }
const h = await m.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
out.loss = h.history.loss;
console.log(JSON.stringify(out));
`;

it('with the addon absent the engine uses wasm, and a fit works', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, HEBB_NATIVE_PATH: '/nonexistent/hebb_native.node', HEBB_BACKEND: '' },
  });
  assert.equal(r.status, 0, `child exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { default: string; backends: string[]; native: string; loss: number[] };
  assert.equal(out.default, 'wasm');
  assert.deepEqual(out.backends, ['wasm', 'cpu']);
  assert.match(out.native, /^BackendError: setBackend: backend "native" is not available here \(the addon \/nonexistent\/hebb_native\.node is missing/);
  const first = out.loss[0] as number;
  const last = out.loss[out.loss.length - 1] as number;
  assert.ok(last < first / 4, `the loss falls from ${first} to ${last}`);
});
