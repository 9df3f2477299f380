/**
 * hebb in the browser: loads dist/browser/hebb.js (built by `npm run build`) in headless
 * Chromium and runs test/browser/workload.ts there, a manual valueAndGrad + SGD step and a
 * model.fit step on a 4-8-3 MLP, on every backend the bundle offers. The results must match the
 * same workload run here in Node on the cpu backend, which itself must match a plain float64
 * forward/backward written out below (so the comparison is not hebb against hebb only).
 *
 * Which Chromium, and what happens without one (skipped, or a failure with
 * HEBB_REQUIRE_BROWSER=1): chromium.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import * as hb from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { launchBrowser } from './chromium.js';
import { runPage } from './page.js';
import { startServer } from './server.js';
import {
  BATCH,
  LEARNING_RATE,
  N_HIDDEN,
  N_IN,
  N_OUT,
  fixedBatch,
  fixedParams,
  runOn,
  type BackendOutcome,
  type PageReport,
  type StepOutcome,
} from './workload.js';

/** float32 results against float64 or another backend's float32 results. */
const RTOL = 1e-5;
const ATOL = 1e-6;

// ----------------------------------------------------------------------- float64 reference

interface Reference {
  loss: number;
  grads: number[][];
  params: number[][];
  /** Smallest |pre-activation| of the hidden layer: relu's kink must be far from every unit. */
  minAbsPreActivation: number;
}

/** The MLP's loss, gradients and SGD step by hand, in float64 (row-major loops). */
function reference(): Reference {
  const { w1, b1, w2, b2 } = fixedParams();
  const { x, y } = fixedBatch();
  const z1 = new Float64Array(BATCH * N_HIDDEN);
  const h = new Float64Array(BATCH * N_HIDDEN);
  const dz2 = new Float64Array(BATCH * N_OUT);
  let loss = 0;
  let minAbs = Infinity;
  for (let b = 0; b < BATCH; b++) {
    for (let j = 0; j < N_HIDDEN; j++) {
      let s = b1[j] as number;
      for (let i = 0; i < N_IN; i++) s += (x[b * N_IN + i] as number) * (w1[i * N_HIDDEN + j] as number);
      z1[b * N_HIDDEN + j] = s;
      h[b * N_HIDDEN + j] = s > 0 ? s : 0;
      minAbs = Math.min(minAbs, Math.abs(s));
    }
    const z2: number[] = [];
    for (let k = 0; k < N_OUT; k++) {
      let s = b2[k] as number;
      for (let j = 0; j < N_HIDDEN; j++) s += (h[b * N_HIDDEN + j] as number) * (w2[j * N_OUT + k] as number);
      z2.push(s);
    }
    // Softmax cross-entropy; d(mean loss)/dz2 = (softmax - onehot) / batch.
    const m = Math.max(...z2);
    const lse = m + Math.log(z2.reduce((acc, v) => acc + Math.exp(v - m), 0));
    const label = y[b] as number;
    loss += (lse - (z2[label] as number)) / BATCH;
    for (let k = 0; k < N_OUT; k++) dz2[b * N_OUT + k] = (Math.exp((z2[k] as number) - lse) - (k === label ? 1 : 0)) / BATCH;
  }
  const dw2 = new Float64Array(N_HIDDEN * N_OUT);
  const db2 = new Float64Array(N_OUT);
  const dw1 = new Float64Array(N_IN * N_HIDDEN);
  const db1 = new Float64Array(N_HIDDEN);
  for (let b = 0; b < BATCH; b++) {
    for (let k = 0; k < N_OUT; k++) {
      const g = dz2[b * N_OUT + k] as number;
      db2[k] = (db2[k] as number) + g;
      for (let j = 0; j < N_HIDDEN; j++) dw2[j * N_OUT + k] = (dw2[j * N_OUT + k] as number) + (h[b * N_HIDDEN + j] as number) * g;
    }
    for (let j = 0; j < N_HIDDEN; j++) {
      if ((z1[b * N_HIDDEN + j] as number) <= 0) continue;
      let g = 0;
      for (let k = 0; k < N_OUT; k++) g += (dz2[b * N_OUT + k] as number) * (w2[j * N_OUT + k] as number);
      db1[j] = (db1[j] as number) + g;
      for (let i = 0; i < N_IN; i++) dw1[i * N_HIDDEN + j] = (dw1[i * N_HIDDEN + j] as number) + (x[b * N_IN + i] as number) * g;
    }
  }
  const grads = [dw1, db1, dw2, db2].map((g) => Array.from(g));
  const params = [w1, b1, w2, b2].map((p, n) => p.map((v, i) => v - LEARNING_RATE * (grads[n]?.[i] as number)));
  return { loss, grads, params, minAbsPreActivation: minAbs };
}

