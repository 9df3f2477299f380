/**
 * A page-side stand-in for `node:assert/strict`, aliased by scripts/build-browser.mjs when it
 * bundles the backend conformance suite for the browser test. It implements the assertions the
 * suite uses with node's strict semantics: equality is Object.is (NaN equals NaN, 0 and -0
 * differ), deepEqual compares arrays, typed arrays and plain objects element by element with
 * Object.is and requires the same prototypes. shims.test.ts checks it against node:assert.
 */

export class AssertionError extends Error {
  override name = 'AssertionError';
}

function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (ArrayBuffer.isView(v) || Array.isArray(v)) {
    const items = Array.from(v as ArrayLike<unknown>, show);
    const body = items.length > 20 ? [...items.slice(0, 20), `... ${items.length - 20} more`] : items;
    return `${Array.isArray(v) ? '' : (v.constructor?.name ?? '')}[${body.join(', ')}]`;
  }
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function failWith(message: string | Error | undefined, fallback: string): never {
  if (message instanceof Error) throw message;
  throw new AssertionError(message ?? fallback);
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!isDeepStrictEqual(x[i], y[i])) return false;
    if (ArrayBuffer.isView(a)) return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!isDeepStrictEqual(Reflect.get(a, k), Reflect.get(b, k))) return false;
  }
  return true;
}

function ok(value: unknown, message?: string | Error): void {
  if (!value) failWith(message, `The expression evaluated to a falsy value: ${show(value)}`);
}

function equal(actual: unknown, expected: unknown, message?: string | Error): void {
  if (!Object.is(actual, expected)) failWith(message, `Expected values to be strictly equal: ${show(actual)} !== ${show(expected)}`);
}

function notEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (Object.is(actual, expected)) failWith(message, `Expected "actual" to be strictly unequal to: ${show(expected)}`);
}

function deepEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (!isDeepStrictEqual(actual, expected)) failWith(message, `Expected values to be strictly deep-equal: ${show(actual)} vs ${show(expected)}`);
}

function notDeepEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (isDeepStrictEqual(actual, expected)) failWith(message, `Expected "actual" not to be strictly deep-equal to: ${show(expected)}`);
}

function fail(message?: string | Error): never {
  failWith(message, 'Failed');
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** throws(fn), throws(fn, message), throws(fn, ErrorClass | RegExp, message?). */
function throws(fn: () => unknown, expected?: ErrorClass | RegExp | string, message?: string): void {
  if (typeof expected === 'string') return throws(fn, undefined, expected);
  let threw = false;
  let error: unknown;
  try {
    fn();
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) failWith(message, 'Missing expected exception.');
  if (expected instanceof RegExp) {
    if (!expected.test(error instanceof Error ? error.message : String(error))) {
      failWith(message, `The error message does not match ${String(expected)}: ${String(error)}`);
    }
  } else if (expected !== undefined && !(error instanceof expected)) {
    failWith(message, `The error is not an instance of ${expected.name}: ${String(error)}`);
  }
}

const assert = Object.assign((value: unknown, message?: string | Error): void => ok(value, message), {
  ok,
  equal,
  notEqual,
  strictEqual: equal,
  notStrictEqual: notEqual,
  deepEqual,
  deepStrictEqual: deepEqual,
  notDeepEqual,
  notDeepStrictEqual: notDeepEqual,
  fail,
  throws,
  AssertionError,
});

export { ok, equal, notEqual, deepEqual, notDeepEqual, fail, throws, equal as strictEqual, deepEqual as deepStrictEqual };
export default assert;
