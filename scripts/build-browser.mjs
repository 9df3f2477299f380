#!/usr/bin/env node
/**
 * Bundles hebb for browsers: dist/src/browser.js (tsc's output of src/browser.ts, the public
 * surface minus the Node-only dataset loaders) into one ES module, dist/browser/hebb.js, plus a
 * minified dist/browser/hebb.min.js. Both carry source maps back to src/ (esbuild follows the
 * maps tsc wrote).
 *
 * Bundling tsc's output, not the .ts sources, means the page runs the same JavaScript the Node
 * tests run. Run by `npm run build` after tsc.
 *
 * Nothing is marked external: an import of a Node built-in (node:fs, node:worker_threads...)
 * reachable from src/browser.ts fails this build instead of failing later in a page. Node-only
 * paths that stay in the bundle reach Node through `typeof process !== 'undefined'` guards
 * (engine.ts's HEBB_BACKEND, the wasm backend's worker thread), which are false in a page.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/src/browser.js');
const outDir = join(root, 'dist/browser');

if (!existsSync(entry)) {
  console.error(`build-browser: ${relative(root, entry)} is missing; run tsc -p . first (npm run build does both)`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

const common = {
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Top-level await is not used, but ES2022 class fields and `??=` are, as tsc emits them.
  target: 'es2022',
  sourcemap: true,
  // Scope hoisting renames clashing top-level names (ops' relu and activations' relu become
  // relu and relu2) and minifying renames everything; keepNames keeps each function's and
  // class's `.name` as written, which stack traces and user code may read.
  keepNames: true,
  logLevel: 'warning',
  legalComments: 'none',
};

for (const [file, minify] of [
  ['hebb.js', false],
  ['hebb.min.js', true],
]) {
  const outfile = join(outDir, file);
  const result = await build({ ...common, outfile, minify });
  if (result.errors.length > 0) process.exit(1);
  const kb = (statSync(outfile).size / 1024).toFixed(0);
  console.log(`build-browser: ${relative(root, outfile)} (${kb} kB)`);
}