const PARAM_NAMES = ['dense kernel 1', 'dense bias 1', 'dense kernel 2', 'dense bias 2'];

function assertStepClose(actual: StepOutcome, expected: { loss: number; params: number[][] }, what: string): void {
  assertClose([actual.loss], [expected.loss], RTOL, ATOL, `${what} loss`);
  assert.equal(actual.params.length, expected.params.length, `${what}: number of parameters`);
  expected.params.forEach((p, i) => assertClose(actual.params[i] ?? [], p, RTOL, ATOL, `${what} updated ${PARAM_NAMES[i]}`));
}

function assertOutcomeClose(actual: BackendOutcome, expected: BackendOutcome | (Reference & { backend: string }), what: string): void {
  const grads = 'manual' in expected ? expected.manual.grads : expected.grads;
  assertStepClose(actual.manual, 'manual' in expected ? expected.manual : expected, `${what} valueAndGrad+sgd`);
  grads.forEach((g, i) => assertClose(actual.manual.grads[i] ?? [], g, RTOL, ATOL, `${what} gradient of ${PARAM_NAMES[i]}`));
  assertStepClose(actual.fit, 'fit' in expected ? expected.fit : expected, `${what} model.fit`);
  if ('fit' in expected) assert.equal(actual.fit.config, expected.fit.config, `${what}: model.getConfig()`);
  assert.equal(actual.leakedTensors, 0, `${what}: the manual step left ${actual.leakedTensors} tensors alive`);
}

// ------------------------------------------------------------------------------ the page

function isPageReport(r: unknown): r is PageReport {
  return typeof r === 'object' && r !== null && 'outcomes' in r && Array.isArray(r.outcomes) && 'backends' in r && Array.isArray(r.backends);
}

test('browser bundle: one training step in headless Chromium matches the cpu backend in Node', { timeout: 90_000 }, async (t) => {
  // Node, cpu backend, against the float64 reference.
  const ref = reference();
  assert.ok(ref.minAbsPreActivation > 1e-3, `fixture: a hidden pre-activation is ${ref.minAbsPreActivation}, too close to relu's kink`);
  const node = await runOn(hb, 'cpu');
  assertOutcomeClose(node, { ...ref, backend: 'float64 reference' }, 'node cpu');

  const server = await startServer();
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser(t);
    if (!browser) return; // skipped: no browser here (the skip message says why)

    const plain = await runPage(browser, server, '/plain/', isPageReport);
    assert.equal(plain.isolated, false, '/plain/ should not be cross-origin isolated');
    assert.equal(plain.shared, false, '/plain/ has no SharedArrayBuffer: the wasm backend must run on one thread');
    const isolated = await runPage(browser, server, '/isolated/', isPageReport);
    assert.equal(isolated.isolated, true, '/isolated/ (COOP + COEP) should be cross-origin isolated');
    const minified = await runPage(browser, server, '/min/', isPageReport);

    for (const [label, { report }] of [
      ['plain page', plain],
      ['isolated page', isolated],
      ['hebb.min.js page', minified],
    ] as const) {
      assert.equal(report.version, hb.VERSION, `${label}: the bundle is hebb ${report.version}, Node has ${hb.VERSION}: rebuild`);
      assert.equal(report.defaultBackend, 'wasm', `${label}: the default backend should be wasm (a failed wasm init falls back to cpu)`);
      // Node's list minus native, the C++ addon only Node's entry registers (backends/native/register.ts).
      assert.deepEqual([...report.backends].sort(), hb.listBackends().filter((b) => b !== 'native').sort(), `${label}: backends offered by the bundle`);
      assert.deepEqual(
        report.outcomes.map((o) => o.backend),
        report.backends,
        `${label}: one outcome per backend`,
      );
      for (const o of report.outcomes) assertOutcomeClose(o, node, `${label} ${o.backend} vs node cpu`);
    }
  } finally {
    await browser?.close();
    await server.close();
  }
});
