/**
 * Which Chromium the browser tests drive (through playwright-core), in one place. Tried in order,
 * the first that launches wins:
 *
 *   1. `HEBB_CHROMIUM`, when set: that binary only (a path that does not launch fails the tests,
 *      since someone asked for it);
 *   2. the npm registry's Chromium: the devDependency `@sparticuz/chromium` ships a
 *      brotli-compressed Linux x64 headless Chromium inside the package (no download at
 *      install), which we decompress once into node_modules/.cache/hebb/;
 *   3. a system browser: Debian's /usr/bin/chromium, then a few other usual places.
 *
 * The npm one comes first because package-lock.json pins it: every machine and CI then run the
 * same browser build, which `npm ci` alone brings. The system ones serve where it cannot run
 * (another OS or architecture, a system without libnss3).
 *
 * When none launches, the test is skipped with the reasons (node's runner counts and shows
 * skips), unless HEBB_REQUIRE_BROWSER=1 (as .ci/run sets), which makes that a failure.
 */
import assert from 'node:assert/strict';
import { existsSync, createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { link, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TestContext } from 'node:test';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { BUNDLE_DIR } from './server.js';

/** A place a Chromium may come from; `executable` throws, saying why, when it has none. */
export interface Candidate {
  readonly label: string;
  executable(): Promise<string>;
}

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

/** System browsers of this OS, tried in this order after the npm one. */
export const SYSTEM_CHROMIUMS: readonly string[] =
  process.platform === 'darwin'
    ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']
    : [
        '/usr/bin/chromium', // Debian (apt-get install chromium)
        '/usr/bin/chromium-browser', // Ubuntu, Fedora
        '/usr/bin/google-chrome',
      ];

const NPM_CHROMIUM = '@sparticuz/chromium';

/** An existing file, or an error saying it is not there. */
function pathCandidate(label: string, path: string): Candidate {
  return {
    label,
    executable: () => (existsSync(path) ? Promise.resolve(path) : Promise.reject(new Error('not found'))),
  };
}

/**
 * The npm registry's Chromium, decompressed from the package's bin/chromium.br on first use.
 * Its own executablePath() is not used: it inflates into a fixed /tmp/chromium shared by every
 * process and user of the machine (two test files starting at once race on it) and also unpacks
 * fonts and SwiftShader, which these tests do not need.
 */
export function npmChromium(): Candidate {
  return {
    label: `npm ${NPM_CHROMIUM}`,
    async executable() {
      if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`ships a Linux x64 binary only (this is ${process.platform} ${process.arch})`);
      let entry: string;
      try {
        entry = createRequire(import.meta.url).resolve(NPM_CHROMIUM);
      } catch {
        throw new Error('not installed (it is a devDependency: npm install)');
      }
      // entry is <package>/build/cjs/index.cjs; the package's "exports" hide its package.json from resolve.
      const pkgDir = resolve(dirname(entry), '..', '..');
      const meta: unknown = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      const version = typeof meta === 'object' && meta !== null && 'version' in meta ? String(meta.version) : 'unknown';
      const compressed = join(pkgDir, 'bin', 'chromium.br');
      if (!existsSync(compressed)) throw new Error(`${compressed} is missing (has the package's layout changed?)`);
      const dir = join(pkgDir, '..', '..', '.cache', 'hebb', `chromium-${version}`);
      const binary = join(dir, 'chromium');
      if (existsSync(binary)) return binary;
      await mkdir(dir, { recursive: true });
      // Written under a name of this process, then hard-linked into place: a concurrent test file
      // or an interrupted run never sees a half-written binary, and the first writer wins. A
      // rename would replace a binary another test file is already running, and Chromium
      // re-executes its own file for its child processes ("failed to execvp ... (deleted)").
      const partial = `${binary}.${process.pid}.partial`;
      try {
        await pipeline(createReadStream(compressed), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
        try {
          await link(partial, binary);
        } catch (e) {
          if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) throw e;
        }
      } finally {
        await rm(partial, { force: true });
      }
      return binary;
    },
  };
}

