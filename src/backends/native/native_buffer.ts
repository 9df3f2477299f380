/**
 * A native backend buffer: a block of C++ memory (64-byte aligned) that JavaScript sees as the
 * typed array `data` over an external ArrayBuffer, so reads and writes are plain typed-array
 * copies. `ptr` is the block's address, handed to kernels through the descriptor.
 */
import type { BackendBuffer } from '../backend.js';
import type { TypedArray } from '../../core/dtype.js';

export interface NativeBuffer extends BackendBuffer {
  readonly backend: 'native';
  /** The block's address (user-space addresses are below 2^47: exact in a double). */
  readonly ptr: number;
  /** addon.cc's record of the block, passed back to free. */
  readonly block: number;
  readonly ab: ArrayBuffer;
  readonly data: TypedArray;
  freed: boolean;
}
