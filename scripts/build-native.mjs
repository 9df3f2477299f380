#!/usr/bin/env node
/**
 * Builds the native backend's addon (binding.gyp -> build/Release/hebb_native.node) with
 * node-gyp and the machine's C++ compiler. Run by `npm run build` (so `npm ci` / `npm install`
 * in the repository build it through `prepare`) and by an installed package's `install` script.
 *
 * It never fails an install: on any failure it prints one line,
 *   hebb: native backend not built (<reason>); using wasm
 * and exits 0, and hebb runs on the wasm backend. HEBB_SKIP_NATIVE=1 skips the build.
 *
 * node-gyp is npm's own copy (npm hands its path to scripts as npm_config_node_gyp; outside npm
 * it is found beside the node binary). Nothing is downloaded: Node's headers come from the
 * installation (npm_config_nodedir, or <prefix>/include/node next to the running node), and
 * without them the build is skipped with that reason rather than fetching them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function skip(reason) {
  console.log(`hebb: native backend not built (${reason}); using wasm`);
  process.exit(0);
}

if (process.env.HEBB_SKIP_NATIVE === '1') skip('HEBB_SKIP_NATIVE=1');
if (!existsSync(join(root, 'binding.gyp'))) skip('binding.gyp is missing from the package');

/** npm's bundled node-gyp: the path npm gives scripts, else npm's install beside this node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

/** Node's headers, installed with Node: never downloaded. */
function findNodeDir() {
  const candidates = [process.env.npm_config_nodedir, join(dirname(process.execPath), '..')];
  return candidates.find((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')));
}

const gyp = findNodeGyp();
if (!gyp) skip('node-gyp was not found (it ships with npm)');
const nodedir = findNodeDir();
if (!nodedir) skip(`Node's headers (include/node/node_api.h) were not found next to ${process.execPath}`);
let addonApi;
try {
  addonApi = join(root, 'node_modules', 'node-addon-api');
  if (!existsSync(addonApi)) addonApi = dirname(fileURLToPath(import.meta.resolve('node-addon-api/package.json')));
} catch {
  skip('the node-addon-api package is missing');
}

const jobs = String(Math.max(1, Math.min(4, (await import('node:os')).availableParallelism())));
const started = Date.now();
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs', jobs], {
  cwd: root,
  encoding: 'utf8',
  // Keep node-gyp offline even if it thinks it needs something.
  env: { ...process.env, npm_config_nodedir: nodedir, npm_config_offline: 'true' },
});
if (r.error) skip(`node-gyp could not run: ${r.error.message}`);
if (r.status !== 0) {
  const log = `${r.stdout}\n${r.stderr}`;
  const first = log.split('\n').find((l) => /error|not found|No such file/i.test(l) && !/^gyp info/.test(l)) ?? `node-gyp exited with ${r.status}`;
  skip(first.trim().slice(0, 200));
}
const out = join(root, 'build', 'Release', 'hebb_native.node');
if (!existsSync(out)) skip('node-gyp finished but build/Release/hebb_native.node is missing');
if (process.env.HEBB_NATIVE_VERBOSE === '1') console.log(`hebb: native backend built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