/** The candidates in the order tried (see the file's comment). */
export function candidates(env: NodeJS.ProcessEnv = process.env): Candidate[] {
  const chosen = env['HEBB_CHROMIUM'];
  if (chosen) return [pathCandidate(`HEBB_CHROMIUM=${chosen}`, chosen)];
  return [npmChromium(), ...SYSTEM_CHROMIUMS.map((p) => pathCandidate(p, p))];
}

/**
 * A launch error's gist: playwright's message is its first line, then the whole command line and
 * call log; what tells the cause is the browser's first line on stderr (a missing library, say)
 * and how it exited.
 */
function gist(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).replace(/\u001b\[\d+m/g, '').split('\n');
  const first = lines[0]?.trim() || 'unknown error';
  const stderr = lines.map((l) => /\[pid=\d+\]\[err\] (.*\S)/.exec(l)?.[1]).find((l) => l !== undefined);
  const exit = lines.map((l) => /<process did exit: (.*?)>/.exec(l)?.[1]).find((l) => l !== undefined);
  return [first, stderr && `stderr: ${stderr.slice(0, 200)}`, exit].filter(Boolean).join(', ');
}

export type LaunchOutcome = { browser: Browser; label: string } | { reasons: string[] };

/**
 * Launches of one candidate at most, while it is killed by a signal as it starts: the npm
 * Chromium once died of SIGSEGV at launch in a CI run where every other browser test launched
 * it fine (2026-12-04), so a crash while starting is retried; any other failure is final.
 */
export const LAUNCH_TRIES = 3;

/** Launches the first candidate that starts; otherwise every candidate's reason. */
export async function launchFirst(cands: readonly Candidate[]): Promise<LaunchOutcome> {
  const reasons: string[] = [];
  for (const c of cands) {
    let path: string;
    try {
      path = await c.executable();
    } catch (e) {
      reasons.push(`${c.label}: ${gist(e)}`);
      continue;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const browser = await chromium.launch({ executablePath: path, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
        return { browser, label: c.label === path ? path : `${c.label} (${path})` };
      } catch (e) {
        const why = gist(e);
        if (attempt < LAUNCH_TRIES && /signal=SIG/.test(why)) continue;
        reasons.push(`${c.label}: launch failed${attempt > 1 ? ` (${attempt} launches)` : ''}: ${why}`);
        break;
      }
    }
  }
  return { reasons };
}

/**
 * What to do when no browser launched: the skip message, or (HEBB_REQUIRE_BROWSER=1, or an
 * explicit HEBB_CHROMIUM that did not launch) an assertion error with the same text.
 */
export function noBrowser(reasons: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  // "a: not found; b: not found" reads better as "not found: a, b".
  const missing = reasons.filter((r) => r.endsWith(': not found')).map((r) => r.slice(0, -': not found'.length));
  const others = reasons.filter((r) => !r.endsWith(': not found'));
  const why = [...others, ...(missing.length > 0 ? [`not found: ${missing.join(', ')}`] : [])].join('; ');
  const message =
    `no Chromium could be launched (${why}). ` +
    'Run `npm install` (brings @sparticuz/chromium on Linux x64), install one (Debian: apt-get install chromium) or set HEBB_CHROMIUM to a Chromium binary';
  assert.ok(env['HEBB_REQUIRE_BROWSER'] !== '1', `HEBB_REQUIRE_BROWSER=1: ${message}`);
  assert.ok(!env['HEBB_CHROMIUM'], message);
  return message;
}

/**
 * Checks that the bundles a test needs exist (`files`, by default dist/browser/hebb.js: missing
 * ones fail the test), then launches Chromium; with none to launch, marks test `t` skipped
 * (see noBrowser) and returns null.
 */
export async function launchBrowser(t: TestContext, files: readonly URL[] = [new URL('hebb.js', BUNDLE_DIR)]): Promise<Browser | null> {
  for (const f of files) assert.ok(existsSync(f), `${f.pathname} is missing: run \`npm run build\` (tsc, then scripts/build-browser.mjs)`);
  const outcome = await launchFirst(candidates());
  if ('reasons' in outcome) {
    t.skip(noBrowser(outcome.reasons));
    return null;
  }
  t.diagnostic(`browser: ${outcome.label}, version ${outcome.browser.version()}`);
  return outcome.browser;
}
