/**
 * Shared by the browser tests: launching headless Chromium and running one of server.ts's pages
 * until its `globalThis.hebbReport` promise settles.
 *
 * Chromium is Debian's /usr/bin/chromium (HEBB_CHROMIUM overrides), driven by playwright-core;
 * .ci/run installs it. A missing browser fails the tests: they are never skipped.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { BUNDLE_DIR, type TestServer } from './server.js';

export const CHROMIUM = process.env['HEBB_CHROMIUM'] || '/usr/bin/chromium';
// The flags a closed-network CI machine needs: without the background-networking ones,
// Chromium keeps trying to reach Google's hosts. playwright-core adds --headless and
// --no-sandbox itself and starts each browser with a fresh temporary --user-data-dir.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Checks that the bundles a test needs (`files`; by default dist/browser/hebb.js) and Chromium exist, then launches Chromium. */
export async function launchBrowser(files: readonly URL[] = [new URL('hebb.js', BUNDLE_DIR)]): Promise<Browser> {
  for (const f of files) assert.ok(existsSync(f), `${f.pathname} is missing: run \`npm run build\` (tsc, then scripts/build-browser.mjs)`);
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or point HEBB_CHROMIUM at a Chromium binary`,
  );
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

export interface PageResult<R> {
  isolated: boolean;
  shared: boolean;
  report: R;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Loads `path` and returns its report once `isReport` accepts it; page errors, console errors,
 * failed requests and 404s go into the failure message (and fail the run even when the report
 * arrived).
 */
export async function runPage<R>(
  browser: Browser,
  server: TestServer,
  path: string,
  isReport: (r: unknown) => r is R,
  timeoutMs = 30_000,
): Promise<PageResult<R>> {
  const context = await browser.newContext();
  const problems: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
    const url = `${server.origin}${path}`;
    await page.goto(url, { timeout: 15_000 });
    const detail = (): string => [...problems, ...server.notFound.map((p) => `404: ${p}`)].join('\n  ') || 'none';
    try {
      await page.waitForFunction(() => 'hebbReport' in globalThis, undefined, { timeout: 15_000 });
    } catch {
      assert.fail(`${url}: the page's module script never ran (bundle failed to load?). Problems:\n  ${detail()}`);
    }
    // evaluate has no timeout of its own: a workload that hangs must still let `finally` close the browser.
    const outcome: unknown = await withTimeout(
      page.evaluate(() => Reflect.get(globalThis, 'hebbReport')),
      timeoutMs,
      () => `${url}: the page did not finish within ${timeoutMs / 1000} s. Problems:\n  ${detail()}`,
    );
    assert.ok(typeof outcome === 'object' && outcome !== null && 'ok' in outcome, `${url}: unexpected outcome ${JSON.stringify(outcome)}`);
    if (outcome.ok !== true) {
      const error = 'error' in outcome ? String(outcome.error) : JSON.stringify(outcome);
      assert.fail(`${url}: the page threw:\n${error}\nOther problems:\n  ${detail()}`);
    }
    const report = 'report' in outcome ? outcome.report : undefined;
    assert.ok(isReport(report), `${url}: unexpected report ${JSON.stringify(report)?.slice(0, 500)}`);
    assert.equal(detail(), 'none', `${url}: problems while running`);
    const flag = (k: string): boolean => Reflect.get(outcome, k) === true;
    return { isolated: flag('isolated'), shared: flag('shared'), report };
  } finally {
    await context.close();
  }
}
