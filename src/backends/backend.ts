/**
 * The narrow interface every backend implements. Backends own memory (`alloc`/`free`/`write`/
 * `read`) and run a short, closed list of kernels. They know nothing about gradients, layers or
 * Keras: the autodiff engine sits above them and composes everything from these kernels.
 *
 * Every kernel writes into an `out` buffer the engine allocated with `alloc` (row-major,
 * contiguous). Inputs are `View`s: a buffer plus shape, strides and offset in elements, so
 * transposes, broadcasts (stride 0) and slices reach kernels without being copied. A backend
 * that wants contiguous inputs calls its own `copy` first; that is its choice, not the engine's.
 *
 * Reads are async because a WebGPU buffer can only be mapped asynchronously; `readSync` is
 * optional for backends whose memory is on the CPU (cpu, wasm, native).
 */
import type { DType, TypedArray } from '../core/dtype.js';
import type { FusedProgram } from './fused_program.js';
import type { PhiloxRange } from './philox.js';

export type { FusedInstr, FusedProgram } from './fused_program.js';
export type { PhiloxRange } from './philox.js';

/** An opaque handle to memory owned by one backend. */
export interface BackendBuffer {
  /** Name of the backend that owns it: handing it to another backend is an error. */
  readonly backend: string;
  /** Number of elements. */
  readonly size: number;
  readonly dtype: DType;
}

/** A strided window on a buffer: element (i0, i1, ...) is at offset + sum(ik * strides[k]). */
export interface View<B extends BackendBuffer = BackendBuffer> {
  readonly buf: B;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'tanh'
  | 'erf'
  | 'sigmoid'
  | 'floor'
  | 'logicalNot';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual'
  | 'logicalAnd'
  | 'logicalOr';

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
]);

