/**
 * src/browser.ts (the browser bundle's entry) must export everything src/index.ts does, except
 * the Node-only modules listed here, and the very same objects. Fails when an export is added
 * to index.ts and not to browser.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as browser from '../../src/browser.js';
import * as full from '../../src/index.js';

/** index.ts exports that need Node (fs, zlib, http) and so stay out of the browser bundle. */
const NODE_ONLY = new Set(['datasets', 'tuner']);
/** Namespaces index.ts widens with Node-only members (the browser's must be the rest of it, the same objects). */
const NODE_WIDENED: Record<string, readonly string[]> = {
  callbacks: ['TensorBoard', 'tensorBoard', 'BackupAndRestore', 'backupAndRestore'],
  data: ['csv'],
  plot: ['compareRuns', 'confusionMatrix', 'fontFiles', 'learningCurves', 'lrFinder', 'mcDropout', 'svgToPng', 'toSvg', 'tunerTrials'],
};

test('src/browser.ts exports what src/index.ts does, minus the Node-only modules', () => {
  const expected = Object.keys(full).filter((k) => !NODE_ONLY.has(k)).sort();
  assert.deepEqual(Object.keys(browser).sort(), expected, 'browser.ts exports (add new index.ts exports to src/browser.ts)');
  for (const k of expected) {
    const widened = NODE_WIDENED[k];
    if (!widened) {
      assert.equal(Reflect.get(browser, k), Reflect.get(full, k), `browser.ts "${k}" is not index.ts's "${k}"`);
      continue;
    }
    const b: object = Reflect.get(browser, k);
    const f: object = Reflect.get(full, k);
    assert.deepEqual(Object.keys(b).sort(), Object.keys(f).filter((m) => !widened.includes(m)).sort(), `browser.ts "${k}" members`);
    for (const m of Object.keys(b)) assert.equal(Reflect.get(b, m), Reflect.get(f, m), `browser.ts "${k}.${m}" is not index.ts's`);
  }
  for (const k of NODE_ONLY) assert.ok(k in full, `NODE_ONLY lists "${k}", which index.ts no longer exports`);
});
