/**
 * The cpu backend's generic fused kernel (backends/fused_program.ts), the reference for the
 * wasm one: the program runs instruction by instruction over blocks of elements, each value in
 * a double array, each result rounded to the dtype as the separate kernels' stores round it
 * (comparisons and logical ops give 0/1, as a bool buffer holds them). The same functions as
 * the unary and binary kernels compute each op, so results match the composed ops bit for bit.
 */
import type { FusedProgram, View } from '../backend.js';
import type { CpuBuffer } from './cpu_backend.js';
import { BINARY, UNARY } from './elementwise_fns.js';
import { rounder } from './softmax.js';
import { offsets } from './strided.js';

/** Elements per block: the values of one block stay small (a program of 30 values: 240 KiB). */
const BLOCK = 1024;

export function fusedInto(p: FusedProgram, inputs: readonly View<CpuBuffer>[], params: readonly number[], outs: readonly CpuBuffer[]): void {
  const first = outs[0];
  if (!first) return;
  const n = first.size;
  const r = rounder(first.dtype);
  const offs = inputs.map((v) => offsets(v));
  const vals = p.instrs.map(() => new Float64Array(BLOCK));
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const len = Math.min(BLOCK, n - i0);
    p.instrs.forEach((ins, k) => {
      const out = vals[k] as Float64Array;
      switch (ins.kind) {
        case 'input': {
          const v = inputs[ins.index] as View<CpuBuffer>;
          const o = offs[ins.index] as Int32Array;
          for (let j = 0; j < len; j++) out[j] = v.buf.data[o[i0 + j] as number] as number;
          break;
        }
        case 'param':
        case 'const':
          out.fill(r(ins.kind === 'param' ? (params[ins.index] as number) : ins.value), 0, len);
          break;
        case 'unary': {
          const f = UNARY[ins.op];
          const a = vals[ins.a] as Float64Array;
          for (let j = 0; j < len; j++) out[j] = r(f(a[j] as number));
          break;
        }
        case 'binary': {
          const f = BINARY[ins.op];
          const a = vals[ins.a] as Float64Array;
          const b = vals[ins.b] as Float64Array;
          for (let j = 0; j < len; j++) out[j] = r(f(a[j] as number, b[j] as number));
          break;
        }
        case 'where': {
          const c = vals[ins.cond] as Float64Array;
          const a = vals[ins.a] as Float64Array;
          const b = vals[ins.b] as Float64Array;
          // Nonzero is true, NaN included (a cast to bool reads it so).
          for (let j = 0; j < len; j++) out[j] = (c[j] as number) !== 0 ? (a[j] as number) : (b[j] as number);
          break;
        }
      }
    });
    p.outputs.forEach((k, m) => (outs[m] as CpuBuffer).data.set((vals[k] as Float64Array).subarray(0, len), i0));
  }
}
