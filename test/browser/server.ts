/**
 * A tiny static server on 127.0.0.1 for the browser tests: the bundle (dist/browser/hebb.js, its
 * map and the GEMM worker gemm_worker.js), the compiled page-side workloads (dist/test/browser/)
 * and the conformance suite's bundle (dist/browser-test/conformance.js), with three pages, each
 * leaving its report (a promise) on `globalThis.hebbReport`:
 *
 * - index.html: hebb.js + workload.js, the training step of train_step.test.ts;
 * - threads.html: hebb.js + threads_workload.js, the GEMM worker checks of threads.test.ts, and
 *   threads-in-worker.html, the same inside a module Web Worker (threads_worker.js);
 * - conformance.html?backends=wasm,cpu: the conformance suite of conformance.test.ts;
 * - saving.html: hebb.js + tf.min.js (the real TensorFlow.js) + saving_page.js, the IndexedDB,
 *   download and file-input round trips of saving.test.ts, and saving-fresh.html, its iframe.
 * - keras.html?files=a.keras,b.h5: hb.loadKerasModel on real Keras files (keras.test.ts), which
 *   brings in h5wasm.js (the bundle beside hebb.js) and reads /<mode>/fixtures/<file> (the
 *   files of ../shared/fixtures/keras, with their reference JSON).
 *
 * Every page is served twice: at /plain/ with no special headers (not cross-origin isolated:
 * no SharedArrayBuffer, so the wasm backend runs on one thread), and at /isolated/ with
 * COOP same-origin + COEP require-corp (cross-origin isolated, SharedArrayBuffer available).
 * Everything is same-origin, so COEP needs no CORP headers. At /min/ (not isolated) the page's
 * ./hebb.js is the minified bundle, hebb.min.js.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** dist/browser/ (the bundle), dist/test/browser/ (this file and the workloads) and dist/browser-test/, as URLs. */
export const BUNDLE_DIR = new URL('../../browser/', import.meta.url);
const WORKLOAD_DIR = new URL('./', import.meta.url);
export const TEST_BUNDLE_DIR = new URL('../../browser-test/', import.meta.url);
/** ../shared/fixtures/keras from the repository root (the tests run there, as keras_fixtures.ts assumes). */
const KERAS_FIXTURE_DIR = new URL(`file://${process.cwd()}/../shared/fixtures/keras/`);

/** A page whose module script computes `run` (an expression giving a promise of the report). */
function page(imports: string, run: string): string {
  return `<!doctype html>
<html>
<head><meta charset="utf-8"><title>hebb browser test</title><link rel="icon" href="data:,"></head>
<body>
<script type="module">
${imports}
const isolated = globalThis.crossOriginIsolated === true;
const shared = typeof SharedArrayBuffer !== 'undefined';
globalThis.hebbReport = Promise.resolve().then(() => ${run}).then(
  (report) => ({ ok: true, isolated, shared, report }),
  (e) => ({ ok: false, error: String((e && e.stack) || e) }),
);
</script>
</body>
</html>
`;
}

/** The real TensorFlow.js bundle (a devDependency), for saving.html's round trips. */
const TFJS_DIR = new URL('../../../node_modules/@tensorflow/tfjs/dist/', import.meta.url);

/** saving.html's file input, listened to from the start (the test chooses the files once the downloads are done). */
const SAVING_SETUP = `const input = Object.assign(document.createElement('input'), { type: 'file', multiple: true, id: 'files' });
document.body.append(input);
const isJson = (f) => (f.name.endsWith('.json') ? 0 : 1);
const chosen = new Promise((resolve) => input.addEventListener('change', () => resolve([...input.files].sort((a, b) => isJson(a) - isJson(b))), { once: true }));`;

const PAGES: Readonly<Record<string, string>> = {
  // Opened in an iframe by saving.html: a fresh hebb (another realm's module instance) loading what the page saved.
  'saving-fresh.html': page(
    `import * as hb from './hebb.js';`,
    `hb.loadModel('indexeddb://hebb-net').then(async (m) => Array.from(await (await m.predict(hb.tensor(parent.savingInput, [parent.savingInput.length / 4, 4]))).data()))`,
  ),
  'saving.html': page(`import * as hb from './hebb.js';\nimport './tf.min.js';\nimport { runSaving } from './saving_page.js';\n${SAVING_SETUP}`, 'runSaving(hb, globalThis.tf, () => chosen)'),
  '': page(`import * as hb from './hebb.js';\nimport { runAll } from './workload.js';`, 'runAll(hb)'),
  'threads.html': page(`import * as hb from './hebb.js';\nimport { runThreads } from './threads_workload.js';`, 'runThreads(hb)'),
  // threads_workload.js in a module Web Worker (the GEMM worker is then a nested worker).
  'threads-in-worker.html': page(
    '',
    `new Promise((resolve, reject) => {
  const w = new Worker('./threads_worker.js', { type: 'module' });
  w.onmessage = (e) => (e.data.ok ? resolve(e.data.report) : reject(new Error(e.data.error)));
  w.onerror = (e) => reject(new Error('worker error: ' + e.message));
})`,
  ),
  'keras.html': page(
    `import * as hb from './hebb.js';\nimport { runKeras } from './keras_workload.js';`,
    `runKeras(hb, (new URLSearchParams(location.search).get('files') ?? '').split(','))`,
  ),
  'conformance.html': page(
    `import { runSuite } from './conformance.js';`,
    `runSuite((new URLSearchParams(location.search).get('backends') ?? 'wasm').split(','))`,
  ),
};

