/**
 * The cpu backend's softmax and sparse cross-entropy kernels (the reference for asm/softmax.ts):
 * the same definitions, each elementary result rounded to the dtype as the cpu backend's plain
 * kernels round it (arithmetic in double, one rounding per stored value), sums from column 0.
 * Operands arrive as views; `offsets` gives each element's position, so any strides work.
 */
import type { DType, TypedArray } from '../../core/dtype.js';
import type { View } from '../backend.js';
import type { CpuBuffer } from './cpu_backend.js';
import { offsets } from './strided.js';

type Round = (v: number) => number;

const identity: Round = (v) => v;

/** Rounding to the dtype as a store into it rounds (float32), or none (float64). */
export function rounder(dtype: DType): Round {
  return dtype === 'float32' ? Math.fround : identity;
}

/** Row r's values, rounded as stored. */
function rowOf(v: View<CpuBuffer>, o: Int32Array, r: number, cols: number): number[] {
  const out = new Array<number>(cols);
  for (let j = 0; j < cols; j++) out[j] = v.buf.data[o[r * cols + j] as number] as number;
  return out;
}

/** max of the row (NaN if any is NaN), replaced by 0 when infinite. */
function shift(row: readonly number[]): number {
  let m = row[0] as number;
  for (const v of row) if (v > m || Number.isNaN(v)) m = v;
  return Number.isFinite(m) || Number.isNaN(m) ? m : 0;
}

/** e[j] = exp(x[j] − shift), rounded; returns e and the rounded sum. */
function expRow(row: readonly number[], fr: Round): { e: number[]; s: number } {
  const m = shift(row);
  const e = row.map((v) => fr(Math.exp(fr(v - m))));
  let s = 0;
  for (const v of e) s = fr(s + v);
  return { e, s };
}

export function softmaxRows(x: View<CpuBuffer>, out: CpuBuffer): void {
  const cols = x.shape[x.shape.length - 1] as number;
  if (out.size === 0 || cols === 0) return;
  const xo = offsets(x);
  const fr = rounder(out.dtype);
  const o: TypedArray = out.data;
  for (let r = 0; r < out.size / cols; r++) {
    const { e, s } = expRow(rowOf(x, xo, r, cols), fr);
    for (let j = 0; j < cols; j++) o[r * cols + j] = (e[j] as number) / s;
  }
}

export function softmaxGradRows(dy: View<CpuBuffer>, y: View<CpuBuffer>, dx: CpuBuffer): void {
  const cols = y.shape[y.shape.length - 1] as number;
  if (dx.size === 0 || cols === 0) return;
  const dyo = offsets(dy);
  const yo = offsets(y);
  const fr = rounder(dx.dtype);
  for (let r = 0; r < dx.size / cols; r++) {
    const g = rowOf(dy, dyo, r, cols);
    const p = rowOf(y, yo, r, cols);
    let dot = 0;
    for (let j = 0; j < cols; j++) dot = fr(dot + fr((g[j] as number) * (p[j] as number)));
    for (let j = 0; j < cols; j++) dx.data[r * cols + j] = (p[j] as number) * fr((g[j] as number) - dot);
  }
}

export function sparseXentRows(p: View<CpuBuffer>, labels: View<CpuBuffer>, out: CpuBuffer, fromLogits: boolean, lo: number, hi: number): void {
  const cols = p.shape[p.shape.length - 1] as number;
  if (out.size === 0) return;
  const po = offsets(p);
  const lbl = offsets(labels);
  const fr = rounder(out.dtype);
  const [flo, fhi] = [fr(lo), fr(hi)];
  for (let r = 0; r < out.size; r++) {
    const row = rowOf(p, po, r, cols);
    const label = labels.buf.data[lbl[r] as number] as number;
    // The host checks the ids; a stray one gives NaN (as asm/softmax.ts), never garbage.
    if (!(label >= 0 && label < cols)) {
      out.data[r] = NaN;
      continue;
    }
    if (fromLogits) {
      const { s } = expRow(row, fr);
      out.data[r] = fr(Math.log(s)) - fr((row[label] as number) - shift(row));
    } else {
      let s = 0;
      for (const v of row) s = fr(s + v);
      let q = fr((row[label] as number) / s);
      if (q > fhi) q = fhi;
      else if (q < flo) q = flo;
      out.data[r] = -Math.log(q);
    }
  }
}

export function sparseXentGradRows(dl: View<CpuBuffer>, p: View<CpuBuffer>, labels: View<CpuBuffer>, dp: CpuBuffer, fromLogits: boolean, lo: number, hi: number): void {
  const cols = p.shape[p.shape.length - 1] as number;
  if (dp.size === 0 || cols === 0) return;
  const po = offsets(p);
  const lbl = offsets(labels);
  const dlo = offsets(dl);
  const fr = rounder(dp.dtype);
  const [flo, fhi] = [fr(lo), fr(hi)];
  for (let r = 0; r < dp.size / cols; r++) {
    const row = rowOf(p, po, r, cols);
    const label = labels.buf.data[lbl[r] as number] as number;
    const g = dl.buf.data[dlo[r] as number] as number;
    if (!(label >= 0 && label < cols)) {
      dp.data.fill(NaN, r * cols, (r + 1) * cols);
      continue;
    }
    if (fromLogits) {
      const { e, s } = expRow(row, fr);
      for (let j = 0; j < cols; j++) dp.data[r * cols + j] = g * fr(fr((e[j] as number) / s) - (j === label ? 1 : 0));
    } else {
      let s = 0;
      for (const v of row) s = fr(s + v);
      const py = row[label] as number;
      const q = fr(py / s);
      const gq = !(q > fhi) && !(q < flo) ? fr(-g / q) : 0;
      const tail = fr(py / fr(s * s));
      for (let j = 0; j < cols; j++) dp.data[r * cols + j] = gq * fr((j === label ? fr(1 / s) : 0) - tail);
    }
  }
}
