/**
 * Reading and writing a layer's (or model's) weights as plain values: Layer.getWeights and
 * Layer.setWeights, which Model inherits (its `weights` list is its layers', each once).
 *
 * setWeights is all or nothing: every value is checked (count, kind, liveness, shape, dtype)
 * before the first is assigned, so a call that fails on the fourth value leaves the first
 * three weights as they were. A value is a Tensor or a nested JS array of the weight's shape
 * (`[[1, 2], [3, 4]]` for a [2, 2] kernel, converted as `tensor(...)` converts it). A value of
 * another dtype is converted when that changes no element (a float32 3 into Normalization's
 * int32 `count`, as NumPy arrays go into Keras's set_weights); otherwise it is a DTypeError
 * naming the weight, its index and the first element that would change. Nothing is rounded
 * silently: a nested 2.5 for an int32 weight is refused too.
 */
import { isFloat, toTypedArray, type DType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, type NestedArray, type Variable } from '../core/tensor.js';
import { tensor } from '../ops/creation.js';
import { copy } from '../ops/movement.js';

/** What setWeights accepts for one weight. */
export type WeightValue = Tensor | NestedArray;

/** Copies of the weights' values, in order (the caller owns them). */
export function readWeights(weights: readonly Variable[]): Tensor[] {
  return weights.map((w) => copy(w));
}

/** Throws a ShapeError unless `value` has the weight's shape; `what` names the weight. */
export function checkWeightShape(op: string, weight: Variable, value: Tensor, what = `${op}: weight "${weight.name}"`): void {
  if (!shapesEqual(value.shape, weight.shape)) {
    throw new ShapeError(`${what} has shape ${fmtShape(weight.shape)}, received ${fmtShape(value.shape)}`);
  }
}

/** Why a value has no exact equivalent in `dtype` (appended to the message). */
function onlyWhich(dtype: DType): string {
  return isFloat(dtype) ? '' : dtype === 'bool' ? ' (only 0 and 1 convert to bool)' : ' (only integers in range convert to int32)';
}

/** `value` in the weight's dtype: itself when the dtypes agree, else an exact conversion (a new tensor). */
function inWeightDtype(what: string, weight: Variable, value: Tensor): Tensor {
  if (value.dtype === weight.dtype) return value;
  const refuse = (why: string): never => {
    throw new DTypeError(`${what} has dtype ${weight.dtype}, received ${value.dtype}${why}`);
  };
  if (!value.storage.backend.readSync) refuse(`; converting needs a synchronous read, which backend "${value.storage.backend.name}" lacks`);
  const src = value.dataSync();
  const dst = toTypedArray(weight.dtype, src);
  for (let i = 0; i < src.length; i++) {
    const a = src[i] as number;
    const b = dst[i] as number;
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) refuse(` values; element ${i} (${a}) has no exact ${weight.dtype} equivalent${onlyWhich(weight.dtype)}`);
  }
  return tensor(dst, value.shape, weight.dtype);
}

/** Whether a JS number (or boolean) of a nested array is held exactly by an integer dtype. */
function exactIn(dtype: DType, v: number | boolean): boolean {
  if (typeof v === 'boolean' || isFloat(dtype)) return true;
  if (dtype === 'bool') return v === 0 || v === 1;
  return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
}

/** The first leaf of a nested array that `dtype` cannot hold exactly, with its path (`[1][0]`), or null. */
function firstInexact(dtype: DType, v: NestedArray, path = ''): { path: string; value: number } | null {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = firstInexact(dtype, v[i] as NestedArray, `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  return typeof v === 'number' && !exactIn(dtype, v) ? { path, value: v } : null;
}

/** A nested array (or a plain number) as a tensor of the weight's dtype, refused unless exact. */
function fromNested(what: string, weight: Variable, v: NestedArray): Tensor {
  // Checked before tensor(), which refuses such values too but without naming the weight.
  const bad = firstInexact(weight.dtype, v);
  if (bad !== null) {
    const got = bad.path === '' ? `${bad.value}, which has` : `a nested array; element ${bad.path} (${bad.value}) has`;
    throw new DTypeError(`${what} has dtype ${weight.dtype}, received ${got} no exact ${weight.dtype} equivalent${onlyWhich(weight.dtype)}`);
  }
  try {
    return tensor(v, undefined, weight.dtype);
  } catch (e) {
    // Ragged or non-numeric nested arrays: the same error, saying which weight it was.
    if (e instanceof ShapeError) throw new ShapeError(`${what}: ${e.message}`);
    if (e instanceof DTypeError) throw new DTypeError(`${what}: ${e.message}`);
    throw e;
  }
}

/**
 * Sets each weight to the value at its index. Every value is checked (and converted) first;
 * only then are they assigned, so an error changes no weight. `who` names the layer or model
 * (`Dense "d"`, `Sequential "net"`); tensors made here are freed before returning.
 */
export function assignWeights(who: string, weights: readonly Variable[], values: readonly WeightValue[]): void {
  const op = 'setWeights';
  if (!Array.isArray(values)) throw new ValueError(`${op}: ${who} expects an array of ${weights.length} values (Tensors or nested arrays), received ${fmtReceived(values)}`);
  if (values.length !== weights.length) throw new ValueError(`${op}: ${who} has ${weights.length} weights, received ${values.length}`);
  const ready: Tensor[] = []; // one per weight, in the weight's dtype
  const owned: Tensor[] = []; // those made here (from nested arrays, by conversion): freed below
  try {
    weights.forEach((w, i) => {
      const v: unknown = values[i];
      const what = `${op}: weight ${i} ("${w.name}")`;
      let t: Tensor;
      if (v instanceof Tensor) {
        v.assertAlive(what);
        t = v;
      } else if (typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v)) {
        t = fromNested(what, w, v as NestedArray);
        owned.push(t);
      } else {
        throw new ValueError(`${what}: expected a Tensor or a nested array, received ${fmtReceived(v)}`);
      }
      checkWeightShape(op, w, t, what);
      const converted = inWeightDtype(what, w, t);
      if (converted !== t) owned.push(converted);
      ready.push(converted);
    });
    weights.forEach((w, i) => w.assign(ready[i] as Tensor));
  } finally {
    for (const t of owned) t.dispose();
  }
}