/** The module worker of threads-in-worker.html: hebb and the threads workload off the page's main thread. */
const THREADS_WORKER = `import * as hb from './hebb.js';
import { runThreads } from './threads_workload.js';
runThreads(hb).then(
  (report) => postMessage({ ok: true, report }),
  (e) => postMessage({ ok: false, error: String((e && e.stack) || e) }),
);
`;

/** Files the page may ask for, each from its directory, with its content type. */
const FILES: Readonly<Record<string, { dir: URL; type: string }>> = {
  'hebb.js': { dir: BUNDLE_DIR, type: 'text/javascript' },
  'hebb.js.map': { dir: BUNDLE_DIR, type: 'application/json' },
  'hebb.min.js': { dir: BUNDLE_DIR, type: 'text/javascript' },
  'hebb.min.js.map': { dir: BUNDLE_DIR, type: 'application/json' },
  'gemm_worker.js': { dir: BUNDLE_DIR, type: 'text/javascript' },
  'gemm_worker.js.map': { dir: BUNDLE_DIR, type: 'application/json' },
  'h5wasm.js': { dir: BUNDLE_DIR, type: 'text/javascript' },
  'workload.js': { dir: WORKLOAD_DIR, type: 'text/javascript' },
  'keras_workload.js': { dir: WORKLOAD_DIR, type: 'text/javascript' },
  'threads_workload.js': { dir: WORKLOAD_DIR, type: 'text/javascript' },
  'saving_page.js': { dir: WORKLOAD_DIR, type: 'text/javascript' },
  'tf.min.js': { dir: TFJS_DIR, type: 'text/javascript' },
  'conformance.js': { dir: TEST_BUNDLE_DIR, type: 'text/javascript' },
  'conformance.js.map': { dir: TEST_BUNDLE_DIR, type: 'application/json' },
};

const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:40123 (pages at /plain/, /isolated/ and /min/). */
  origin: string;
  /** Requests answered with 404, for the test's failure message. */
  notFound: string[];
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const notFound: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const m = /^\/(plain|isolated|min)\/(.*)$/.exec(path);
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (m?.[1] === 'isolated') Object.assign(headers, ISOLATION_HEADERS);
    const asked = m?.[2];
    const name = m?.[1] === 'min' && asked?.startsWith('hebb.js') ? asked.replace('hebb.js', 'hebb.min.js') : asked;
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { ...headers, 'content-type': type });
      res.end(body);
    };
    const html = name === 'index.html' ? PAGES[''] : name === undefined ? undefined : PAGES[name];
    if (html !== undefined) return send(200, 'text/html; charset=utf-8', html);
    if (name === 'threads_worker.js') return send(200, 'text/javascript', THREADS_WORKER);
    const fixture = name !== undefined && /^fixtures\/[A-Za-z0-9_.-]+\.(keras|h5|json)$/.test(name) ? name.slice('fixtures/'.length) : undefined;
    if (fixture !== undefined) {
      // Not no-store: Chromium reports a no-store response read to its end through a stream
      // reader (loadKerasModel's capped read) as a failed request, net::ERR_ABORTED, though every
      // byte arrived (microsoft/playwright#42742), and runPage fails on failed requests.
      headers['cache-control'] = 'no-cache';
      readFile(new URL(fixture, KERAS_FIXTURE_DIR)).then(
        (body) => send(200, fixture.endsWith('.json') ? 'application/json' : 'application/octet-stream', body),
        () => {
          notFound.push(path);
          send(404, 'text/plain', `not found: ${path}`);
        },
      );
      return;
    }
    const file = name === undefined ? undefined : FILES[name];
    if (!file || name === undefined) {
      notFound.push(path);
      return send(404, 'text/plain', `not found: ${path}`);
    }
    readFile(new URL(name, file.dir)).then(
      (body) => send(200, file.type, body),
      () => {
        notFound.push(path);
        send(404, 'text/plain', `not found: ${path}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    notFound,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets from the browser would hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
