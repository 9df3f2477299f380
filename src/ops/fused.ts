/**
 * Running a fused elementwise program (ops/fused_builder.ts) on tensors: one call of the
 * backend's generic `fused` kernel where it has one, otherwise the same program run as the
 * composed unary/binary/where ops. Both compute the same numbers bit for bit (every instruction
 * rounds as its separate kernel does), so the program is the one source of truth and the kernel
 * changes speed only.
 *
 * Inputs broadcast to the output shape (the broadcast of all input shapes); each must have that
 * shape, or hold one element (a scalar), or be a row vector [last dimension] (a bias). All have
 * the same float dtype, which is the outputs' dtype.
 */
import type { FusedProgram } from '../backends/backend.js';
import { isFloat, type DType } from '../core/dtype.js';
import { allocTensor } from '../core/engine.js';
import { DTypeError, ShapeError, ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { broadcastShapes, shapesEqual, type Shape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { isRecording, withoutRecording } from '../autodiff/tape.js';
import { binary, broadcastView, cast, fill, onActiveBackend, unary, where } from './primitives.js';
import type { FusedFn } from './fused_builder.js';

export { defineFused, FusedBuilder, type Expr, type FloatLike, type FusedFn } from './fused_builder.js';

/** The checked inputs, their common dtype and the output shape. */
function prepare(fn: FusedFn, inputsIn: readonly Tensor[], params: readonly number[]): { xs: Tensor[]; dtype: DType; shape: Shape } {
  const p = fn.program;
  if (inputsIn.length !== p.inputs) throw new ValueError(`${fn.name}: expected ${p.inputs} tensor inputs, received ${inputsIn.length}`);
  if (params.length !== p.params) throw new ValueError(`${fn.name}: expected ${p.params} params, received ${params.length}`);
  params.forEach((v, i) => {
    if (typeof v !== 'number') throw new DTypeError(`${fn.name}: param ${i} must be a number, received ${fmtReceived(v)}`);
  });
  inputsIn.forEach((t, i) => t.assertAlive(`${fn.name}: input ${i}`));
  const xs = inputsIn.map((t) => onActiveBackend(t));
  const first = xs[0];
  const dtype: DType = first ? first.dtype : 'float32';
  let shape: Shape = first ? first.shape : [];
  xs.forEach((x, i) => {
    if (!isFloat(x.dtype)) throw new DTypeError(`${fn.name}: input ${i} must be float32 or float64, received ${x.dtype}`);
    if (x.dtype !== dtype) throw new DTypeError(`${fn.name}: input ${i} must have input 0's dtype ${dtype}, received ${x.dtype}`);
    // Most calls have equal shapes (a weight, its gradient, its state): no broadcast to work out.
    if (!shapesEqual(shape, x.shape)) shape = broadcastShapes(fn.name, shape, x.shape);
  });
  const cols = shape.length ? (shape[shape.length - 1] as number) : 1;
  xs.forEach((x, i) => {
    const ok = shapesEqual(x.shape, shape) || x.size === 1 || (x.rank === 1 && x.shape[0] === cols);
    if (!ok) throw new ShapeError(`${fn.name}: input ${i} must have the output shape ${fmtShape(shape)}, one element, or shape [${cols}]; received ${fmtShape(x.shape)}`);
  });
  return { xs, dtype, shape };
}

/** The program as composed ops (recorded by the tape when one is active). */
function composed(p: FusedProgram, xs: readonly Tensor[], params: readonly number[], dtype: DType): Tensor[] {
  const vals: Tensor[] = [];
  for (const ins of p.instrs) {
    const at = (k: number): Tensor => vals[k] as Tensor;
    switch (ins.kind) {
      case 'input':
        vals.push(xs[ins.index] as Tensor);
        break;
      case 'param':
        vals.push(fill([], params[ins.index] as number, dtype));
        break;
      case 'const':
        vals.push(fill([], ins.value, dtype));
        break;
      case 'unary':
        vals.push(unary(ins.op, at(ins.a)));
        break;
      case 'binary':
        vals.push(binary(ins.op, at(ins.a), at(ins.b)));
        break;
      case 'where': {
        const c = at(ins.cond);
        vals.push(where(c.dtype === 'bool' ? c : cast(c, 'bool'), at(ins.a), at(ins.b)));
        break;
      }
    }
  }
  // An output that is an input comes back as a view, so disposing it leaves the input alone.
  const outs = p.outputs.map((k) => (k < p.inputs ? cast(vals[k] as Tensor, dtype) : (vals[k] as Tensor)));
  if (!isRecording()) {
    const keep = new Set<Tensor>([...outs, ...xs]);
    for (const v of vals) if (!keep.has(v)) v.dispose();
  }
  return outs;
}

function kernel(fn: FusedFn, xs: readonly Tensor[], params: readonly number[], dtype: DType, shape: Shape): Tensor[] | null {
  const backend = xs[0]?.storage.backend;
  if (!backend?.fused) return null;
  const outs = fn.program.outputs.map(() => allocTensor(shape, dtype, fn.name));
  backend.fused(
    fn.program,
    xs.map((x) => broadcastView(x, shape)),
    params,
    outs.map((o) => o.storage.buf),
  );
  return outs;
}

/**
 * Runs `fn` on `inputs` and `params`, returning its outputs (new tensors). Under a gradient
 * tape it runs the composed ops, which the tape records (so the result is differentiable);
 * otherwise one kernel call where the backend has `fused`.
 */
export function runFused(fn: FusedFn, inputs: readonly Tensor[], params: readonly number[] = []): Tensor[] {
  const { xs, dtype, shape } = prepare(fn, inputs, params);
  if (isRecording()) return composed(fn.program, xs, params, dtype);
  return kernel(fn, xs, params, dtype, shape) ?? composed(fn.program, xs, params, dtype);
}

/**
 * As runFused, never recorded: for primitives that record themselves with a gradient rule of
 * their own (ops/primitives_fused.ts's biasRelu), which want the kernel under a tape too.
 */
export function runFusedUnrecorded(fn: FusedFn, inputs: readonly Tensor[], params: readonly number[] = []): Tensor[] {
  const { xs, dtype, shape } = prepare(fn, inputs, params);
  return kernel(fn, xs, params, dtype, shape) ?? withoutRecording(() => composed(fn.program, xs, params, dtype));
}

/** Runs `fn` and returns its single output. */
export function runFused1(fn: FusedFn, inputs: readonly Tensor[], params: readonly number[] = []): Tensor {
  return runFused(fn, inputs, params)[0] as Tensor;
}
