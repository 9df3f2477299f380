/**
 * Typed errors. Messages name the op or layer, the argument, what was expected and what was
 * received, e.g. `matmul: inner dimensions differ: a is [32, 784], b is [300, 100]`.
 */
export class HebbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor has the wrong shape for an op, or two shapes are incompatible. */
export class ShapeError extends HebbError {}

/** A tensor has a dtype the op does not accept, or two dtypes differ. */
export class DTypeError extends HebbError {}

/** An argument is invalid in a way that is neither shape nor dtype (range, NaN, option). */
export class ValueError extends HebbError {}

/** A tensor was used after it was disposed, or a buffer was freed twice. */
export class DisposedError extends HebbError {}

/** A backend is missing, lacks a capability, or was handed another backend's buffer. */
export class BackendError extends HebbError {}

/**
 * A tensor would be larger than the active backend can hold or than the limit set with
 * setMaxTensorBytes / HEBB_MAX_TENSOR_BYTES: refused before anything is allocated.
 */
export class SizeLimitError extends HebbError {}

/** Formats a shape as `[32, 784]` for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
