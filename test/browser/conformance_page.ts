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
  ms: number;
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
  return {
    isolated: globalThis.crossOriginIsolated === true,
    cores: globalThis.navigator?.hardwareConcurrency ?? 0,
    registered,
    results,
    wasmWorkerReady,
    wasmWorkerChunks: be?.gemmWorkerChunks() ?? 0,
    ms: performance.now() - t0,
  };
}
