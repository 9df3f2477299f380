/**
 * The closed set of primitive ops: with primitives_movement.ts, the only code that calls a
 * backend kernel. Every other op is composed from these, so it needs no backend work and no
 * gradient rule of its own. Each primitive records itself on the tape (autodiff/tape.ts); its
 * gradient rule lives in autodiff/rules.ts.
 */
import { COMPARISON_OPS, type Backend, type BinaryOp, type ReduceOp, type UnaryOp, type View } from '../backends/backend.js';
import { DTYPES, type DType, type TypedArray, dtypeOfArray, isDType, isFloat, toTypedArray } from '../core/dtype.js';
import { allocTensor, getBackend } from '../core/engine.js';
import { DTypeError, ShapeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { broadcastShapes, checkShape, contiguousStrides, isContiguous, normalizeAxes, shapesEqual, sizeOf, type Shape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/tape.js';
import { axesArg, axisArg, boolArg, checkIntegerFor, checkNumeric, dtypeArg, shapeArg, tensorArg, tensorLikeArg } from './args.js';

export type TensorLike = Tensor | number;

// ---------------------------------------------------------------- creation

/** A tensor from a typed array or plain numbers, on the active backend. */
export function fromValues(values: TypedArray | ArrayLike<number>, shape: Shape, dtype?: DType): Tensor {
  checkShape('tensor', shape);
  const dt: DType = dtype ?? (ArrayBuffer.isView(values) ? dtypeOfArray(values as TypedArray) : 'float32');
  if (!isDType(dt)) throw new DTypeError(`tensor: unknown dtype ${JSON.stringify(dt)}; expected one of ${DTYPES.join(', ')}`);
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(`tensor: shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, received ${values.length}`);
  }
  const data = ArrayBuffer.isView(values) && dtypeOfArray(values as TypedArray) === dt ? (values as TypedArray) : toTypedArray(dt, values);
  const t = allocTensor(shape, dt, 'tensor');
  t.storage.backend.write(t.storage.buf, data);
  return t;
}

export function fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  checkShape('fill', shape);
  if (typeof value !== 'number') throw new DTypeError(`fill: value must be a number, received ${fmtReceived(value)}`);
  const t = allocTensor(shape, dtype, 'fill');
  // A bool buffer holds only 0 and 1: nonzero (NaN included) is true, as toTypedArray says.
  t.storage.backend.fill(t.storage.buf, dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
  return t;
}

/** A scalar in the dtype of the tensor it is combined with. */
export function scalarLike(value: number, like: Tensor): Tensor {
  return fill([], value, like.dtype);
}

/** A Tensor argument (moved to the active backend) or a number made a scalar of `like`'s dtype. */
function asTensor(x: TensorLike, like: Tensor | null, op: string, arg: string): Tensor {
  const v = tensorLikeArg(op, arg, x);
  if (v instanceof Tensor) return onActiveBackend(v);
  if (like) checkIntegerFor(op, arg, v, like);
  return fill([], v, like?.dtype ?? 'float32');
}

/** A Tensor argument (numbers refused), moved to the active backend. */
function tensorIn(x: Tensor, op: string, arg: string): Tensor {
  return onActiveBackend(tensorArg(op, arg, x));
}

/** Moves a tensor made under another backend to the active one (a copy through the CPU). */
export function onActiveBackend(x: Tensor): Tensor {
  const b = getBackend();
  if (x.storage.backend === b) return x;
  const src = x.dataSync();
  const t = allocTensor(x.shape, x.dtype, 'onActiveBackend', b);
  b.write(t.storage.buf, src);
  return t;
}

/** @internal A view tensor sharing x's storage. */
export function makeView(x: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  return new Tensor(x.storage, shape, x.dtype, strides, offset);
}

/** x viewed with the given shape via broadcasting (stride 0 where it is stretched); no record. */
export function broadcastView(x: Tensor, shape: Shape): View {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(0);
  for (let i = 0; i < x.rank; i++) {
    const d = x.shape[x.rank - 1 - i] as number;
    strides[rank - 1 - i] = d === 1 ? 0 : (x.strides[x.rank - 1 - i] as number);
  }
  return { buf: x.storage.buf, shape, strides, offset: x.offset };
}

function backendOf(...xs: Tensor[]): Backend {
  return (xs[0] as Tensor).storage.backend;
}

// ---------------------------------------------------------------- elementwise

export function unary(op: UnaryOp, xIn: TensorLike): Tensor {
  const x = asTensor(xIn, null, op, 'x');
  if (op === 'logicalNot') {
    if (x.dtype !== 'bool') throw new DTypeError(`logicalNot: x must be bool, received ${x.dtype}`);
  } else if (x.dtype === 'bool') {
    throw new DTypeError(`${op}: x must be numeric, received a bool tensor`);
  } else if (!isFloat(x.dtype) && !['neg', 'abs', 'sign'].includes(op)) {
    throw new DTypeError(`${op}: x must be float32 or float64, received ${x.dtype}`);
  }
  const out = allocTensor(x.shape, x.dtype, op);
  backendOf(x).unary(op, x.view(), out.storage.buf);
  record('unary', [x], out, { op });
  return out;
}

export function binary(op: BinaryOp, aIn: TensorLike, bIn: TensorLike): Tensor {
  const aT = aIn instanceof Tensor ? aIn : null;
  const bT = bIn instanceof Tensor ? bIn : null;
  const a = asTensor(aIn, bT, op, 'a');
  const b = asTensor(bIn, aT ?? a, op, 'b');
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: a and b must have the same dtype, received ${a.dtype} and ${b.dtype}`);
  }
  const logical = op === 'logicalAnd' || op === 'logicalOr';
  // equal/notEqual compare any dtype (bool masks included); logical ops need bool; the rest
  // (arithmetic, ordering) need numbers.
  const anyDType = op === 'equal' || op === 'notEqual';
  if (!anyDType && logical !== (a.dtype === 'bool')) {
    throw new DTypeError(`${op}: expects ${logical ? 'bool' : 'numeric'} tensors, received ${a.dtype}`);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocTensor(shape, COMPARISON_OPS.has(op) ? 'bool' : a.dtype, op);
  backendOf(a).binary(op, broadcastView(a, shape), broadcastView(b, shape), out.storage.buf);
  record('binary', [a, b], out, { op });
  return out;
}

/** Elementwise choice: cond ? a : b, all three broadcast together. */
export function where(condIn: Tensor, aIn: TensorLike, bIn: TensorLike): Tensor {
  const cond = tensorIn(condIn, 'where', 'condition');
  if (cond.dtype !== 'bool') throw new DTypeError(`where: condition must be bool, received ${cond.dtype}`);
  const aT = aIn instanceof Tensor ? aIn : null;
  const bT = bIn instanceof Tensor ? bIn : null;
  const a = asTensor(aIn, bT, 'where', 'a');
  const b = asTensor(bIn, aT ?? a, 'where', 'b');
  if (a.dtype !== b.dtype) throw new DTypeError(`where: a and b must have the same dtype, received ${a.dtype} and ${b.dtype}`);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape);
  const out = allocTensor(shape, a.dtype, 'where');
  backendOf(a).where(broadcastView(cond, shape), broadcastView(a, shape), broadcastView(b, shape), out.storage.buf);
  record('where', [cond, a, b], out, {});
  return out;
}

export function cast(xIn: Tensor, dtypeIn: DType): Tensor {
  const x = tensorIn(xIn, 'cast', 'x');
  const dtype = dtypeArg('cast', 'dtype', dtypeIn);
  let out: Tensor;
  if (x.dtype === dtype) {
    // A new view rather than x itself: the caller may dispose the result without disposing x.
    out = makeView(x, x.shape, x.strides, x.offset);
  } else {
    out = allocTensor(x.shape, dtype, 'cast');
    backendOf(x).cast(x.view(), out.storage.buf);
  }
  record('cast', [x], out, { dtype });
  return out;
}

// ---------------------------------------------------------------- reductions

/**
 * Reduces over `axis` (all axes when undefined). The input is viewed with the reduced axes
 * last, which is what the backend kernel expects; no data moves.
 */
export function reduce(op: ReduceOp, xIn: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const x = checkNumeric(op, 'x', tensorIn(xIn, op, 'x'));
  const axes = axesArg(op, 'axis', axis, x.rank);
  boolArg(op, 'keepDims', keepDims);
  for (const ax of axes) {
    if (x.shape[ax] === 0 && op !== 'sum' && op !== 'prod') {
      throw new ShapeError(`${op}: cannot reduce over axis ${ax} of size 0 (shape ${fmtShape(x.shape)})`);
    }
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const v: View = {
    buf: x.storage.buf,
    shape: perm.map((i) => x.shape[i] as number),
    strides: perm.map((i) => x.strides[i] as number),
    offset: x.offset,
  };
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept.map((i) => x.shape[i] as number);
  const out = allocTensor(outShape, op === 'argmax' || op === 'argmin' ? 'int32' : x.dtype, op);
  backendOf(x).reduce(op, v, axes.length, out.storage.buf);
  record('reduce', [x], out, { op, axes, keepDims });
  return out;
}

// ---------------------------------------------------------------- matmul

/**
 * Merges a view's leading (batch) dimensions into one, when its strides allow it without a
 * copy. Returns null when they do not.
 */
function mergeBatch(shape: readonly number[], strides: readonly number[]): [number, number] | null {
  let size = 1;
  let stride = 0;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    if (d === 1) continue;
    const s = strides[i] as number;
    if (size === 1) {
      size = d;
      stride = s;
    } else if (s === stride * size || (s === 0 && stride === 0)) {
      size *= d;
    } else {
      return null;
    }
  }
  return [size, stride];
}

/** The [batch, rows, cols] view of an operand whose batch dimensions mergeBatch accepts. */
export function as3d(x: Tensor, batchShape: number[], rows: number, cols: number, transposed: boolean): View {
  const fullShape = [...batchShape, ...x.shape.slice(-2)];
  const v = broadcastView(x, fullShape);
  const [bs, bstride] = mergeBatch(batchShape, v.strides.slice(0, batchShape.length)) ?? [1, 0];
  const rowStride = v.strides[fullShape.length - 2] as number;
  const colStride = v.strides[fullShape.length - 1] as number;
  const strides = transposed ? [bstride, colStride, rowStride] : [bstride, rowStride, colStride];
  return { buf: v.buf, shape: [bs, rows, cols], strides, offset: v.offset };
}

/**
 * Matrix product over the last two dimensions, with NumPy-style broadcasting of the batch
 * dimensions. transposeA / transposeB read the operand transposed in place.
 */
export function matmul(aIn: Tensor, bIn: Tensor, transposeA = false, transposeB = false): Tensor {
  const a = tensorIn(aIn, 'matmul', 'a');
  const b = tensorIn(bIn, 'matmul', 'b');
  boolArg('matmul', 'transposeA', transposeA);
  boolArg('matmul', 'transposeB', transposeB);
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(`matmul: a and b must have rank >= 2, received a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`);
  }
  if (a.dtype !== b.dtype) throw new DTypeError(`matmul: a and b must have the same dtype, received ${a.dtype} and ${b.dtype}`);
  if (!isFloat(a.dtype)) throw new DTypeError(`matmul: expects float tensors, received ${a.dtype}`);
  const am = a.shape[a.rank - (transposeA ? 1 : 2)] as number;
  const ak = a.shape[a.rank - (transposeA ? 2 : 1)] as number;
  const bk = b.shape[b.rank - (transposeB ? 1 : 2)] as number;
  const bn = b.shape[b.rank - (transposeB ? 2 : 1)] as number;
  if (ak !== bk) {
    const ta = transposeA ? ' (transposed)' : '';
    const tb = transposeB ? ' (transposed)' : '';
    throw new ShapeError(`matmul: inner dimensions differ: a${ta} is ${fmtShape(a.shape)}, b${tb} is ${fmtShape(b.shape)}`);
  }
  const batchShape = broadcastShapes('matmul (batch dimensions)', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const temps: Tensor[] = [];
  const ensureMergeable = (x: Tensor): Tensor => {
    const full = [...batchShape, ...x.shape.slice(-2)];
    const v = broadcastView(x, full);
    if (mergeBatch(batchShape, v.strides.slice(0, batchShape.length))) return x;
    const tmp = allocTensor(full, x.dtype, 'matmul');
    backendOf(x).copy(v, tmp.view());
    temps.push(tmp);
    return tmp;
  };
  const a2 = ensureMergeable(a);
  const b2 = ensureMergeable(b);
  const out = allocTensor([...batchShape, am, bn], a.dtype, 'matmul');
  backendOf(a).matmul(as3d(a2, batchShape, am, ak, transposeA), as3d(b2, batchShape, bk, bn, transposeB), out.storage.buf);
  for (const t of temps) t.dispose();
  record('matmul', [a, b], out, { transposeA, transposeB });
  return out;
}

// ---------------------------------------------------------------- gather / scatter

/** Splits a shape around an axis into the [outer, n, inner] the gather kernels use. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis] as number, sizeOf(shape.slice(axis + 1))];
}

function contiguousOrCopy(x: Tensor, temps: Tensor[], op: string): Tensor {
  if (isContiguous(x.shape, x.strides)) return x;
  const tmp = allocTensor(x.shape, x.dtype, op);
  backendOf(x).copy(x.view(), tmp.view());
  temps.push(tmp);
  return tmp;
}

function checkIndices(op: string, indices: Tensor, n: number): void {
  if (indices.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, received ${indices.dtype}`);
  const vals = indices.dataSync();
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i] as number;
    if (v < 0 || v >= n) {
      throw new ValueError(`${op}: indices must be in [0, ${n}), received ${v} at position ${i}`);
    }
  }
}

