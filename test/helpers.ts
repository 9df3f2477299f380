/**
 * Small helpers shared by the core tests: float64 tensors and tolerant comparisons against
 * independently computed reference values (plain JS loops, Math, published constants).
 */
import assert from 'node:assert/strict';
import * as hb from '../src/index.js';
import { getBackendName } from '../src/core/engine.js';
import type { GradientTransformation } from '../src/optimizers/transform.js';
import type { TypedArray } from '../src/core/dtype.js';

// The core tests check op semantics (in float64 too) on the cpu reference backend; other
// backends are held to the same answers by the conformance suite (testing/conformance/).
// test/memory.test.ts and test/xor.test.ts do not import this file: they run on the default
// backend on purpose.
hb.setBackend('cpu');

/** A float64 tensor (gradient checks and exact forward checks run in float64). */
export function f64(values: hb.NestedArray | readonly number[], shape?: readonly number[]): hb.Tensor {
  return hb.tensor(values as hb.NestedArray, shape, 'float64');
}

/** The tensor's values as a plain array (row-major). */
export function vals(t: hb.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Asserts |a - e| <= atol + rtol |e| elementwise; NaN matches NaN; infinities must be equal. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-12, atol = 1e-12, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length: ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e)) {
      assert.ok(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`);
    } else if (!Number.isFinite(e)) {
      assert.equal(a, e, `${what}[${i}]: expected ${e}, got ${a}`);
    } else {
      assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}[${i}]: expected ${e}, got ${a} (actual ${JSON.stringify(Array.from(actual))})`);
    }
  }
}

/** Asserts a tensor's shape and (close) values. */
export function assertTensor(t: hb.Tensor, shape: readonly number[], expected: ArrayLike<number>, rtol = 1e-12, atol = 1e-12): void {
  assert.deepEqual([...t.shape], [...shape], `shape ${JSON.stringify(t.shape)} vs ${JSON.stringify(shape)}`);
  assertClose(vals(t), expected, rtol, atol);
}

/** Deterministic pseudo-random values in [lo, hi) (an LCG: no dependency on the random module). */
export function lcg(n: number, seed = 1, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(lo + ((hi - lo) * s) / 4294967296);
  }
  return out;
}

/** Runs fn in a scope and asserts it left no tensor and no buffer behind. */
export function assertNoLeak(fn: () => void): void {
  const t0 = hb.numTensors();
  const b0 = hb.numBuffers();
  hb.scope(fn);
  assert.equal(hb.numTensors(), t0, 'live tensors changed');
  assert.equal(hb.numBuffers(), b0, 'live buffers changed');
}

/** Asserts that fn throws an error of the class with exactly this message. */
export function assertThrowsExact(fn: () => unknown, cls: new (...args: never[]) => Error, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

/** Asserts that fn throws an error of the class whose message contains every fragment. */
export function assertThrowsWith(fn: () => unknown, cls: new (...args: never[]) => Error, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok((e as Error).message.includes(f), `message "${(e as Error).message}" lacks "${f}"`);
    return true;
  });
}

/** Runs fn with the named backend active, then restores the previous one. */
export function onBackend<T>(name: string, fn: () => T): T {
  const prev = getBackendName();
  hb.setBackend(name);
  try {
    return fn();
  } finally {
    hb.setBackend(prev);
  }
}

/** The optimizer as a bare transformation (init and update only): a runner over it takes the chain, not a fused applyStep. */
export function chainOnly<S>(opt: GradientTransformation<S>): GradientTransformation<S> {
  return { init: (p) => opt.init(p), update: (g, st, p, t) => opt.update(g, st, p, t) };
}

/** Counts host reads (dataSync and data) while fn runs. */
export async function countReads(fn: () => Promise<unknown> | unknown): Promise<{ sync: number; async: number }> {
  const proto = hb.Tensor.prototype;
  const { dataSync, data } = proto;
  const n = { sync: 0, async: 0 };
  proto.dataSync = function (this: hb.Tensor): TypedArray {
    n.sync++;
    return dataSync.call(this);
  };
  proto.data = function (this: hb.Tensor): Promise<TypedArray> {
    n.async++;
    return data.call(this);
  };
  try {
    await fn();
  } finally {
    proto.dataSync = dataSync;
    proto.data = data;
  }
  return n;
}
