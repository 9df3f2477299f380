/**
 * hb.loadKerasModel in headless Chromium: every real Keras file of ../shared/fixtures/keras,
 * loaded from a URL and from bytes in the page (keras_workload.ts), predicts its float64
 * reference outputs. h5wasm comes as dist/browser/h5wasm.js, imported by the loader on first use;
 * hebb.js itself does not carry it (checked on the bundle's size and content).
 *
 * Which Chromium, and what happens without one: chromium.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertMatchesReference, kerasFixtureFiles, reference } from '../../testing/keras_fixtures.js';
import { launchBrowser } from './chromium.js';
import type { KerasFileReport } from './keras_workload.js';
import { runPage } from './page.js';
import { BUNDLE_DIR, startServer } from './server.js';

function isReport(r: unknown): r is KerasFileReport[] {
  return Array.isArray(r) && r.every((f) => typeof f === 'object' && f !== null && 'file' in f && 'fromUrl' in f && 'fromBytes' in f);
}

test('hebb.js does not carry h5wasm; h5wasm.js beside it does', () => {
  const main = new URL('hebb.js', BUNDLE_DIR);
  const h5 = new URL('h5wasm.js', BUNDLE_DIR);
  // The HDF5 library is ~4 MB of base64 wasm; hebb.js is well under 1.5 MB without it.
  assert.ok(statSync(main).size < 1.5e6, `hebb.js is ${statSync(main).size} bytes`);
  assert.ok(!readFileSync(main, 'utf8').includes('create_vlen_str_attribute'), 'hebb.js contains HDF5 code');
  assert.ok(statSync(h5).size > 3e6 && readFileSync(h5, 'utf8').includes('create_vlen_str_attribute'), 'h5wasm.js is not the HDF5 bundle');
});

test('loadKerasModel in headless Chromium: every real Keras file, from a URL and from bytes, predicts its reference', { timeout: 120_000 }, async (t) => {
  const files = kerasFixtureFiles();
  const server = await startServer();
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser(t, [new URL('hebb.js', BUNDLE_DIR), new URL('h5wasm.js', BUNDLE_DIR)]);
    if (!browser) return; // skipped: no browser here (the skip message says why)
    const { report } = await runPage(browser, server, `/plain/keras.html?files=${files.join(',')}`, isReport, 90_000);
    assert.deepEqual(report.map((r) => r.file), files);
    for (const r of report) {
      const ref = reference(r.file);
      assertMatchesReference(r.fromUrl.map((a) => Float32Array.from(a)), ref, `${r.file} from a URL in the page`);
      assertMatchesReference(r.fromBytes.map((a) => Float32Array.from(a)), ref, `${r.file} from bytes in the page`);
    }
  } finally {
    await browser?.close();
    await server.close();
  }
});
