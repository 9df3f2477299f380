/**
 * Linear algebra.
 */
import type { Tensor } from '../core/tensor.js';
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { checkFloat, tensorArg } from './args.js';
import { matmul } from './primitives.js';
import { reshape } from './primitives_movement.js';
import { mul } from './elementwise.js';
import { sum } from './reduce.js';

export { matmul };

/** Dot product of vectors, matrix-vector or matrix-matrix product (NumPy's dot for rank <= 2). */
export function dot(aIn: Tensor, bIn: Tensor): Tensor {
  const a = checkFloat('dot', 'a', tensorArg('dot', 'a', aIn));
  const b = checkFloat('dot', 'b', tensorArg('dot', 'b', bIn));
  if (a.dtype !== b.dtype) throw new DTypeError(`dot: a and b must have the same dtype, received ${a.dtype} and ${b.dtype}`);
  if (a.rank === 1 && b.rank === 1) {
    if (a.shape[0] !== b.shape[0]) throw new ShapeError(`dot: vectors differ in length: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
    return sum(mul(a, b));
  }
  if (a.rank === 0 || b.rank === 0 || a.rank > 2 || b.rank > 2) throw new ShapeError(`dot: expects rank 1 or 2, received a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`);
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0] as number]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0] as number, 1]) : b;
  const r = matmul(a2, b2);
  if (a.rank === 1) return reshape(r, [r.shape[1] as number]);
  if (b.rank === 1) return reshape(r, [r.shape[0] as number]);
  return r;
}
