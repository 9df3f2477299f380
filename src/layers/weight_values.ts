/**
 * New values for a list of weights (setWeights), checked all before any is assigned: a call
 * that fails on the fourth array must leave the first three weights as they were.
 *
 * A value is a Tensor of the weight's shape and dtype, or a nested JS array of that shape
 * (`[[1, 2], [3, 4]]` for a [2, 2] kernel), converted as `tensor(...)` converts it, to the
 * weight's dtype (integers only for an integer weight: nothing is rounded silently).
 */
import { isFloat } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { Tensor, type NestedArray, type Variable } from '../core/tensor.js';
import { tensor } from '../ops/creation.js';

/** What setWeights accepts for one weight. */
export type WeightValue = Tensor | NestedArray;

/** The first entry of a nested array that is not an integer, as a path (`[1][0]`), or null. */
function nonInteger(v: NestedArray, path = ''): string | null {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = nonInteger(v[i] as NestedArray, `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  return typeof v === 'number' && !Number.isInteger(v) ? path || '(the value)' : null;
}

/**
 * Tensors for `values`, one per weight, in order; `owned` are those made here from nested
 * arrays (the caller disposes them after assigning). Throws, naming the index and the weight,
 * before anything is assigned. `op` is e.g. 'setWeights', `owner` e.g. 'model "mlp"'.
 */
export function checkedWeightValues(op: string, owner: string, weights: readonly Variable[], values: readonly WeightValue[]): { tensors: Tensor[]; owned: Tensor[] } {
  if (!Array.isArray(values)) throw new ValueError(`${op}: expected an array of ${weights.length} values (Tensors or nested arrays), received ${values === null ? 'null' : typeof values}`);
  if (values.length !== weights.length) throw new ValueError(`${op}: ${owner} has ${weights.length} weights, received ${values.length}`);
  const tensors: Tensor[] = [];
  const owned: Tensor[] = [];
  try {
    weights.forEach((w, i) => {
      const v: unknown = values[i];
      const what = `${op}: weight ${i} ("${w.name}")`;
      let t: Tensor;
      if (v instanceof Tensor) {
        v.assertAlive(what);
        t = v;
      } else if (typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v)) {
        const bad = isFloat(w.dtype) ? null : nonInteger(v as NestedArray);
        if (bad !== null) throw new DTypeError(`${what} has dtype ${w.dtype}, received a non-integer at ${bad}`);
        try {
          t = tensor(v as NestedArray, undefined, w.dtype);
        } catch (e) {
          // Ragged or non-numeric nested arrays: the same error, saying which weight it was.
          if (e instanceof ShapeError) throw new ShapeError(`${what}: ${e.message}`);
          if (e instanceof DTypeError) throw new DTypeError(`${what}: ${e.message}`);
          throw e;
        }
        owned.push(t);
      } else {
        throw new ValueError(`${what}: expected a Tensor or a nested array, received ${v === null ? 'null' : typeof v}`);
      }
      if (t.shape.length !== w.shape.length || t.shape.some((d, k) => d !== w.shape[k])) {
        throw new ShapeError(`${what} has shape ${fmtShape(w.shape)}, received ${fmtShape(t.shape)}`);
      }
      if (t.dtype !== w.dtype) throw new DTypeError(`${what} has dtype ${w.dtype}, received ${t.dtype}`);
      tensors.push(t);
    });
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
  return { tensors, owned };
}
