/**
 * Optimizer state as plain data, for checkpoints: every tensor and every host number of a
 * state, each under a path made of the record keys and array indices that lead to it
 * ('adam/m/0', 'nadam/uProduct'), plus the step count. The paths come from the chain's link
 * names, so they stay the same from one run to the next, and a writer can store the tensors
 * by name without knowing any optimizer.
 *
 * Loading reads the structure from a fresh `init` (the optimizer knows its own shape), fills
 * it from the data, and refuses a missing, extra or mis-shaped entry: a checkpoint of another
 * optimizer or of other weights must not load silently.
 */
import { ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { copy } from '../ops/primitives_movement.js';

export interface OptimizerStateData {
  /** Updates applied so far (Keras's `iterations`): schedules and bias corrections resume from it. */
  readonly iterations: number;
  /** The state's tensors by path; copies, owned by whoever holds the data. */
  readonly tensors: Readonly<Record<string, Tensor>>;
  /** The state's host numbers by path (Nadam's running product of momentum factors). */
  readonly numbers: Readonly<Record<string, number>>;
}

type Leaf = { path: string; value: Tensor | number; set: (v: Tensor | number) => void };

/** A state that is one bare tensor or number has no container to put a loaded value in. */
function rootLeaf(): never {
  throw new ValueError('loadState: a state that is a single tensor or number cannot be filled in place; make it a record, {name: value}');
}

/** Every tensor and number leaf of a state, with a setter into its container. */
function leaves(value: unknown, path: string, set: (v: Tensor | number) => void, out: Leaf[]): Leaf[] {
  const sub = (k: string | number): string => (path === '' ? String(k) : `${path}/${k}`);
  if (value instanceof Tensor || typeof value === 'number') out.push({ path: path === '' ? '.' : path, value, set });
  else if (value === null || value === undefined) return out;
  else if (Array.isArray(value)) {
    const arr: unknown[] = value;
    arr.forEach((v, i) => leaves(v, sub(i), (x) => (arr[i] = x), out));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, sub(k), (x) => Reflect.set(value, k, x), out);
  } else {
    throw new ValueError(`optimizer state: "${path}" must be a tensor, a number, null, an array or a record, received ${fmtReceived(value)}`);
  }
  return out;
}

/** The state's tensors (copied) and numbers by path; the state itself is left as it is. */
export function stateToData(state: unknown, iterations = 0): OptimizerStateData {
  const tensors: Record<string, Tensor> = {};
  const numbers: Record<string, number> = {};
  for (const { path, value } of leaves(state, '', rootLeaf, [])) {
    if (typeof value === 'number') numbers[path] = value;
    else tensors[path] = copy(value);
  }
  return { iterations, tensors, numbers };
}

/**
 * Fills `template` (a fresh `init` state, which this takes over) from `data`: each tensor
 * leaf is replaced by a copy of the tensor at its path (same shape and dtype) and disposed,
 * each number by the number at its path. Returns the template, now holding the data.
 */
export function stateFromData<S>(template: S, data: OptimizerStateData): S {
  if (typeof data !== 'object' || data === null || typeof data.tensors !== 'object' || typeof data.numbers !== 'object') {
    throw new ValueError(`loadState: expected {iterations, tensors, numbers}, received ${fmtReceived(data)}`);
  }
  const all = leaves(template, '', rootLeaf, []);
  const want = new Set(all.map((l) => l.path));
  const extra = [...Object.keys(data.tensors), ...Object.keys(data.numbers)].filter((p) => !want.has(p));
  const missing = all.filter((l) => !Object.hasOwn(typeof l.value === 'number' ? data.numbers : data.tensors, l.path)).map((l) => l.path);
  if (extra.length > 0 || missing.length > 0) {
    const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `unexpected ${extra.join(', ')}` : ''].filter((p) => p !== '');
    throw new ValueError(`loadState: the data does not fit this optimizer's state: ${parts.join('; ')}`);
  }
  // Every entry is checked before anything is replaced, so a bad one leaves the template whole.
  for (const { path, value } of all) {
    if (typeof value === 'number') {
      const n = data.numbers[path];
      if (typeof n !== 'number' || !Number.isFinite(n)) throw new ValueError(`loadState: "${path}" must be a finite number, received ${fmtReceived(n)}`);
    } else {
      const t = data.tensors[path];
      if (!(t instanceof Tensor)) throw new ValueError(`loadState: "${path}" must be a Tensor, received ${fmtReceived(t)}`);
      t.assertAlive(`loadState: "${path}"`);
      if (!shapesEqual(t.shape, value.shape) || t.dtype !== value.dtype) {
        throw new ValueError(`loadState: "${path}" must have shape ${fmtShape(value.shape)} and dtype ${value.dtype}, received shape ${fmtShape(t.shape)} and dtype ${t.dtype}`);
      }
    }
  }
  for (const { path, value, set } of all) {
    if (typeof value === 'number') set(data.numbers[path] ?? value);
    else {
      const t = data.tensors[path];
      if (t !== undefined) set(copy(t));
      value.dispose();
    }
  }
  return template;
}
