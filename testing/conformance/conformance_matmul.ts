/**
 * Conformance: batched matmul on [batch, m, k] x [batch, k, n] views. Operands arrive as the
 * engine builds them: transposed ones with row stride 1, broadcast batches with stride 0,
 * windows of larger buffers with padded rows and an offset.
 */
import { describe, it } from 'node:test';
import type { Backend } from '../../src/backends/backend.js';
import type { DType } from '../../src/core/dtype.js';
import { matmulRef } from './conformance_ref.js';
import { Rng, assertClose, gatherLayout, randomValues, unitRoundoff, type Session } from './conformance_util.js';

export interface Operand {
  /** Stored transposed: a row-stride-1 view, as matmul(a, b, true) hands it to the kernel. */
  transposed?: boolean;
  /** Batch stride 0: one matrix shared by every batch entry. */
  shared?: boolean;
  /** Extra elements at the end of every stored row (a window of a wider matrix). */
  pad?: number;
  offset?: number;
}

export interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
  a?: Operand;
  b?: Operand;
}

/** A [batch, rows, cols] operand in a buffer of its own, laid out as `o` says. */
function operandLayout(batch: number, rows: number, cols: number, o: Operand): { shape: number[]; strides: number[]; offset: number; storage: number } {
  const pad = o.pad ?? 0;
  const offset = o.offset ?? 0;
  const storedRows = o.transposed ? cols : rows;
  const storedCols = (o.transposed ? rows : cols) + pad;
  const matrix = storedRows * storedCols + pad; // a gap between batch entries, too
  const strides = o.transposed ? [o.shared ? 0 : matrix, 1, storedCols] : [o.shared ? 0 : matrix, storedCols, 1];
  const storage = offset + (o.shared ? 1 : batch) * matrix;
  return { shape: [batch, rows, cols], strides, offset, storage: Math.max(storage, 1) };
}

const describeOperand = (o: Operand | undefined): string => {
  if (!o) return 'contiguous';
  const parts = [o.transposed ? 'transposed' : '', o.shared ? 'batch stride 0' : '', o.pad ? `rows padded by ${o.pad}` : '', o.offset ? `offset ${o.offset}` : ''];
  return parts.filter((p) => p).join(', ') || 'contiguous';
};

function cases(): Case[] {
  const out: Case[] = [];
  const sizes: [number, number, number][] = [
    [1, 1, 1], [3, 3, 3], [17, 17, 17], [67, 129, 33], [1, 7, 5], [5, 1, 7], [7, 5, 1], [4, 8, 16], [9, 300, 10], [33, 2, 65],
  ];
  for (const [m, k, n] of sizes) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) out.push({ batch: 1, m, k, n, a: { transposed: ta }, b: { transposed: tb } });
    }
  }
  // Batches: independent, and broadcast (one operand shared with stride 0), with windows.
  out.push({ batch: 3, m: 5, k: 6, n: 7 });
  out.push({ batch: 4, m: 5, k: 6, n: 7, b: { shared: true } });
  out.push({ batch: 4, m: 5, k: 6, n: 7, a: { shared: true, transposed: true } });
  out.push({ batch: 2, m: 13, k: 11, n: 9, a: { pad: 3, offset: 5 }, b: { transposed: true, pad: 2, offset: 1 } });
  out.push({ batch: 3, m: 6, k: 17, n: 10, a: { transposed: true, pad: 1, offset: 2 }, b: { shared: true, pad: 4, offset: 3 } });
  // Depths past a blocking boundary (k > 256 here) with a shared operand: blocked kernels
  // must not reuse a packed block of the wrong depth range across the batch.
  out.push({ batch: 3, m: 5, k: 300, n: 6, b: { shared: true } });
  out.push({ batch: 3, m: 6, k: 520, n: 5, a: { shared: true, transposed: true }, b: { transposed: true } });
  // Empty dimensions: k = 0 must give zeros (not the output's previous contents).
  out.push({ batch: 2, m: 4, k: 0, n: 5 });
  out.push({ batch: 1, m: 3, k: 0, n: 3, a: { transposed: true }, b: { transposed: true } });
  out.push({ batch: 2, m: 0, k: 4, n: 5 });
  out.push({ batch: 2, m: 4, k: 3, n: 0 });
  out.push({ batch: 0, m: 4, k: 3, n: 2 });
  return out;
}

