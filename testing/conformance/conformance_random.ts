/**
 * Conformance: the Philox uniform kernel (Backend.randomUniform, backends/philox.ts). Its
 * contract is bit-identity with the host generator, so the reference is `Generator.fillUniform`
 * (core/random.ts) from the same state, and every value must match exactly. Cases cover every
 * start within a block (the buffered words of a generator mid-block), lengths around the SIMD
 * width of 16 words, a block counter crossing 2^32 and 2^64 (the carries), an affine range,
 * float32 and float64. The range comes from ops/random_counter.ts's reserveRange, which
 * random_counter.test.ts checks on its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { Generator } from '../../src/core/random.js';
import { reserveRange } from '../../src/ops/random_counter.js';
import type { Session } from './conformance_util.js';

type FloatDType = 'float32' | 'float64';

/** A generator `used` words into its stream, optionally with its block counter set first. */
function generatorAt(seed: number, used: number, counter?: [number, number]): Generator {
  const g = new Generator(seed).split('conformance');
  if (counter) {
    const st = g.getState();
    st.words[4] = counter[0];
    st.words[5] = counter[1];
    g.setState(st);
  }
  for (let i = 0; i < used; i++) g.uint32();
  return g;
}

async function check(s: Session, dtype: FloatDType, n: number, g: Generator, minval: number, maxval: number, what: string): Promise<void> {
  const host = generatorAt(0, 0);
  host.setState(g.getState());
  const want = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  host.fillUniform(want, minval, maxval);
  const range = reserveRange(g, n);
  assert.ok(range, `${what}: a generator's own state has a range`);
  const out = s.out(dtype, n);
  s.be.randomUniform?.(out, range, minval, maxval - minval);
  const got = await s.read(out);
  for (let i = 0; i < n; i++) {
    if (!Object.is(got[i], want[i])) assert.fail(`${s.be.name} randomUniform ${what}: element ${i} of ${n} is ${got[i]}, the host generator gives ${want[i]}`);
  }
}

export function randomCases(be: Backend, dtypes: readonly DType[], run: (fn: (s: Session) => Promise<void>) => Promise<void>): void {
  const floats = dtypes.filter((d): d is FloatDType => d === 'float32' || d === 'float64');
  // The kernel is optional: a backend without it gets the host's numbers (ops/random_counter.ts).
  // (No describe skip option: the browser's node:test shim has none.)
  if (!be.randomUniform) return;
  describe('randomUniform (Philox, bit-identical to the host generator)', () => {
    for (const dtype of floats) {
      it(`${dtype}: every start within a block, lengths 0..70 and 1000`, () =>
        run(async (s) => {
          for (const used of [0, 1, 2, 3, 4, 6]) {
            for (const n of [0, 1, 2, 3, 4, 5, 12, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 70, 1000]) {
              await check(s, dtype, n, generatorAt(7, used), 0, 1, `used ${used}, n ${n}`);
            }
          }
        }));
      it(`${dtype}: the block counter carries past 2^32 and wraps at 2^64`, () =>
        run(async (s) => {
          for (const counter of [[0xfffffffd, 0], [0xfffffff0, 0xffffffff]] as [number, number][]) {
            for (const used of [0, 3]) await check(s, dtype, 200, generatorAt(-5, used, counter), 0, 1, `counter ${counter}, used ${used}`);
          }
        }));
      it(`${dtype}: minval + (maxval − minval)·u in float64, then rounded`, () =>
        run(async (s) => {
          await check(s, dtype, 333, generatorAt(11, 1), -2, 3, '[-2, 3)');
          await check(s, dtype, 100, generatorAt(12, 0), 0.1, 0.7, '[0.1, 0.7)');
          await check(s, dtype, 50, generatorAt(13, 2), 1e6, 1e6 + 1, '[1e6, 1e6 + 1)');
        }));
    }
  });
}