/** argmax/argmin write int32 indices; the others write the input's dtype. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'prod' | 'argmax' | 'argmin';

export interface Backend<B extends BackendBuffer = BackendBuffer> {
  readonly name: string;
  supportsDType(dtype: DType): boolean;
  /**
   * The largest buffer `alloc` can ever provide, in bytes and in elements (wasm: what its 4 GiB
   * memory can hold; both built-in backends index elements with int32). The engine refuses a
   * bigger tensor before calling `alloc` (core/engine.ts checkTensorSize, docs/NUMERICS.md).
   * Absent: no limit but the engine's own (setMaxTensorBytes).
   */
  readonly maxBufferBytes?: number;
  readonly maxElements?: number;

  // ---- memory
  alloc(size: number, dtype: DType): B;
  free(buf: B): void;
  /** Copies `data` (same dtype, same size) into the buffer. */
  write(buf: B, data: TypedArray): void;
  /** Resolves to a copy of the buffer's contents. */
  read(buf: B): Promise<TypedArray>;
  /** Synchronous read, for backends whose memory the CPU can see. */
  readSync?(buf: B): TypedArray;
  /** Live buffers this backend holds, for leak tests. */
  liveBuffers(): number;

  // ---- kernels (out is contiguous, allocated by the caller, sized to the output shape)
  fill(out: B, value: number): void;
  /** Copies a strided view into a strided window of another buffer (same shape). */
  copy(src: View<B>, dst: View<B>): void;
  cast(x: View<B>, out: B): void;
  unary(op: UnaryOp, x: View<B>, out: B): void;
  /** a and b are already broadcast to the output shape (stride 0 on broadcast dimensions). */
  binary(op: BinaryOp, a: View<B>, b: View<B>, out: B): void;
  /** cond, a and b already broadcast to the output shape. */
  where(cond: View<B>, a: View<B>, b: View<B>, out: B): void;
  /** Reduces the last `axes` dimensions of x; out has x.shape minus those dimensions. */
  reduce(op: ReduceOp, x: View<B>, axes: number, out: B): void;
  /**
   * Batched matrix product: a is [batch, m, k], b is [batch, k, n] (batch may be broadcast with
   * stride 0), out is [batch, m, n]. A transposed operand arrives as a view whose row stride is
   * 1: kernels read it in place, no transpose is materialized.
   */
  matmul(a: View<B>, b: View<B>, out: B): void;
  /**
   * x viewed as [outer, n, inner], indices int32 of `count` elements, each in [0, n):
   * out[o, j, i] = x[o, indices[j], i]. Out is [outer, count, inner].
   */
  gather(x: View<B>, indices: View<B>, out: B): void;
  /**
   * The adjoint of gather: updates is [outer, count, inner]; out ([outer, n, inner]) is
   * zeroed first, then out[o, indices[j], i] += updates[o, j, i].
   */
  scatterAdd(updates: View<B>, indices: View<B>, out: B): void;

  // ---- optional random kernel (ops/random_counter.ts writes the same numbers from the host without it)
  /**
   * Philox4x32-10 uniforms (backends/philox.ts): out[i] = minval + width·(w_i >>> 8)·2^-24,
   * computed in float64 and rounded to out's dtype (float32 or float64), where w_i is word
   * `range.skip + i` of the range's blocks. Bit for bit what Generator.fillUniform writes for
   * the same generator state; the conformance suite checks it against the host generator.
   */
  randomUniform?(out: B, range: PhiloxRange, minval: number, width: number): void;

  // ---- optional fused kernels (ops/fused.ts and ops/primitives_softmax.ts compose the plain kernels without them)
  /**
   * The generic fused elementwise kernel: runs `program` (fused_program.ts) over every element
   * of the output shape in one pass, writing outs[k] (contiguous, the program's dtype, float32
   * or float64) from the program's k-th output value. `inputs` are views already broadcast to
   * the output shape, as binary's operands are (stride 0 on broadcast dimensions), each of the
   * program's dtype. Every view must work; the layouts worth a fast path are: contiguous, a
   * scalar (every stride 0) and a row vector broadcast over rows (a bias: strides 0 except the
   * last, which is 1). `params` are the program's scalar parameters, rounded to the dtype.
   */
  fused?(program: FusedProgram, inputs: readonly View<B>[], params: readonly number[], outs: readonly B[]): void;
  /**
   * True when `fused` may write an output over one of its inputs that is dense, at offset 0 and
   * of the output's size: every element's inputs are read before its outputs are written. A
   * captured step (capture/replay.ts) then updates a weight or an optimizer slot in place
   * instead of into a second buffer: the same values, with one buffer less in the cache.
   */
  readonly fusedInPlace?: boolean;
  /**
   * A product and a fused program over it in one call: out = program(a·b, ...inputs), where
   * a·b is `matmul(a, b, out)`'s product ([batch, m, n], contiguous, float) and the program's
   * input 0 is that product (`inputs` are its other inputs, broadcast to [batch, m, n] as
   * `fused`'s are). The same values as `matmul(a, b, out)` followed by `fused(program,
   * [out, ...inputs], params, [out])`, bit for bit: a backend runs the program on each block of
   * the product as soon as the block is final (an epilogue: the block is still in cache, and
   * the threads that computed it do it). Programs with one output. (ops/primitives_linear.ts)
   */
  matmulFused?(a: View<B>, b: View<B>, program: FusedProgram, inputs: readonly View<B>[], params: readonly number[], out: B): void;
  /**
   * Softmax over the rows of x, contiguous [rows, cols] (view shape): z = x − max (0 when the
   * max is infinite), out = exp(z) / Σ exp(z). Float dtypes. (ops/primitives_softmax.ts)
   */
  softmax?(x: View<B>, out: B): void;
  /** Softmax's backward pass from its output y: dx = y·(dy − Σ_row dy·y); dy, y contiguous [rows, cols]. */
  softmaxGrad?(dy: View<B>, y: View<B>, dx: B): void;
  /**
   * Per-row sparse cross-entropy of p, contiguous [rows, cols], against int32 labels [rows]
   * (in range, checked by the caller): on probabilities −log(clip(p[label]/Σp, lo, hi)), on
   * logits log Σ exp(z) − z[label] with z = p − max. out: [rows].
   */
  sparseCrossentropy?(p: View<B>, labels: View<B>, out: B, fromLogits: boolean, lo: number, hi: number): void;
  /** The gradient of sparseCrossentropy with respect to p, given dl [rows] (contiguous). */
  sparseCrossentropyGrad?(dl: View<B>, p: View<B>, labels: View<B>, dp: B, fromLogits: boolean, lo: number, hi: number): void;
}
