/**
 * Shared by the browser tests: running one of server.ts's pages in a launched browser until its
 * `globalThis.hebbReport` promise settles. Which browser, and skipping when there is none:
 * chromium.ts.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from './server.js';

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
  /** Called with the page before it loads (to listen for its downloads, say). */
  onPage?: (page: Page) => void,
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
    onPage?.(page);
    const url = `${server.origin}${path}`;
    // Only until the response arrives: a page whose workload never yields to the event loop (the
    // conformance suite in a plain page) holds back its load event until the whole run is done,
    // which on a loaded machine took longer than any fixed navigation timeout. The run's time
    // is bounded by timeoutMs below instead.
    await page.goto(url, { timeout: 15_000, waitUntil: 'commit' });
    const detail = (): string => [...problems, ...server.notFound.map((p) => `404: ${p}`)].join('\n  ') || 'none';
    try {
      // Polled in the page: the same busy main thread may delay this check until the run ends.
      await page.waitForFunction(() => 'hebbReport' in globalThis, undefined, { timeout: timeoutMs });
    } catch {
      assert.fail(`${url}: within ${timeoutMs / 1000} s, the page's module script never ran (bundle failed to load?) or never let the page respond. Problems:\n  ${detail()}`);
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
