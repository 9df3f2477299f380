/**
 * A tiny static server on 127.0.0.1 for the browser test: the bundle (dist/browser/hebb.js and
 * its map), the compiled workload (dist/test/browser/workload.js) and one page that imports
 * both and leaves its report on `globalThis.hebbReport`.
 *
 * The same page is served twice: at /plain/ with no special headers (not cross-origin isolated:
 * no SharedArrayBuffer, so the wasm backend runs on one thread), and at /isolated/ with
 * COOP same-origin + COEP require-corp (cross-origin isolated, SharedArrayBuffer available).
 * Everything is same-origin, so COEP needs no CORP headers. At /min/ (not isolated) the page's
 * ./hebb.js is the minified bundle, hebb.min.js.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** dist/browser/ (the bundle) and dist/test/browser/ (this file and the workload), as URLs. */
export const BUNDLE_DIR = new URL('../../browser/', import.meta.url);
const WORKLOAD_DIR = new URL('./', import.meta.url);

const PAGE = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>hebb browser test</title><link rel="icon" href="data:,"></head>
<body>
<script type="module">
import * as hb from './hebb.js';
import { runAll } from './workload.js';
const isolated = globalThis.crossOriginIsolated === true;
const shared = typeof SharedArrayBuffer !== 'undefined';
globalThis.hebbReport = runAll(hb).then(
  (report) => ({ ok: true, isolated, shared, report }),
  (e) => ({ ok: false, error: String((e && e.stack) || e) }),
);
</script>
</body>
</html>
`;

/** Files the page may ask for, each from its directory, with its content type. */
const FILES: Readonly<Record<string, { dir: URL; type: string }>> = {
  'hebb.js': { dir: BUNDLE_DIR, type: 'text/javascript' },
  'hebb.js.map': { dir: BUNDLE_DIR, type: 'application/json' },
  'hebb.min.js': { dir: BUNDLE_DIR, type: 'text/javascript' },
  'hebb.min.js.map': { dir: BUNDLE_DIR, type: 'application/json' },
  'workload.js': { dir: WORKLOAD_DIR, type: 'text/javascript' },
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
    if (name === '' || name === 'index.html') return send(200, 'text/html; charset=utf-8', PAGE);
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
