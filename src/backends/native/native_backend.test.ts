/**
 * The native backend against the conformance suite, when the addon is built. When it is not,
 * the suite is skipped with the reason — unless HEBB_REQUIRE_NATIVE=1 (CI builds the addon),
 * which makes a missing addon a failure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConformance } from '../../../testing/conformance/conformance.js';
import { nativeUnavailable } from './addon.js';
import { NativeBackend } from './native_backend.js';

const missing = nativeUnavailable();
if (missing === null) {
  runConformance('native', () => new NativeBackend());
} else if (process.env['HEBB_REQUIRE_NATIVE'] === '1') {
  test('the native addon is built (HEBB_REQUIRE_NATIVE=1)', () => assert.fail(`native backend: ${missing}`));
} else {
  test('native backend conformance', { skip: `native backend: ${missing}` }, () => {});
}
