/**
 * The wasm backend's GEMM worker in a browser. In a cross-origin isolated page (COOP same-origin
 * + COEP require-corp) the backend puts its tensors in shared WebAssembly memory and starts
 * dist/browser/gemm_worker.js as a module Web Worker; big float32 products are then split
 * between the page's main thread and the worker. In a plain page it runs on one thread.
 *
 * Both pages, and a module Web Worker started by an isolated page, run threads_workload.ts: a [256, 784] x [784, 300] product and one model.fit step
 * of the 784-300-100-10 MLP at batch 256, on wasm and cpu. Checked here: the isolated page is
 * isolated and its worker ran chunks of both; the products match a float64 product computed
 * here within float32's error bound; the step matches cpu's; and two threads give exactly the
 * bits one thread gives (each element is summed in the same order either way).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './chromium.js';
import { runPage } from './page.js';
import { BUNDLE_DIR, startServer } from './server.js';
import { K, M, N, values, type MatmulOutcome, type ThreadsReport } from './threads_workload.js';

function isReport(r: unknown): r is ThreadsReport {
  return typeof r === 'object' && r !== null && 'matmul' in r && 'step' in r && 'workerReady' in r;
}

/**
 * The float64 product, and per element the bound a float32 dot product of length K meets
 * whatever its summation order: |c - ref| <= gamma_K * sum_k |a_ik b_kj| (Higham, gamma_K =
 * K u / (1 - K u), u = 2^-24), plus the rounding of c itself.
 */
function reference(): { ref: Float64Array; bound: Float64Array } {
  const a = values(M * K, 1, 1);
  const b = values(K * N, 2, 0.1);
  const ref = new Float64Array(M * N);
  const bound = new Float64Array(M * N);
  const u = 2 ** -24;
  const gamma = (K * u) / (1 - K * u);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let abs = 0;
      for (let k = 0; k < K; k++) {
        const p = (a[i * K + k] as number) * (b[k * N + j] as number);
        s += p;
        abs += Math.abs(p);
      }
      ref[i * N + j] = s;
      bound[i * N + j] = gamma * abs + u * Math.abs(s);
    }
  }
  return { ref, bound };
}

function checkProduct(o: MatmulOutcome, ref: Float64Array, bound: Float64Array, what: string): void {
  assert.equal(o.c.length, M * N, `${what}: C has ${o.c.length} elements, expected ${M * N}`);
  for (let i = 0; i < o.c.length; i++) {
    const err = Math.abs((o.c[i] as number) - (ref[i] as number));
    if (!(err <= (bound[i] as number))) {
      assert.fail(`${what}: C[${Math.floor(i / N)}, ${i % N}] is ${o.c[i]}, float64 gives ${ref[i]} (error ${err.toExponential(2)} > bound ${(bound[i] as number).toExponential(2)})`);
    }
  }
}

function checkPage(report: ThreadsReport, label: string, ref: Float64Array, bound: Float64Array): void {
  assert.equal(report.defaultBackend, 'wasm', `${label}: the default backend should be wasm`);
  checkProduct(report.matmul.wasm, ref, bound, `${label} wasm`);
  checkProduct(report.matmul.cpu, ref, bound, `${label} cpu`);
  const { wasm, cpu } = report.step;
  assert.ok(Number.isFinite(cpu.loss) && cpu.loss > 0, `${label}: cpu step loss ${cpu.loss}`);
  assert.ok(Math.abs(wasm.loss - cpu.loss) <= 1e-5 * cpu.loss, `${label}: step loss on wasm ${wasm.loss}, on cpu ${cpu.loss}`);
  // One SGD step from identical weights: the backends differ only in float32 summation order.
  const tol = 1e-5 * report.stepMaxAbsParam;
  assert.ok(report.stepMaxAbsDiff <= tol, `${label}: parameters after the step differ between wasm and cpu by up to ${report.stepMaxAbsDiff} (> ${tol})`);
  assert.equal(report.matmul.cpu.workerChunks, 0);
}

