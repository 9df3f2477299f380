/**
 * Tensor values as text, the way NumPy prints an array: nested brackets, one row per line,
 * every element right-aligned to the widest, and tensors of more than SUMMARY_THRESHOLD
 * elements abbreviated to their first and last EDGE_ITEMS along each long axis, with `...`
 * (NumPy's threshold=1000, edgeitems=3). Pure string work, so it serves every backend and the
 * browser (Tensor's inspect and toString call it).
 */
import type { DType } from './dtype.js';

export const SUMMARY_THRESHOLD = 1000;
export const EDGE_ITEMS = 3;

/** Short enough to read: float32 to 7 significant digits (its precision), float64 to 15. */
function formatElement(v: number, dtype: DType): string {
  if (dtype === 'bool') return v !== 0 ? 'true' : 'false';
  if (dtype === 'int32' || !Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(dtype === 'float32' ? 7 : 15)));
}

/** The indices shown along an axis of length n: all of them, or the edges with null for `...`. */
function shownIndices(n: number, summarize: boolean): (number | null)[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

/**
 * `values` (row-major, `shape`) as nested brackets. Lines after the first start with `indent`
 * (the caller's prefix width), so the columns line up under an opening such as `Tensor(`.
 */
export function formatValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType, indent = ''): string {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0) return formatElement(values[0] as number, dtype);
  const summarize = size > SUMMARY_THRESHOLD;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  // First pass: the text of every shown element, for the common width.
  const cells = new Map<number, string>();
  const collect = (d: number, offset: number): void => {
    for (const i of shownIndices(shape[d] as number, summarize)) {
      if (i === null) continue;
      const at = offset + i * (strides[d] as number);
      if (d === shape.length - 1) cells.set(at, formatElement(values[at] as number, dtype));
      else collect(d + 1, at);
    }
  };
  collect(0, 0);
  const width = Math.max(0, ...[...cells.values()].map((s) => s.length));
  const render = (d: number, offset: number): string => {
    const pad = `${indent}${' '.repeat(d + 1)}`;
    // Rows break lines; blocks of rank ≥ 2 are set apart by blank lines, as NumPy does.
    const sep = d === shape.length - 1 ? ', ' : `,${'\n'.repeat(shape.length - 1 - d)}${pad}`;
    const parts = shownIndices(shape[d] as number, summarize).map((i) => {
      if (i === null) return '...';
      const at = offset + i * (strides[d] as number);
      return d === shape.length - 1 ? (cells.get(at) as string).padStart(width) : render(d + 1, at);
    });
    return `[${parts.join(sep)}]`;
  };
  return render(0, 0);
}
