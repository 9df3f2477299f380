/**
 * Saving and loading in a real page (headless Chromium; which one, and skipping without one:
 * chromium.ts): saving_page.ts trains a small model and goes through IndexedDB (a fresh load
 * predicts identically and trains on identically), both directions with the real TensorFlow.js
 * bundle in the same page (through IndexedDB and through localStorage), a checkpoint per epoch and the best by val_loss, a corrupted record,
 * then `downloads://dl`. Here, the downloads are caught (playwright's download event), their
 * content checked against the weights the page reported (the bytes decoded as float32 by hand,
 * the JSON's manifest against the sizes), and the three files chosen in the page's
 * `<input type=file>`, from which browserFiles loads the model again.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Browser, Download } from 'playwright-core';
import { launchBrowser } from './chromium.js';
import { runPage } from './page.js';
import type { SavingReport } from './saving_page.js';
import { BUNDLE_DIR, startServer } from './server.js';

const TFJS = new URL('../../../node_modules/@tensorflow/tfjs/dist/tf.min.js', import.meta.url);

function isReport(r: unknown): r is SavingReport {
  return typeof r === 'object' && r !== null && 'weights' in r && 'corruptedError' in r;
}

interface Manifest {
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  hebb: { optimizerManifest: { paths: string[]; weights: { shape: number[] }[] }[]; shardDigests: Record<string, string> };
  format: string;
  modelTopology: { class_name: string };
}

test('browser saving: IndexedDB with tfjs both ways, checkpoints, a corrupted record, downloads, browserFiles', { timeout: 120_000 }, async (t) => {
  const server = await startServer();
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser(t, [new URL('hebb.js', BUNDLE_DIR), TFJS]);
    if (!browser) return;
    const downloads: Download[] = [];
    const saved = new Map<string, Buffer>();
    let chose: Promise<void> | null = null;
    const { report } = await runPage(browser, server, '/plain/saving.html', isReport, 90_000, (page) => {
      page.on('download', (d) => {
        downloads.push(d);
        if (downloads.length < 3) return;
        // All three (model, weights, optimizer state) started: read them, then choose them in the page.
        chose = (async () => {
          for (const x of downloads) {
            const path = await x.path();
            saved.set(x.suggestedFilename(), await readFile(path));
          }
          const files = [...saved].map(([name, buffer]) => ({ name, mimeType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream', buffer }));
          await page.setInputFiles('#files', files);
        })();
      });
    });
    await chose;

    // The page's own checks passed (it rejects otherwise); what it measured:
    assert.deepEqual(report.checkpoints, ['indexeddb://ckpt-1', 'indexeddb://ckpt-2', 'indexeddb://ckpt-3', 'indexeddb://ckpt-4', 'indexeddb://ckpt-best']);
    assert.ok(report.tfjsMaxDiff.hebbToTfjs < 1e-5 && report.tfjsMaxDiff.tfjsToHebb < 1e-5, JSON.stringify(report.tfjsMaxDiff));
    assert.match(report.corruptedError, /^loadModel: indexeddb:\/\/hebb-net: the shards of weightsManifest\[0\] \(weights\.bin\) hold 20 bytes, the weights need \d+ \(truncated or edited\?\)$/);
    assert.equal(report.browserFilesOk, true);

    // The downloads: tfjs's names, and contents that say what the page's model holds.
    assert.deepEqual([...saved.keys()].sort(), ['dl.json', 'dl.optimizer.bin', 'dl.weights.bin']);
    const json = JSON.parse((saved.get('dl.json') as Buffer).toString('utf8')) as Manifest;
    assert.equal(json.format, 'layers-model');
    assert.equal(json.modelTopology.class_name, 'Sequential');
    assert.deepEqual(json.weightsManifest.map((g) => g.paths), [['./dl.weights.bin']]);
    assert.deepEqual(json.weightsManifest[0]?.weights.map((w) => w.name), report.weightNames);
    const bin = saved.get('dl.weights.bin') as Buffer;
    const floats = Array.from({ length: bin.byteLength / 4 }, (_, i) => bin.readFloatLE(i * 4));
    assert.deepEqual(floats, report.weights.flat(), 'dl.weights.bin is the weights, float32 little-endian, in manifest order');
    const opt = saved.get('dl.optimizer.bin') as Buffer;
    assert.deepEqual(json.hebb.optimizerManifest.map((g) => g.paths), [['./dl.optimizer.bin']]);
    assert.equal(opt.byteLength, 4 * (json.hebb.optimizerManifest[0]?.weights ?? []).reduce((n, w) => n + w.shape.reduce((a, d) => a * d, 1), 0));
    const { createHash } = await import('node:crypto');
    assert.deepEqual(json.hebb.shardDigests, {
      'dl.weights.bin': createHash('sha256').update(bin).digest('hex'),
      'dl.optimizer.bin': createHash('sha256').update(opt).digest('hex'),
    });
  } finally {
    await browser?.close();
    await server.close();
  }
});
