/**
 * Conformance: memory (alloc/free/write/read/readSync/liveBuffers), fill, strided copy, cast.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { castRef } from './conformance_ref.js';
import { EXACT, Rng, assertClose, gatherLayout, layoutsFor, offsetOf, randomValues, sizeOfShape, storeAs, typed, withSession } from './conformance_util.js';

/** Values that exercise each dtype's edges (stored exactly in that dtype). */
const EDGE: { [D in DType]: number[] } = {
  float32: [0, -1.5, 3.25, NaN, Infinity, -Infinity, 1e-40, 3.4e38, Math.fround(0.1)],
  float64: [0, -1.5, 0.1, NaN, Infinity, -Infinity, 5e-324, 1.7e308, 1 / 3],
  int32: [0, -1, 1, 2147483647, -2147483648, 16777217, -123456789],
  bool: [0, 1, 1, 0],
};

export function memoryCases(be: Backend, dtypes: readonly DType[]): void {
  describe('memory', () => {
    for (const dtype of dtypes) {
      it(`write then read round-trips ${dtype} values, including edge values`, async () => {
        await withSession(be, async (s) => {
          const values = [...EDGE[dtype], ...randomValues(new Rng(1), dtype, 1000)];
          const buf = s.upload(dtype, values);
          assert.equal(buf.size, values.length);
          assert.equal(buf.dtype, dtype);
          const back = await be.read(buf);
          assertClose(Array.from(back), values.map((v) => storeAs(dtype, v)), EXACT, `read ${dtype}`);
          if (be.readSync) {
            assertClose(Array.from(be.readSync(buf)), Array.from(back), EXACT, `readSync ${dtype}`);
          }
        });
      });
    }

    it('read returns a copy: changing it leaves the buffer alone', async () => {
      await withSession(be, async (s) => {
        const buf = s.upload('float32', [1, 2, 3]);
        const first = await be.read(buf);
        first[0] = 99;
        assert.deepEqual(Array.from(await be.read(buf)), [1, 2, 3]);
      });
    });

    it('write replaces the whole contents; a write of the wrong length throws', async () => {
      await withSession(be, async (s) => {
        const buf = s.upload('int32', [1, 2, 3]);
        be.write(buf, typed('int32', [4, 5, 6]));
        assert.deepEqual(await s.read(buf), [4, 5, 6]);
        assert.throws(() => be.write(buf, typed('int32', [1, 2])));
      });
    });

    it('buffers report their size in elements and their dtype', () => {
      for (const dtype of dtypes) {
        const b = be.alloc(sizeOfShape([3, 5]), dtype);
        assert.equal(b.size, 15);
        assert.equal(b.dtype, dtype);
        assert.equal(b.backend, be.name);
        be.free(b);
      }
    });

    it('liveBuffers counts alloc and free, including empty buffers', () => {
      const base = be.liveBuffers();
      const bufs = dtypes.flatMap((d) => [be.alloc(0, d), be.alloc(1, d), be.alloc(4097, d)]);
      assert.equal(be.liveBuffers(), base + bufs.length);
      for (const b of bufs) be.free(b);
      assert.equal(be.liveBuffers(), base);
    });
  });

  describe('fill', () => {
    for (const dtype of dtypes) {
      it(`fills every element of a ${dtype} buffer`, async () => {
        await withSession(be, async (s) => {
          for (const value of dtype === 'bool' ? [0, 1] : EDGE[dtype]) {
            if (dtype === 'int32' && !Number.isFinite(value)) continue;
            const buf = s.upload(dtype, randomValues(new Rng(2), dtype, 37));
            be.fill(buf, value);
            assertClose(await s.read(buf), new Array<number>(37).fill(storeAs(dtype, value)), EXACT, `fill ${dtype} with ${value}`);
          }
        });
      });
    }
  });

  describe('copy (strided to strided)', () => {
    for (const dtype of dtypes) {
      for (const shape of [[], [7], [3, 4, 5], [2, 1, 3, 4]]) {
        it(`${dtype} ${JSON.stringify(shape)}: every source layout into every writable window`, async () => {
          const rng = new Rng(3);
          await withSession(be, async (s) => {
            const layouts = layoutsFor(shape);
            const dstLayouts = layouts.filter((l) => !l.strides.some((st, d) => st === 0 && (shape[d] as number) > 1));
            for (const src of layouts) {
              for (const dst of dstLayouts) {
                const srcData = randomValues(rng, dtype, src.storage);
                const dstData = randomValues(rng, dtype, dst.storage);
                const sb = s.upload(dtype, srcData);
                const db = s.upload(dtype, dstData);
                be.copy(s.view(sb, src), s.view(db, dst));
                // Expected: the window holds the source's logical values, the rest is untouched.
                const want = [...dstData];
                const vals = gatherLayout(srcData, src);
                for (let i = 0; i < vals.length; i++) want[offsetOf(dst, i)] = vals[i] as number;
                assertClose(await s.read(db), want, EXACT, `copy ${dtype} ${src.kind} -> ${dst.kind}`);
                assertClose(await s.read(sb), srcData, EXACT, `copy must not change its source (${src.kind})`);
              }
            }
          });
        });
      }
    }
    it('copies nothing for an empty shape', async () => {
      await withSession(be, async (s) => {
        const sb = s.upload('float32', [1, 2]);
        const db = s.upload('float32', [3, 4]);
        be.copy({ buf: sb, shape: [0, 2], strides: [2, 1], offset: 0 }, { buf: db, shape: [0, 2], strides: [2, 1], offset: 0 });
        assert.deepEqual(await s.read(db), [3, 4]);
      });
    });
  });

  describe('cast', () => {
    /** Source values per dtype; NaN and infinities only where the target can hold them. */
    const sources = (from: DType, to: DType): number[] => {
      if (from === 'bool') return [0, 1, 1, 0];
      if (from === 'int32') return [-2147483648, -5, -1, 0, 1, 7, 16777217, 16777219, 2147483647];
      const finite = [-2.7, -1, -0.5, -0, 0, 0.5, 0.99, 1, 2.5, 3.99, -100.75, 1e6 + 0.5, 0.1, 1 / 3, 2147483000];
      const special = [NaN, Infinity, -Infinity, 1e-40, 3.5e38];
      // Out of int32's range: saturation (NaN to 0); in float32, 2147483647.5 is 2^31 and
      // -2147483648.5 is -2^31, in float64 they truncate to the range's ends.
      const outOfRange = [NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31), 1e10, -1e10, 2147483647.5, -2147483648.5, -2147483649, 3.5e38, -3.5e38];
      return to === 'int32' ? [...finite, ...outOfRange] : [...finite, ...special, 1e-320, 1e39].map((v) => storeAs(from, v));
    };
    for (const from of dtypes) {
      for (const to of dtypes) {
        it(`${from} -> ${to}`, async () => {
          await withSession(be, async (s) => {
            const values = sources(from, to).map((v) => storeAs(from, v));
            const src = s.upload(from, values);
            const out = s.out(to, values.length);
            be.cast(s.dense(src, [values.length]), out);
            const want = values.map((v) => storeAs(to, castRef(v, to)));
            assertClose(await s.read(out), want, EXACT, `cast ${from} -> ${to}`);
            // Strided sources: every layout of a small matrix.
            const rng = new Rng(4);
            for (const l of layoutsFor([3, 4])) {
              const data = randomValues(rng, from, l.storage, -50, 50);
              const b = s.upload(from, data);
              const o = s.out(to, 12);
              be.cast(s.view(b, l), o);
              const w = gatherLayout(data, l).map((v) => storeAs(to, castRef(v, to)));
              assertClose(await s.read(o), w, EXACT, `cast ${from} -> ${to} from a ${l.kind} view`);
            }
          });
        });
      }
    }
  });
}
