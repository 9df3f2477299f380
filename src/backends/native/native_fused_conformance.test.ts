/**
 * The conformance suite's fused-kernel cases on the native backend with every fused program
 * compiled on its first call (HEBB_NATIVE_COMPILE=sync's behaviour, fused_compile.ts): the
 * compiled variants (dense and scalar inputs) must give the composed kernels' results bit for
 * bit, as the interpreter does; strided and row-vector inputs stay interpreted. Afterwards, no
 * build may have failed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe } from 'node:test';
import { runFusedConformance } from '../../../testing/conformance/conformance.js';
import { nativeUnavailable } from './addon.js';
import { NativeBackend } from './native_backend.js';

const cxx = process.env['CXX'] || 'c++';
const missing = nativeUnavailable() ?? (spawnSync(cxx, ['--version']).status === 0 ? null : `no C++ compiler (${cxx}) to build fused programs with`);

if (missing === null) {
  let be: NativeBackend | undefined;
  runFusedConformance('native, fused programs compiled', () => {
    be = new NativeBackend();
    be.setFusedCompileMode('sync');
    return be;
  });
  after(() => {
    const st = be?.fusedCompileStatus();
    assert.ok(st && st.compiled > 0, 'some fused programs were compiled');
    assert.deepEqual(st?.failures, []);
  });
} else {
  describe('native fused conformance, compiled', { skip: missing }, () => {});
}
