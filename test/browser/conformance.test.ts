/**
 * The whole backend conformance suite (testing/conformance/conformance*.ts, the ~290 cases every
 * backend's *.test.ts runs in Node) run inside headless Chromium: on wasm and cpu in a plain
 * page (wasm on one thread, ordinary memory), and on wasm in a cross-origin isolated page (shared
 * memory, GEMM worker thread running, so the suite's big products take the two-thread path).
 *
 * The page side is dist/browser-test/conformance.js (test/browser/conformance_page.ts bundled by
 * scripts/build-browser.mjs with node:test/node:assert shims). Each case's pass/fail comes back
 * here; the test fails listing every failing case with its error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ConformanceReport } from './conformance_page.js';
import { launchBrowser } from './chromium.js';
import { runPage } from './page.js';
import { TEST_BUNDLE_DIR, BUNDLE_DIR, startServer } from './server.js';

/**
 * Fewer cases than this per backend means the page registered only part of the suite (Node runs
 * 290 for wasm when this was written; the suite may grow, so this is a floor).
 */
const MIN_CASES = 280;

function isReport(r: unknown): r is ConformanceReport {
  return typeof r === 'object' && r !== null && 'results' in r && Array.isArray(r.results) && 'registered' in r && typeof r.registered === 'object';
}

/** The case name without its top suite ("backend conformance: wasm > ..."), to compare backends. */
const withinSuite = (name: string): string => name.replace(/^backend conformance: [^>]+ > /, '');

function checkSuite(report: ConformanceReport, label: string, backends: readonly string[]): void {
  const failed = report.results.filter((r) => !r.ok);
  assert.equal(
    failed.length,
    0,
    `${label}: ${failed.length} of ${report.results.length} conformance cases failed in Chromium:\n` +
      failed.map((r) => `  ✗ ${r.name}\n      ${(r.error ?? '').replace(/\n/g, '\n      ')}`).join('\n'),
  );
  const ran = report.results.map((r) => r.name);
  const registered = backends.flatMap((b) => report.registered[b] ?? []);
  assert.deepEqual(ran, registered, `${label}: the page ran other cases than it registered`);
  for (const b of backends) {
    const names = report.registered[b] ?? [];
    assert.ok(names.length >= MIN_CASES, `${label}: only ${names.length} ${b} cases registered (expected the whole suite, >= ${MIN_CASES})`);
    assert.ok(names.every((n) => n.startsWith(`backend conformance: ${b} > `)), `${label}: ${b} cases outside its suite`);
  }
}

test('backend conformance suite in headless Chromium: wasm (one thread and with the GEMM worker) and cpu', { timeout: 120_000 }, async (t) => {
  const server = await startServer();
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser(t, [new URL('conformance.js', TEST_BUNDLE_DIR), new URL('gemm_worker.js', BUNDLE_DIR)]);
    if (!browser) return; // skipped: no browser here (the skip message says why)

    const plain = await runPage(browser, server, '/plain/conformance.html?backends=wasm,cpu', isReport, 90_000);
    assert.equal(plain.isolated, false, '/plain/ should not be cross-origin isolated');
    checkSuite(plain.report, 'plain page', ['wasm', 'cpu']);
    assert.equal(plain.report.wasmWorkerChunks, 0, 'plain page: no shared memory, so no GEMM worker');
    // Same suite whatever the backend: a case missing on one of them is a registration problem.
    assert.deepEqual(
      (plain.report.registered['wasm'] ?? []).map(withinSuite),
      (plain.report.registered['cpu'] ?? []).map(withinSuite),
      'plain page: the wasm and cpu suites have different cases',
    );

    const isolated = await runPage(browser, server, '/isolated/conformance.html?backends=wasm', isReport, 90_000);
    assert.equal(isolated.isolated, true, '/isolated/ (COOP + COEP) should be cross-origin isolated');
    checkSuite(isolated.report, 'isolated page', ['wasm']);
    // The backend starts its worker only where the browser reports a second core.
    const { cores } = isolated.report;
    assert.equal(isolated.report.wasmWorkerReady, cores >= 2, `isolated page with ${cores} cores: GEMM worker ready`);
    if (cores >= 2) assert.ok(isolated.report.wasmWorkerChunks > 0, "isolated page: the GEMM worker ran no chunk of the suite's big products");

    const ms = (r: ConformanceReport): string => `${r.results.length} cases in ${(r.ms / 1000).toFixed(1)} s`;
    console.log(`# conformance in Chromium: plain ${ms(plain.report)}; isolated ${ms(isolated.report)}, worker ran ${isolated.report.wasmWorkerChunks} chunks (${isolated.report.wasmWorkerChunksInSuite} during the suite)`);
  } finally {
    await browser?.close();
    await server.close();
  }
});
