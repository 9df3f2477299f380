/**
 * The call descriptor: one Float64Array shared with the addon (addon.cc's init), into which each
 * kernel call writes its operands — buffer addresses, dtypes, views' offsets, shapes and
 * strides — before one argument-free N-API call. Unwrapping JavaScript objects in C++ is what
 * makes N-API calls slow; numbers in a shared array are not (docs/NATIVE.md measures it).
 *
 * Every view is checked against its buffer here (first and last element it can reach), so no
 * kernel ever reads or writes outside a block, whatever the caller passes.
 */
import type { View } from '../backend.js';
import { DTYPE_CODE } from '../wasm/codes.js';
import { BackendError } from '../../core/errors.js';
import type { NativeBuffer } from './native_buffer.js';

/** Dimensions a view may have (common.h's MAX_RANK). */
export const MAX_RANK = 32;
/** Doubles in the descriptor: 512 KiB, room for fused programs of thousands of instructions. */
export const DESC_LENGTH = 65536;

export class Descriptor {
  readonly d: Float64Array;
  /** The next slot to write. */
  at = 0;

  constructor(readonly ab: ArrayBuffer) {
    this.d = new Float64Array(ab);
  }

  start(): this {
    this.at = 0;
    return this;
  }

  num(v: number): this {
    if (this.at >= DESC_LENGTH) throw new BackendError(`native backend: a call needs more than ${DESC_LENGTH} descriptor slots`);
    this.d[this.at++] = v;
    return this;
  }

  /** ptr, dtype, size of a whole (contiguous) buffer. */
  buf(b: NativeBuffer, op: string): this {
    live(b, op);
    const d = this.d;
    let i = this.at;
    d[i++] = b.ptr;
    d[i++] = DTYPE_CODE[b.dtype];
    d[i++] = b.size;
    this.at = i;
    return this;
  }

  /** ptr, dtype, offset, rank, shape, strides of a view, after checking it stays inside its buffer. */
  view(v: View<NativeBuffer>, op: string): this {
    const b = v.buf;
    live(b, op);
    const rank = v.shape.length;
    if (rank > MAX_RANK) throw new BackendError(`${op}: native backend takes views of up to ${MAX_RANK} dimensions, received ${rank}`);
    if (this.at + 4 + 2 * rank > DESC_LENGTH) throw new BackendError(`native backend: a call needs more than ${DESC_LENGTH} descriptor slots`);
    const d = this.d;
    let i = this.at;
    d[i++] = b.ptr;
    d[i++] = DTYPE_CODE[b.dtype];
    d[i++] = v.offset;
    d[i++] = rank;
    let lo = v.offset;
    let hi = v.offset;
    let empty = false;
    for (let k = 0; k < rank; k++) {
      const n = v.shape[k] as number;
      const s = v.strides[k] as number;
      d[i + k] = n;
      d[i + rank + k] = s;
      if (n === 0) empty = true;
      else if (s > 0) hi += (n - 1) * s;
      else lo += (n - 1) * s;
    }
    if (!empty && (lo < 0 || hi >= b.size || !Number.isInteger(lo) || !Number.isInteger(hi))) {
      throw new BackendError(`${op}: a view reaches elements [${lo}, ${hi}] of a buffer of ${b.size}`);
    }
    this.at = i + 2 * rank;
    return this;
  }
}

function live(b: NativeBuffer, op: string): void {
  if (b.backend !== 'native') throw new BackendError(`${op}: native backend received a buffer of backend "${b.backend}"`);
  if (b.freed) throw new BackendError(`${op}: native backend: buffer used after it was freed`);
}