export async function runCase(s: Session, dtype: DType, c: Case, rng: Rng): Promise<void> {
  const la = operandLayout(c.batch, c.m, c.k, c.a ?? {});
  const lb = operandLayout(c.batch, c.k, c.n, c.b ?? {});
  const aData = randomValues(rng, dtype, la.storage, -2, 2);
  const bData = randomValues(rng, dtype, lb.storage, -2, 2);
  const a = s.upload(dtype, aData);
  const b = s.upload(dtype, bData);
  const out = s.out(dtype, c.batch * c.m * c.n);
  s.be.matmul(s.view(a, la), s.view(b, lb), out);
  const ref = matmulRef(gatherLayout(aData, la), gatherLayout(bData, lb), c.batch, c.m, c.k, c.n);
  // Any summation order in any precision >= dtype: within 2 (k + 2) u sum |a b| (Higham).
  const u = unitRoundoff(dtype);
  const atol = ref.scale.map((sc) => 2 * (c.k + 2) * u * sc);
  const what = `matmul ${dtype} [${c.batch}, ${c.m}, ${c.k}] x [${c.batch}, ${c.k}, ${c.n}], a ${describeOperand(c.a)}, b ${describeOperand(c.b)}`;
  assertClose(await s.read(out), ref.values, { atol, rtol: 0 }, what);
}

export function matmulCases(be: Backend, dtypes: readonly DType[], run: (fn: (s: Session) => Promise<void>) => Promise<void>): void {
  const floats = dtypes.filter((d) => d === 'float32' || d === 'float64');
  describe('matmul', () => {
    for (const dtype of floats) {
      for (const c of cases()) {
        it(`${dtype} [${c.batch}, ${c.m}, ${c.k}] x [${c.batch}, ${c.k}, ${c.n}], a ${describeOperand(c.a)}, b ${describeOperand(c.b)}`, async () => {
          await run((s) => runCase(s, dtype, c, new Rng(70 + c.m * 7 + c.k * 3 + c.n)));
        });
      }
    }

    it('float32 sizes around register-tile and panel edges (m, n in 1..13, k in {1, 2, 31, 64, 129, 257})', async () => {
      const rng = new Rng(80);
      await run(async (s) => {
        for (let m = 1; m <= 13; m += 2) {
          for (let n = 1; n <= 13; n++) {
            for (const k of [1, 2, 31, 64, 129, 257]) {
              await runCase(s, 'float32', { batch: 1, m, k, n, b: { transposed: (m + n) % 2 === 0 } }, rng);
            }
          }
        }
      });
    });

    it('float32 k = 3000 stays within the error bound', async () => {
      await run((s) => runCase(s, 'float32', { batch: 1, m: 3, k: 3000, n: 4, a: { transposed: true } }, new Rng(90)));
    });

    it('NaN and infinity in an operand reach exactly the outputs that read them', async () => {
      await run(async (s) => {
        // a = [[1, NaN], [2, 3]], b = [[1, 0], [Infinity, 1]]: row 0 is all NaN, row 1 is [Inf, 3].
        const a = s.upload('float32', [1, NaN, 2, 3]);
        const b = s.upload('float32', [1, 0, Infinity, 1]);
        const out = s.out('float32', 4);
        be.matmul(s.dense(a, [1, 2, 2]), s.dense(b, [1, 2, 2]), out);
        assertClose(await s.read(out), [NaN, NaN, Infinity, 3], { atol: 0, rtol: 0 }, 'matmul with NaN and Infinity');
      });
    });
  });
}