/** Takes slices of x along `axis` at the given int32 indices. */
export function gather(xIn: Tensor, indicesIn: Tensor, axis = 0): Tensor {
  return gatherImpl(xIn, indicesIn, axis, true);
}

/**
 * gather for indices the caller made in range itself (fit's per-batch slice of the epoch's
 * permutation): the indices are not read back to the host, which would be one sync per call;
 * the backends still reject an out-of-range index (BackendError). Internal, not re-exported.
 */
export function gatherInRange(xIn: Tensor, indicesIn: Tensor, axis = 0): Tensor {
  return gatherImpl(xIn, indicesIn, axis, false);
}

function gatherImpl(xIn: Tensor, indicesIn: Tensor, axis: number, hostCheck: boolean): Tensor {
  const x = tensorIn(xIn, 'gather', 'x');
  const indices = tensorIn(indicesIn, 'gather', 'indices');
  const ax = axisArg('gather', 'axis', axis, x.rank);
  const [outer, n, inner] = around(x.shape, ax);
  if (hostCheck) checkIndices('gather', indices, n);
  else if (indices.dtype !== 'int32') throw new DTypeError(`gather: indices must be int32, received ${indices.dtype}`);
  const temps: Tensor[] = [];
  const xc = contiguousOrCopy(x, temps, 'gather');
  const outShape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  const out = allocTensor(outShape, x.dtype, 'gather');
  const xv: View = { buf: xc.storage.buf, shape: [outer, n, inner], strides: [n * inner, inner, 1], offset: xc.offset };
  backendOf(x).gather(xv, indices.view(), out.storage.buf);
  for (const t of temps) t.dispose();
  record('gather', [x, indices], out, { axis: ax });
  return out;
}

