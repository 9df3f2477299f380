/**
 * A page-side stand-in for the part of `node:test` the backend conformance suite uses: `describe`
 * and `it` (and `test`), registering cases with their full names ("suite > sub-suite > case").
 * scripts/build-browser.mjs aliases `node:test` to this file when it bundles the suite for the
 * browser test; runCases() then runs the cases one after another, as node:test does within a
 * file, and reports each one's outcome.
 *
 * Anything else node:test offers (skip/todo/only options, a test context or done callback, async
 * describe bodies, hooks) throws at registration, so a suite that starts using it fails loudly in
 * the page instead of being run differently from Node.
 */

type CaseFn = () => unknown;

export interface CaseResult {
  /** Full name: the describe titles and the case's, joined by ' > '. */
  name: string;
  ok: boolean;
  /** The error's message (and stack head) when the case failed. */
  error?: string;
  ms: number;
}

interface Case {
  name: string;
  fn: CaseFn;
}

const cases: Case[] = [];
const suites: string[] = [];

/** Options node:test would act on differently from "just run it": refused, never ignored. */
function checkOptions(what: string, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw new TypeError(`${what}: options must be an object`);
  for (const key of Object.keys(options)) {
    // A timeout changes nothing about a passing case; everything else would.
    if (key !== 'timeout') throw new TypeError(`${what}: the browser node:test shim does not support the "${key}" option`);
  }
}

/** node:test's (name, fn), (name, options, fn) and (fn) forms. */
function parse(kind: string, a: unknown, b: unknown, c: unknown): { name: string; fn: CaseFn } {
  const name = typeof a === 'string' ? a : typeof a === 'function' && a.name ? a.name : '<anonymous>';
  const rest = typeof a === 'string' ? [b, c] : [a, b];
  const fn = typeof rest[0] === 'function' ? rest[0] : rest[1];
  if (typeof rest[0] !== 'function') checkOptions(`${kind}('${name}')`, rest[0]);
  if (typeof fn !== 'function') throw new TypeError(`${kind}('${name}'): no function given`);
  if (fn.length > 0) throw new TypeError(`${kind}('${name}'): the browser node:test shim passes no test context or done callback`);
  return { name, fn: () => fn() };
}

export function describe(a: unknown, b?: unknown, c?: unknown): void {
  const { name, fn } = parse('describe', a, b, c);
  suites.push(name);
  try {
    const r = fn();
    if (r instanceof Promise) throw new TypeError(`describe('${name}'): the browser node:test shim runs describe bodies synchronously`);
  } catch (e) {
    // node:test reports a throwing describe body as a failure of that suite: so do we.
    const full = [...suites, '(registration)'].join(' > ');
    cases.push({ name: full, fn: () => Promise.reject(e) });
  } finally {
    suites.pop();
  }
}

export function it(a: unknown, b?: unknown, c?: unknown): void {
  const { name, fn } = parse('it', a, b, c);
  cases.push({ name: [...suites, name].join(' > '), fn });
}

export const test = it;

/** Names of the cases registered so far, in order. */
export function registeredCases(): string[] {
  return cases.map((c) => c.name);
}

function describeError(e: unknown): string {
  if (e instanceof Error) {
    const stack = (e.stack ?? '').split('\n').slice(1, 4).join('\n');
    return `${e.name}: ${e.message}${stack ? `\n${stack}` : ''}`;
  }
  return String(e);
}

/** Runs every registered case once, in order; removes them from the registry. */
export async function runCases(onResult?: (r: CaseResult) => void): Promise<CaseResult[]> {
  const todo = cases.splice(0, cases.length);
  const results: CaseResult[] = [];
  for (const c of todo) {
    const t0 = performance.now();
    let result: CaseResult;
    try {
      await c.fn();
      result = { name: c.name, ok: true, ms: performance.now() - t0 };
    } catch (e) {
      result = { name: c.name, ok: false, error: describeError(e), ms: performance.now() - t0 };
    }
    results.push(result);
    onResult?.(result);
  }
  return results;
}
