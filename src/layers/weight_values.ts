/**
 * Reading and writing a layer's (or model's) weights as plain values: Layer.getWeights and
 * Layer.setWeights, which Model inherits (its `weights` list is its layers', each once).
 *
 * setWeights checks every value before it assigns any, so a bad value leaves all the weights
 * as they were. A value of another dtype is converted when that changes no element (a float32
 * 3 into Normalization's int32 `count`, as NumPy arrays go into Keras's set_weights);
 * otherwise it is a DTypeError naming the weight and the first element that would change.
 */
import { isFloat, toTypedArray } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, type Variable } from '../core/tensor.js';
import { tensor } from '../ops/creation.js';
import { copy } from '../ops/movement.js';

/** Copies of the weights' values, in order (the caller owns them). */
export function readWeights(weights: readonly Variable[]): Tensor[] {
  return weights.map((w) => copy(w));
}

/** Throws a ShapeError unless `value` has the weight's shape. */
export function checkWeightShape(op: string, weight: Variable, value: Tensor): void {
  if (!shapesEqual(value.shape, weight.shape)) {
    throw new ShapeError(`${op}: weight "${weight.name}" has shape ${fmtShape(weight.shape)}, received ${fmtShape(value.shape)}`);
  }
}

/** `value` in the weight's dtype: itself when the dtypes agree, else an exact conversion (a new tensor). */
function inWeightDtype(op: string, weight: Variable, value: Tensor): Tensor {
  if (value.dtype === weight.dtype) return value;
  const refuse = (why: string): never => {
    throw new DTypeError(`${op}: weight "${weight.name}" has dtype ${weight.dtype}, received ${value.dtype}${why}`);
  };
  if (!value.storage.backend.readSync) refuse(`; converting needs a synchronous read, which backend "${value.storage.backend.name}" lacks`);
  const src = value.dataSync();
  const dst = toTypedArray(weight.dtype, src);
  for (let i = 0; i < src.length; i++) {
    const a = src[i] as number;
    const b = dst[i] as number;
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) {
      const which = isFloat(weight.dtype) ? '' : weight.dtype === 'bool' ? ' (only 0 and 1 convert to bool)' : ' (only integers in range convert to int32)';
      refuse(` values; element ${i} (${a}) has no exact ${weight.dtype} equivalent${which}`);
    }
  }
  return tensor(dst, value.shape, weight.dtype);
}

/**
 * Sets each weight to the value at its index. Every value is checked (and converted) first;
 * only then are they assigned, so an error changes no weight.
 */
export function assignWeights(who: string, weights: readonly Variable[], values: readonly Tensor[]): void {
  const op = 'setWeights';
  if (!Array.isArray(values)) throw new ValueError(`${op}: ${who} expects an array of tensors, received ${values === null ? 'null' : typeof values}`);
  if (values.length !== weights.length) throw new ValueError(`${op}: ${who} has ${weights.length} weights, received ${values.length}`);
  const ready: Tensor[] = [];
  try {
    weights.forEach((w, i) => {
      const v: unknown = values[i];
      if (!(v instanceof Tensor)) throw new ValueError(`${op}: ${who} expects a Tensor for weight "${w.name}" (index ${i}), received ${v === null ? 'null' : typeof v}`);
      v.assertAlive(`${op} (weight "${w.name}")`);
      checkWeightShape(op, w, v);
      ready.push(inWeightDtype(op, w, v));
    });
    weights.forEach((w, i) => w.assign(ready[i] as Tensor));
  } finally {
    ready.forEach((r, i) => {
      if (r !== values[i]) r.dispose();
    });
  }
}
