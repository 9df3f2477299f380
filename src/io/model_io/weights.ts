/**
 * Weight values as TensorFlow.js stores them: one little-endian buffer, the tensors one after
 * another in manifest order, each described by `{name, shape, dtype}` (float32 and int32 as 4
 * bytes, bool as 1). Decoding checks every spec, and that the specs add up to exactly the bytes
 * present, before it makes a single tensor.
 */
import type { DType } from '../../core/dtype.js';
import { checkTensorSize } from '../../core/engine.js';
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { tensor } from '../../ops/creation.js';
import { isObject } from './keras_json.js';

export type WeightDType = 'float32' | 'int32' | 'bool';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
}

const BYTES: Readonly<Record<WeightDType, number>> = { float32: 4, int32: 4, bool: 1 };

/** The tensors' bytes, concatenated in order, and their specs (names as given). */
export async function encodeWeights(named: readonly { name: string; value: Tensor }[]): Promise<{ specs: WeightSpec[]; data: Uint8Array }> {
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const { name, value } of named) {
    const dtype = value.dtype;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
      throw new ValueError(`save: weight "${name}" is ${dtype}; the layers-model format stores float32, int32 and bool`);
    }
    const vals = await value.data();
    const bytes = dtype === 'bool' ? Uint8Array.from(vals as ArrayLike<number>, (v) => (v ? 1 : 0)) : new Uint8Array(vals.buffer, vals.byteOffset, vals.byteLength).slice();
    specs.push({ name, shape: [...value.shape], dtype });
    parts.push(bytes);
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) data.set(p, at), (at += p.byteLength);
  return { specs, data };
}

/**
 * Checks a manifest's weight specs as read from JSON (names, shapes within the tensor size
 * limit, dtypes, no quantization) and returns them with their byte counts; `where` names the
 * file in errors. Nothing is allocated.
 */
export function checkSpecs(raw: unknown, where: string): { specs: WeightSpec[]; bytes: number } {
  if (!Array.isArray(raw)) throw new ValueError(`${where}: "weights" must be a list of {name, shape, dtype}, received ${fmtReceived(raw)}`);
  const specs: WeightSpec[] = [];
  const names = new Set<string>();
  let bytes = 0;
  raw.forEach((s: unknown, i) => {
    const at = `${where}: weight ${i}`;
    if (!isObject(s) || typeof s['name'] !== 'string') throw new ValueError(`${at} must be {name, shape, dtype}, received ${fmtReceived(s)}`);
    const name = s['name'];
    if (names.has(name)) throw new ValueError(`${at}: the name "${name}" appears twice`);
    names.add(name);
    if (s['quantization'] !== undefined && s['quantization'] !== null) throw new ValueError(`${at} ("${name}"): quantized weights are not supported`);
    const dtype = s['dtype'];
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') throw new ValueError(`${at} ("${name}"): dtype must be float32, int32 or bool, received ${fmtReceived(dtype)}`);
    const shape = s['shape'];
    if (!Array.isArray(shape) || shape.length > 8 || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
      throw new ValueError(`${at} ("${name}"): shape must be a list of at most 8 non-negative integers, received ${fmtReceived(shape)}`);
    }
    const dims = shape as number[];
    // The same limit every allocation obeys, applied before any buffer exists.
    const n = checkTensorSize(`${at} ("${name}")`, dims, dtype as DType);
    bytes += n * BYTES[dtype];
    if (!Number.isSafeInteger(bytes)) throw new ValueError(`${where}: the weights add up to more than 2^53 bytes`);
    specs.push({ name, shape: [...dims], dtype });
  });
  return { specs, bytes };
}

/** Tensors from `data` (exactly the specs' bytes, checked by the caller), by spec name. */
export function decodeWeights(specs: readonly WeightSpec[], data: Uint8Array, where: string): Map<string, Tensor> {
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, d) => a * d, 1) * BYTES[s.dtype], 0);
  if (expected !== data.byteLength) throw new ValueError(`${where}: the weight data has ${data.byteLength} bytes, the manifest describes ${expected}`);
  const out = new Map<string, Tensor>();
  let at = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, d) => a * d, 1);
    const len = n * BYTES[s.dtype];
    const slice = data.slice(at, at + len);
    at += len;
    const values = s.dtype === 'float32' ? new Float32Array(slice.buffer) : s.dtype === 'int32' ? new Int32Array(slice.buffer) : slice;
    if (s.dtype === 'bool' && slice.some((b) => b > 1)) throw new ValueError(`${where}: bool weight "${s.name}" holds bytes other than 0 and 1`);
    out.set(s.name, tensor(values, s.shape, s.dtype));
  }
  return out;
}
