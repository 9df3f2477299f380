/**
 * The page-side stand-ins for node:assert/strict and node:test that the conformance suite runs on
 * in Chromium (assert_shim.ts, node_test_shim.ts): checked here against node's own assert, and
 * for registration and reporting, so a shim that passes everything cannot hide a failing case.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import shim from './assert_shim.js';
import * as nt from './node_test_shim.js';

const throwsOrNot = (f: () => void): boolean => {
  try {
    f();
    return false;
  } catch {
    return true;
  }
};

const PAIRS: Array<[unknown, unknown]> = [
  [1, 1],
  [NaN, NaN],
  [0, -0],
  ['a', 'a'],
  [1, '1'],
  [null, undefined],
  [[1, 2], [1, 2]],
  [[1, 2], [1, 2, 3]],
  [[NaN], [NaN]],
  [[0], [-0]],
  [[[1], [2]], [[1], [2]]],
  [[[1], [2]], [[1], [3]]],
  [[1], ['1']],
  [Float32Array.of(1, 2), Float32Array.of(1, 2)],
  [Float32Array.of(1, 2), Float32Array.of(1, 3)],
  [Float32Array.of(1), Float64Array.of(1)],
  [Float32Array.of(1), [1]],
  [{ a: 1 }, { a: 1 }],
  [{ a: 1 }, { a: 2 }],
  [{ a: 1 }, { a: 1, b: undefined }],
  [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }],
];

describe('assert_shim (page-side node:assert/strict) agrees with node:assert/strict', () => {
  test('equal and deepEqual accept and reject the same pairs', () => {
    for (const [a, b] of PAIRS) {
      const what = `${String(a)} vs ${String(b)}`;
      assert.equal(throwsOrNot(() => shim.equal(a, b)), throwsOrNot(() => assert.equal(a, b)), `equal ${what}`);
      assert.equal(throwsOrNot(() => shim.deepEqual(a, b)), throwsOrNot(() => assert.deepEqual(a, b)), `deepEqual ${what}`);
      assert.equal(throwsOrNot(() => shim.notEqual(a, b)), throwsOrNot(() => assert.notEqual(a, b)), `notEqual ${what}`);
    }
  });

  test('ok, fail and throws', () => {
    for (const v of [0, '', null, undefined, NaN, false, 1, 'x', {}, []]) {
      assert.equal(throwsOrNot(() => shim.ok(v)), throwsOrNot(() => assert.ok(v)), `ok(${String(v)})`);
      assert.equal(throwsOrNot(() => shim(v)), throwsOrNot(() => assert(v)), `assert(${String(v)})`);
    }
    assert.throws(() => shim.fail('boom'), /boom/);
    assert.throws(() => shim.equal(1, 2, 'custom message'), (e: unknown) => e instanceof shim.AssertionError && e.message === 'custom message');
    assert.throws(() => shim.throws(() => undefined), /Missing expected exception/);
    shim.throws(() => {
      throw new RangeError('x');
    });
    shim.throws(() => {
      throw new RangeError('x');
    }, RangeError);
    assert.throws(() =>
      shim.throws(() => {
        throw new Error('x');
      }, RangeError),
    );
    assert.throws(() =>
      shim.throws(() => {
        throw new Error('abc');
      }, /xyz/),
    );
  });
});

test('node_test_shim registers nested cases by full name and reports each outcome', async () => {
  nt.describe('outer', () => {
    nt.it('passes', () => undefined);
    nt.describe('inner', () => {
      nt.it('fails', () => {
        throw new Error('expected failure');
      });
      nt.it('rejects', async () => {
        await Promise.resolve();
        throw new Error('async failure');
      });
    });
    nt.it('with a timeout option', { timeout: 10 }, () => undefined);
  });
  nt.describe('throws while registering', () => {
    throw new Error('bad suite');
  });
  assert.throws(() => nt.it('skipped', { skip: true }, () => undefined), /does not support the "skip" option/);
  assert.throws(() => nt.it('with a context', (_t: unknown) => undefined), /no test context/);
  // An async describe body is reported as that suite failing, like a throwing one.
  nt.describe('async', async () => undefined);

  const names = [
    'outer > passes',
    'outer > inner > fails',
    'outer > inner > rejects',
    'outer > with a timeout option',
    'throws while registering > (registration)',
    'async > (registration)',
  ];
  assert.deepEqual(nt.registeredCases().slice(-names.length), names);
  const results = (await nt.runCases()).slice(-names.length);
  assert.deepEqual(
    results.map((r) => [r.name, r.ok]),
    names.map((n) => [n, n === 'outer > passes' || n === 'outer > with a timeout option']),
  );
  assert.match(results[1]?.error ?? '', /expected failure/);
  assert.match(results[2]?.error ?? '', /async failure/);
  assert.match(results[4]?.error ?? '', /bad suite/);
  assert.match(results[5]?.error ?? '', /synchronously/);
  assert.deepEqual(nt.registeredCases(), [], 'runCases empties the registry');
});
