/**
 * The functional API's placeholder tensors. `input({shape})` returns a SymbolicTensor; calling
 * `layer.apply(symbolic)` records a Node (one call of one layer on some symbolic inputs) and
 * returns the node's symbolic outputs. Nothing is computed: a SymbolicTensor only knows its
 * shape (null where unknown, the batch dimension usually), its dtype and where it came from,
 * which is all a functional model needs to replay the graph on real tensors (see graph.ts).
 *
 * This file imports Layer for types only, so layer.ts can import it without a cycle.
 */
import type { DType } from '../core/dtype.js';
import { ShapeError, fmtReceived } from '../core/errors.js';
import type { CallArgs, Layer } from './layer.js';

/** A shape whose unknown dimensions are null: [null, 784] is a batch of 784-vectors. */
export type SymbolicShape = readonly (number | null)[];

/** Formats a symbolic shape as `[null, 784]` for messages. */
export function fmtSymbolicShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** A frozen copy of `shape` after checking it holds non-negative integers and nulls. */
export function checkSymbolicShape(who: string, arg: string, shape: unknown): SymbolicShape {
  if (!Array.isArray(shape) || shape.some((d) => d !== null && (!Number.isInteger(d) || d < 0))) {
    throw new ShapeError(`${who}: ${arg} must be an array of non-negative integers or null, received ${fmtReceived(shape)}`);
  }
  return Object.freeze([...(shape as (number | null)[])]);
}

/** One call of a layer in a graph: which layer, on which symbolic inputs, giving which outputs. */
export class Node {
  /** The symbolic outputs, in the order the layer returns them (set once, by the layer). */
  outputs: readonly SymbolicTensor[] = [];

  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    /** True when the layer was given an array (`concat.apply([a, b])`), false for one tensor. */
    readonly inputsAsList: boolean,
    /** Arguments fixed at graph-building time (`training: true` for Monte Carlo dropout). */
    readonly callArgs: CallArgs,
  ) {}
}

let nextSymbolicId = 1;

export class SymbolicTensor {
  readonly id: number;
  readonly shape: SymbolicShape;
  readonly dtype: DType;
  /** The producing layer's name (with `_<i>` for a layer's later outputs). */
  readonly name: string;
  /** The call that produced this tensor. */
  readonly node: Node;
  /** Which of the node's outputs this is. */
  readonly outputIndex: number;

  /** @internal Made by `input(...)` and `Layer.apply`, never by user code. */
  constructor(shape: SymbolicShape, dtype: DType, node: Node, outputIndex: number, name: string) {
    this.id = nextSymbolicId++;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.node = node;
    this.outputIndex = outputIndex;
    this.name = name;
  }

  /** The layer that produced this tensor (an InputLayer for `input(...)`). */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  /** The symbolic tensors the source layer was applied to (empty for an input). */
  get inputs(): readonly SymbolicTensor[] {
    return this.node.inputs;
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor(${this.name}, ${this.dtype}, ${fmtSymbolicShape(this.shape)})`;
  }
}
