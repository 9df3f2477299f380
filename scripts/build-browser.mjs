#!/usr/bin/env node
/**
 * Bundles hebb for browsers: dist/src/browser.js (tsc's output of src/browser.ts, the public
 * surface minus the Node-only dataset loaders) into one ES module, dist/browser/hebb.js, plus a
 * minified dist/browser/hebb.min.js. Both carry source maps back to src/ (esbuild follows the
 * maps tsc wrote).
 *
 * A second entry, dist/browser/gemm_worker.js, is the wasm backend's GEMM worker thread
 * (src/backends/wasm/gemm_worker.ts) as a module Web Worker: a cross-origin isolated page starts
 * it with `new Worker(new URL('./gemm_worker.js', import.meta.url), {type: 'module'})`, so it must
 * be served beside hebb.js (or hebb.min.js). esbuild leaves that `new URL(...)` as written.
 *
 * dist/browser/h5wasm.js is h5wasm (the HDF5 library as WebAssembly, ~4 MB, the wasm inlined)
 * as one ES module, for hb.loadKerasModel in a page: src/io/keras/h5.ts imports
 * `new URL('./h5wasm.js', import.meta.url)` on the first Keras file, a computed specifier that
 * esbuild leaves alone, so hebb.js stays small and a page that loads no Keras file never
 * downloads it. Serve it beside hebb.js.
 *
 * A test-only bundle, dist/browser-test/conformance.js, is the backend conformance suite
 * for test/browser/conformance.test.ts: test/browser/conformance_page.ts with `node:test` and
 * `node:assert/strict` replaced by small page-side shims (test/browser/*_shim.ts) and the
 * suite's import of src/index.ts by src/browser.ts. It is outside dist/browser/ (not shipped)
 * and outside dist/test/ (node --test would load it as a test file).
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

const dist = (path) => join(root, 'dist', path);

/** The conformance bundle's substitutions (see the header); any other node: import fails the build. */
const pageTestShims = {
  name: 'page-test-shims',
  setup(b) {
    b.onResolve({ filter: /^node:test$/ }, () => ({ path: dist('test/browser/node_test_shim.js') }));
    b.onResolve({ filter: /^node:assert\/strict$/ }, () => ({ path: dist('test/browser/assert_shim.js') }));
    b.onResolve({ filter: /(^|\/)index\.js$/ }, (args) =>
      join(args.resolveDir, args.path) === dist('src/index.js') ? { path: dist('src/browser.js') } : undefined,
    );
  },
};

const bundles = [
  { entry, outfile: join(outDir, 'hebb.js'), minify: false },
  { entry, outfile: join(outDir, 'hebb.min.js'), minify: true },
  { entry: dist('src/backends/wasm/gemm_worker.js'), outfile: join(outDir, 'gemm_worker.js'), minify: false },
  { entry: join(root, 'node_modules/h5wasm/dist/esm/hdf5_hl.js'), outfile: join(outDir, 'h5wasm.js'), minify: false },
  { entry: dist('test/browser/conformance_page.js'), outfile: dist('browser-test/conformance.js'), minify: false, plugins: [pageTestShims] },
];

for (const { entry: entryPoint, outfile, minify, plugins = [] } of bundles) {
  if (!existsSync(entryPoint)) {
    console.error(`build-browser: ${relative(root, entryPoint)} is missing; run tsc -p . first`);
    process.exit(1);
  }
  const result = await build({ ...common, entryPoints: [entryPoint], outfile, minify, plugins });
  if (result.errors.length > 0) process.exit(1);
  const kb = (statSync(outfile).size / 1024).toFixed(0);
  console.log(`build-browser: ${relative(root, outfile)} (${kb} kB)`);
}
