/**
 * The tape: while a gradient is being taken, every primitive whose inputs depend on a watched
 * tensor appends a node here. Nodes are appended in execution order, which is a topological
 * order, so the backward pass simply walks them in reverse.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../backends/backend.js';
import { Tensor, Variable } from '../core/tensor.js';
import type { DType } from '../core/dtype.js';

/** Every primitive and the attributes its gradient rule needs. rules.ts maps over these keys. */
export interface PrimitiveAttrs {
  unary: { op: UnaryOp };
  binary: { op: BinaryOp };
  where: Record<string, never>;
  reduce: { op: ReduceOp; axes: number[]; keepDims: boolean };
  matmul: { transposeA: boolean; transposeB: boolean };
  cast: { dtype: DType };
  reshape: Record<string, never>;
  transpose: { perm: number[] };
  broadcastTo: Record<string, never>;
  slice: { begin: number[] };
  concat: { axis: number };
  pad: { paddings: [number, number][] };
  gather: { axis: number };
  scatterAdd: { axis: number };
  copy: Record<string, never>;
  /** relu(z + bias) (ops/primitives_fused.ts); inputs [z] or [z, bias]. */
  biasRelu: Record<string, never>;
  /** act(x·W + b) (ops/primitives_linear.ts); inputs [x, W] or [x, W, b]; relu, or the identity with a bias. */
  linear: { relu: boolean };
  /** Softmax over the last axis (ops/primitives_softmax.ts); inputs [x]. */
  softmax: Record<string, never>;
  /** Per-row sparse cross-entropy (ops/primitives_softmax.ts); inputs [yPred, int32 labels]. */
  sparseCrossentropy: { fromLogits: boolean };
  /** A composite with a gradient of its own (customGrad): the closure is its rule. */
  custom: { vjp: (dy: Tensor) => (Tensor | null)[] };
}

export type PrimitiveName = keyof PrimitiveAttrs;

export interface TapeNode<K extends PrimitiveName = PrimitiveName> {
  kind: K;
  inputs: Tensor[];
  output: Tensor;
  attrs: PrimitiveAttrs[K];
}

export class Tape {
  readonly watched = new Set<number>();
  readonly nodes: TapeNode[] = [];
  /**
   * Snapshot id -> the Variable it stands for. A node never holds a Variable itself: a Variable
   * can be assigned between the forward and the backward pass (inside f, say), and a rule that
   * read it then would see the new value. Nodes hold an immutable view of the value the op
   * actually read, and gradients reaching that view are credited to the Variable.
   */
  readonly aliases = new Map<number, Variable>();
  /** The current snapshot of each Variable, reused while its storage is unchanged. */
  private readonly snapshots = new Map<number, Tensor>();

  /** The tensor a node should hold for input x. */
  snapshot(x: Tensor): Tensor {
    if (!(x instanceof Variable)) return x;
    const prev = this.snapshots.get(x.id);
    if (prev && prev.storage === x.storage && prev.offset === x.offset) return prev;
    const s = new Tensor(x.storage, x.shape, x.dtype, x.strides, x.offset);
    this.snapshots.set(x.id, s);
    this.aliases.set(s.id, x);
    return s;
  }

  /** The tensor gradients reaching x belong to (the Variable behind a snapshot, or x). */
  owner(x: Tensor): Tensor {
    return this.aliases.get(x.id) ?? x;
  }
}

const tapes: Tape[] = [];
let paused = 0;

export function pushTape(t: Tape): void {
  tapes.push(t);
}

export function popTape(t: Tape): void {
  const i = tapes.lastIndexOf(t);
  if (i >= 0) tapes.splice(i, 1);
}

/** Lets go of the tensors a finished tape's nodes held (see Tensor.tapeHolds). */
export function releaseTape(t: Tape): void {
  for (const node of t.nodes) {
    for (const x of node.inputs) x.tapeHolds--;
    node.output.tapeHolds--;
  }
  t.nodes.length = 0;
}

/** True when some tape would record an op on these inputs: lets ops skip saving work. */
export function isRecording(): boolean {
  return paused === 0 && tapes.length > 0;
}

/** Runs fn with recording off (the backward pass itself, stopGradient, customGrad bodies). */
export function withoutRecording<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

export function record<K extends PrimitiveName>(kind: K, inputs: Tensor[], output: Tensor, attrs: PrimitiveAttrs[K]): void {
  if (paused > 0 || tapes.length === 0) return;
  if (output.dtype !== 'float32' && output.dtype !== 'float64') return;
  for (const tape of tapes) {
    if (inputs.some((x) => tape.watched.has(x.id))) {
      const held = inputs.map((x) => tape.snapshot(x));
      tape.nodes.push({ kind, inputs: held, output, attrs } as TapeNode);
      tape.watched.add(output.id);
      for (const x of held) x.tapeHolds++;
      output.tapeHolds++;
    }
  }
}
