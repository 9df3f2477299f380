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

/** Formats a shape as `[32, 784]` for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Formats any value an untyped caller may pass, for "received ..." in messages: strings quoted
 * and marked (`"3" (a string)`, so that "3" and 3 read differently), arrays abbreviated after
 * 8 entries, objects as `{…}`, tensors as `Tensor(float32, [2, 3])`; null, undefined, NaN and
 * -0 shown as such. It never throws and never prints a large value whole.
 */
export function fmtReceived(value: unknown): string {
  if (typeof value === 'string') return `${quote(value)} (a string)`;
  return fmtInner(value, 0);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s);
}

function fmtInner(value: unknown, depth: number): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return quote(value);
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n (a bigint)`;
    case 'symbol':
      return `${String(value)} (a symbol)`;
    case 'function':
      return value.name ? `function ${value.name}` : 'a function';
  }
  if (Array.isArray(value)) {
    if (depth >= 2) return `[…] (an array of ${value.length})`;
    const shown = value.slice(0, 8).map((v: unknown) => fmtInner(v, depth + 1));
    return `[${shown.join(', ')}${value.length > 8 ? `, … (${value.length} entries)` : ''}]`;
  }
  const ctor: unknown = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor;
  const name = typeof ctor === 'function' ? ctor.name : '';
  if (ArrayBuffer.isView(value)) return `${name}(${'length' in value ? String(value.length) : `${value.byteLength} bytes`})`;
  // Tensors by their fields: this file cannot import tensor.ts, which imports it.
  const t = value as { dtype?: unknown; shape?: unknown };
  const isClass = name !== '' && name !== 'Object';
  if (isClass && typeof t.dtype === 'string' && Array.isArray(t.shape)) return `${name}(${t.dtype}, ${fmtShape(t.shape as number[])})`;
  return isClass ? `${name} {…}` : '{…}';
}
