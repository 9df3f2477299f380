/**
 * Class labels and predictions as plain numbers: a Tensor or nested arrays, of class indices
 * (shape [n]) or of per-class scores (shape [n, k]: one-hot targets, probabilities), which are
 * read by their argmax as Keras's sparse accuracy does.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

/** What confusionMatrix and mcDropout take: a Tensor, number[], or number[][]. */
export type Values = Tensor | ArrayLike<number> | readonly (readonly number[])[];

/** The values as rows of numbers ([n] reads as n rows of one) and the row width. */
export function readMatrix(who: string, name: string, v: unknown): { rows: number[][]; width: number; rank: 1 | 2 } {
  let nested: unknown = v;
  if (v instanceof Tensor) {
    if (v.rank !== 1 && v.rank !== 2) throw new ValueError(`${who}: ${name} must have rank 1 or 2, received shape [${v.shape.join(', ')}]`);
    nested = v.arraySync();
  } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    nested = Array.from(v as unknown as ArrayLike<number>);
  }
  if (!Array.isArray(nested) || nested.length === 0) throw new ValueError(`${who}: ${name} must be a non-empty array or Tensor, received ${fmtReceived(v)}`);
  if (nested.every((x) => typeof x === 'number')) return { rows: (nested as number[]).map((x) => [x]), width: 1, rank: 1 };
  const width = Array.isArray(nested[0]) ? (nested[0] as unknown[]).length : -1;
  const ok = width > 0 && nested.every((r) => Array.isArray(r) && r.length === width && r.every((x) => typeof x === 'number'));
  if (!ok) throw new ValueError(`${who}: ${name} must be numbers ([n]) or rows of equally many numbers ([n, k]), received ${fmtReceived(v)}`);
  return { rows: nested as number[][], width, rank: 2 };
}

/** Class indices: [n] whole numbers as they are, [n, k] by argmax (ties: the first). */
export function classIndices(who: string, name: string, v: unknown): number[] {
  const m = readMatrix(who, name, v);
  if (m.rank === 1) {
    return m.rows.map(([x], i) => {
      if (!Number.isInteger(x) || (x as number) < 0) throw new ValueError(`${who}: ${name}[${i}] must be a class index (a whole number >= 0), received ${fmtReceived(x)}`);
      return x as number;
    });
  }
  return m.rows.map((r, i) => {
    if (!r.every(Number.isFinite)) throw new ValueError(`${who}: ${name}[${i}] has a value that is not finite: ${fmtReceived(r)}`);
    if (m.width === 1) return (r[0] as number) > 0.5 ? 1 : 0; // a sigmoid's probability, as binary_accuracy reads it
    let best = 0;
    r.forEach((x, j) => (x > (r[best] as number) ? (best = j) : 0));
    return best;
  });
}