test('wasm GEMM worker in Chromium: a Web Worker over shared memory when cross-origin isolated, one thread otherwise', { timeout: 120_000 }, async (t) => {
  const { ref, bound } = reference();
  const server = await startServer();
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser(t, [new URL('hebb.js', BUNDLE_DIR), new URL('gemm_worker.js', BUNDLE_DIR)]);
    if (!browser) return; // skipped: no browser here (the skip message says why)

    const plain = await runPage(browser, server, '/plain/threads.html', isReport, 60_000);
    assert.equal(plain.isolated, false, '/plain/ should not be cross-origin isolated');
    checkPage(plain.report, 'plain page', ref, bound);
    assert.equal(plain.report.workerReady, false, 'plain page: no shared memory, so no GEMM worker');
    assert.equal(plain.report.matmul.wasm.workerChunks + plain.report.step.wasm.workerChunks, 0, 'plain page: chunks run by a worker');

    const iso = await runPage(browser, server, '/isolated/threads.html', isReport, 60_000);
    assert.equal(iso.isolated, true, '/isolated/ (COOP + COEP) should be cross-origin isolated');
    assert.equal(iso.shared, true, '/isolated/ should have SharedArrayBuffer');
    checkPage(iso.report, 'isolated page', ref, bound);
    const cores = iso.report.hardwareConcurrency;
    // The backend uses the worker only where the browser reports a second core.
    assert.equal(iso.report.workerReady, cores >= 2, `isolated page with ${cores} cores: GEMM worker ready`);
    if (cores >= 2) {
      assert.ok(iso.report.matmul.wasm.workerChunks > 0, 'isolated page: the worker ran no chunk of the [256, 784] x [784, 300] products');
      assert.ok(iso.report.step.wasm.workerChunks > 0, 'isolated page: the worker ran no chunk of the training step');
    }

    // hebb in a module Web Worker of an isolated page (what BROWSER.md advises for long fits):
    // the GEMM worker is a nested worker there, and that thread may block in Atomics.wait.
    const nested = await runPage(browser, server, '/isolated/threads-in-worker.html', isReport, 60_000);
    checkPage(nested.report, 'module worker in the isolated page', ref, bound);
    assert.equal(nested.report.workerReady, cores >= 2, 'module worker: GEMM worker ready');
    if (cores >= 2) assert.ok(nested.report.matmul.wasm.workerChunks + nested.report.step.wasm.workerChunks > 0, 'module worker: the GEMM worker ran no chunk');

    // Two threads split C by columns; every element is summed as on one thread: same bits.
    for (const [label, r] of [
      ['isolated page', iso.report],
      ['module worker', nested.report],
    ] as const) {
      assert.equal(r.matmul.wasm.hash, plain.report.matmul.wasm.hash, `${label}: the product on two threads differs from one thread`);
      assert.equal(r.step.wasm.loss, plain.report.step.wasm.loss, `${label}: the step loss on two threads differs from one thread`);
      assert.equal(r.step.wasm.hash, plain.report.step.wasm.hash, `${label}: the parameters after the step on two threads differ from one thread`);
    }

    const gflops = (ms: number): string => ((2 * M * K * N) / ms / 1e6).toFixed(1);
    console.log(
      `# [${M}, ${K}] x [${K}, ${N}] in Chromium (median of 15 after 30 warm-up runs): one thread ${plain.report.matmul.wasm.ms.toFixed(2)} ms (${gflops(plain.report.matmul.wasm.ms)} GFLOP/s), ` +
        `with the worker ${iso.report.matmul.wasm.ms.toFixed(2)} ms (${gflops(iso.report.matmul.wasm.ms)} GFLOP/s); worker chunks: product ${iso.report.matmul.wasm.workerChunks}, step ${iso.report.step.wasm.workerChunks}; ` +
        `step |wasm - cpu| <= ${plain.report.stepMaxAbsDiff.toExponential(2)}`,
    );
  } finally {
    await browser?.close();
    await server.close();
  }
});