/**
 * The adjoint of gather: a tensor of `shape` (zeros) to which each slice of `updates` is
 * added at its index along `axis`. Repeated indices accumulate.
 */
export function scatterAdd(updatesIn: Tensor, indicesIn: Tensor, shapeIn: Shape, axis = 0): Tensor {
  return scatterAddImpl(updatesIn, indicesIn, shapeIn, axis, true);
}

/**
 * scatterAdd for indices already checked: gather's gradient, whose indices the forward gather
 * checked (or fit made in range), reads nothing back. The backends still reject an
 * out-of-range index (BackendError). Internal, not re-exported.
 */
export function scatterAddInRange(updatesIn: Tensor, indicesIn: Tensor, shapeIn: Shape, axis = 0): Tensor {
  return scatterAddImpl(updatesIn, indicesIn, shapeIn, axis, false);
}

function scatterAddImpl(updatesIn: Tensor, indicesIn: Tensor, shapeIn: Shape, axis: number, hostCheck: boolean): Tensor {
  const updates = checkNumeric('scatterAdd', 'updates', tensorIn(updatesIn, 'scatterAdd', 'updates'));
  const indices = tensorIn(indicesIn, 'scatterAdd', 'indices');
  const shape = shapeArg('scatterAdd', 'shape', shapeIn);
  const ax = axisArg('scatterAdd', 'axis', axis, shape.length);
  const [outer, n, inner] = around(shape, ax);
  const expected = [...shape.slice(0, ax), ...indices.shape, ...shape.slice(ax + 1)];
  if (!shapesEqual(updates.shape, expected)) {
    throw new ShapeError(`scatterAdd: updates must have shape ${fmtShape(expected)}, received ${fmtShape(updates.shape)}`);
  }
  if (hostCheck) checkIndices('scatterAdd', indices, n);
  else if (indices.dtype !== 'int32') throw new DTypeError(`scatterAdd: indices must be int32, received ${indices.dtype}`);
  const out = allocTensor(shape, updates.dtype, 'scatterAdd');
  const uv: View = {
    buf: updates.storage.buf,
    shape: [outer, indices.size, inner],
    strides: contiguousStrides([outer, indices.size, inner]),
    offset: updates.offset,
  };
  const temps: Tensor[] = [];
  const uc = contiguousOrCopy(updates, temps, 'scatterAdd');
  backendOf(updates).scatterAdd({ ...uv, buf: uc.storage.buf, offset: uc.offset }, indices.view(), out.storage.buf);
  for (const t of temps) t.dispose();
  record('scatterAdd', [updates, indices], out, { axis: ax });
  return out;
}

