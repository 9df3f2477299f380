/**
 * The backend conformance suite. Every backend's test file calls
 *
 *     runConformance('wasm', () => new WasmBackend());
 *
 * which registers node:test cases exercising the Backend interface directly — memory, fill,
 * strided copy, cast between all dtypes, every unary/binary op, where, every reduction, matmul,
 * gather, scatterAdd, the generic fused kernel (and a product with it as the epilogue) and the Philox uniforms — on contiguous, offset, transposed and stride-0 broadcast views, and
 * compares each result with references computed by plain index arithmetic in this suite
 * (conformance_ref.ts), never by another backend's code. Float results are held to float32
 * (or float64) error bounds; special values (NaN, infinities, tiny arguments) follow NumPy.
 * An ops-level section then runs hb ops and a small MLP's gradients with the backend active
 * and compares them with 'cpu' and with a hand-written backward pass.
 *
 * The suite is test support, so it lives in testing/conformance/, outside src/ (so it is not
 * product code and the package leaves it out: package.json's "!dist/testing"), and outside
 * test/ (node --test runs every file under a folder named test; these register cases only
 * when a backend's test file calls runConformance).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { withSession, type Session } from './conformance_util.js';
import { memoryCases } from './conformance_memory.js';
import { elementwiseCases } from './conformance_elementwise.js';
import { reduceCases } from './conformance_reduce.js';
import { matmulCases } from './conformance_matmul.js';
import { opsCases } from './conformance_ops.js';
import { largeCases } from './conformance_large.js';
import { fusedCases } from './conformance_fused.js';
import { matmulFusedCases } from './conformance_matmul_fused.js';
import { randomCases } from './conformance_random.js';

export interface ConformanceOptions {
  /** Skip the ops-level section (for a backend that cannot be made the active one). */
  skipOps?: boolean;
}

export function runConformance(name: string, make: () => Backend, options: ConformanceOptions = {}): void {
  describe(`backend conformance: ${name}`, () => {
    // One instance for the whole suite: tests also check that it keeps no buffers alive.
    const be = make();
    const dtypes: DType[] = (['float32', 'int32', 'bool', 'float64'] as const).filter((d) => be.supportsDType(d));
    const run = (fn: (s: Session) => Promise<void>): Promise<void> => withSession(be, fn);

    it('reports its name and supports float32, int32 and bool', () => {
      assert.equal(be.name, name);
      for (const d of ['float32', 'int32', 'bool'] as const) assert.ok(be.supportsDType(d), `${name} must support ${d}`);
    });

    memoryCases(be, dtypes);
    elementwiseCases(be, dtypes, run);
    reduceCases(be, dtypes, run);
    matmulCases(be, dtypes, run);
    largeCases(be, dtypes, run);
    fusedCases(be, dtypes, run);
    matmulFusedCases(be, dtypes, run);
    randomCases(be, dtypes, run);
    if (!options.skipOps) opsCases(name, make);
  });
}

/**
 * The fused kernel's cases alone, for a second configuration of a backend (native with every
 * fused program compiled rather than interpreted: src/backends/native/fused_compile.ts).
 */
export function runFusedConformance(title: string, make: () => Backend): void {
  describe(`backend conformance: ${title}`, () => {
    const be = make();
    const dtypes: DType[] = (['float32', 'int32', 'bool', 'float64'] as const).filter((d) => be.supportsDType(d));
    fusedCases(be, dtypes, (fn: (s: Session) => Promise<void>) => withSession(be, fn));
    matmulFusedCases(be, dtypes, (fn: (s: Session) => Promise<void>) => withSession(be, fn));
  });
}
