/**
 * The page side of conformance.test.ts: registers the whole backend conformance suite
 * (testing/conformance/conformance.ts) for the backends asked for and runs it in the page.
 * scripts/build-browser.mjs bundles this file into dist/browser-test/conformance.js with
 * `node:test` and `node:assert/strict` replaced by node_test_shim.ts and assert_shim.ts, and
 * src/index.ts by src/browser.ts (the suite's ops section imports hb; the page has no
 * node:fs for the dataset loaders index.ts adds).
 *
 * Importing this file does nothing by itself (node --test may load it as a module).
 */
import { runConformance } from '../../testing/conformance/conformance.js';
import { CpuBackend } from '../../src/backends/cpu/cpu_backend.js';
import { WasmBackend } from '../../src/backends/wasm/wasm_backend.js';
import { registeredCases, runCases, type CaseResult } from './node_test_shim.js';

export interface ConformanceReport {
  isolated: boolean;
  /** navigator.hardwareConcurrency: the wasm backend starts a GEMM worker only with 2 or more. */
  cores: number;
  /** Cases registered per backend, in order (before running). */
  registered: Record<string, string[]>;
  results: CaseResult[];
  /** The wasm suite's backend: whether its GEMM worker was running, and the chunks it ran. */
  wasmWorkerReady: boolean;
  wasmWorkerChunks: number;
  /** Of those, the chunks run during the suite itself (the rest: the top-up products). */
  wasmWorkerChunksInSuite: number;
  ms: number;
}

/** One [384, 384] x [384, 384] product on `be` (big enough for the threaded GEMM path). */
function bigProduct(be: WasmBackend): void {
  const n = 384;
  const view = (buf: ReturnType<WasmBackend['alloc']>) => ({ buf, shape: [n, n], strides: [n, 1], offset: 0 });
  const data = new Float32Array(n * n).map((_, i) => ((i * 7) % 13) / 13 - 0.5);
  const a = be.alloc(n * n, 'float32');
  const b = be.alloc(n * n, 'float32');
  const c = be.alloc(n * n, 'float32');
  be.write(a, data);
  be.write(b, data);
  be.matmul(view(a), view(b), c);
  for (const buf of [a, b, c]) be.free(buf);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Registers and runs the suite for each of `backends` ('wasm', 'cpu'). */
export async function runSuite(backends: readonly string[]): Promise<ConformanceReport> {
  const t0 = performance.now();
  const registered: Record<string, string[]> = {};
  const made: WasmBackend[] = [];
  for (const name of backends) {
    const before = registeredCases().length;
    if (name === 'wasm') {
      runConformance('wasm', () => {
        const be = new WasmBackend();
        made.push(be);
        return be;
      });
    } else if (name === 'cpu') {
      runConformance('cpu', () => new CpuBackend());
    } else {
      throw new Error(`conformance page: unknown backend '${name}' (wasm or cpu)`);
    }
    registered[name] = registeredCases().slice(before);
  }
  // Where the page is cross-origin isolated the suite's wasm backend has a GEMM worker, started
  // by the first big product and ready a few ms later. Starting it now and waiting makes the
  // suite's big products (conformance_large.ts) run on two threads instead of by chance.
  let wasmWorkerReady = false;
  const be = made[0];
  if (be !== undefined && globalThis.crossOriginIsolated === true) {
    for (let i = 0; i < 300 && !(wasmWorkerReady = be.gemmThreadReady()); i++) await sleep(10);
  }
  const results = await runCases();
  // On a loaded machine the page's own thread can finish every chunk of the suite's big
  // products before the worker wakes up (chunks are claimed, not assigned). Then a few more
  // big products show whether the worker takes part at all; the report says which it was.
  const suiteChunks = be?.gemmWorkerChunks() ?? 0;
  if (be !== undefined && wasmWorkerReady && suiteChunks === 0) {
    for (let i = 0; i < 40 && be.gemmWorkerChunks() === 0; i++) {
      bigProduct(be);
      await sleep(5);
    }
  }
  return {
    isolated: globalThis.crossOriginIsolated === true,
    cores: globalThis.navigator?.hardwareConcurrency ?? 0,
    registered,
    results,
    wasmWorkerReady,
    wasmWorkerChunks: be?.gemmWorkerChunks() ?? 0,
    wasmWorkerChunksInSuite: suiteChunks,
    ms: performance.now() - t0,
  };
}
