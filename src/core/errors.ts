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

/** Longest string shown whole in a message; longer ones are cut with an ellipsis. */
const MAX_STRING = 40;
/** Array entries and object keys shown before "...". */
const MAX_ITEMS = 6;

/**
 * What a message shows for a received value, as the user wrote it: `10`, `"10" (a string)`,
 * `undefined`, `null`, `NaN`, `[1, 2, 3]`, `{units: 10, activation: "relu"}`, `a function
 * "f"`, `a Tensor of shape [2, 3] (float32)`. Long strings, arrays and objects are
 * abbreviated, so a message stays one readable line whatever was passed.
 */
export function fmtReceived(value: unknown): string {
  if (typeof value === 'string') return `${short(value, 0)} (a string)`;
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value === 'function') return value.name ? `a function "${value.name}"` : 'a function';
  return short(value, 0);
}

/** The compact form of `value`, nested `depth` levels deep (deeper containers are elided). */
function short(value: unknown, depth: number): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return value.name ? `[function ${value.name}]` : '[function]';
  }
  const obj = value as object;
  if (Array.isArray(obj)) {
    if (depth >= 2) return obj.length === 0 ? '[]' : '[...]';
    const items = obj.slice(0, MAX_ITEMS).map((v: unknown) => short(v, depth + 1));
    return `[${items.join(', ')}${obj.length > MAX_ITEMS ? `, ... (${obj.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(obj)) {
    const kind = obj.constructor.name;
    return 'length' in obj ? `a ${kind} of length ${String(obj.length)}` : `a ${kind} of ${obj.byteLength} bytes`;
  }
  // A tensor (duck-typed: errors.ts sits below tensor.ts) or another class instance: its kind.
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    const name = (obj.constructor as { name?: unknown } | undefined)?.name;
    const kind = typeof name === 'string' && name !== '' ? name : 'object';
    const t = obj as { shape?: unknown; dtype?: unknown };
    if (Array.isArray(t.shape) && typeof t.dtype === 'string') return `a ${kind} of shape ${fmtShape(t.shape as number[])} (${t.dtype})`;
    return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
  }
  const keys = Object.keys(obj);
  if (keys.length === 0) return '{}';
  if (depth >= 2) return '{...}';
  const rec = obj as Record<string, unknown>;
  const entries = keys.slice(0, MAX_ITEMS).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${short(rec[k], depth + 1)}`);
  return `{${entries.join(', ')}${keys.length > MAX_ITEMS ? ', ...' : ''}}`;
}
