/**
 * A native backend buffer: a block of C++ memory (64-byte aligned) that JavaScript sees as the
 * typed array `data` over an external ArrayBuffer, so reads and writes are plain typed-array
 * copies. `ptr` is the block's address, handed to kernels through the descriptor. Small blocks
 * are rounded up to a power of two and reused after free (pool.ts).
 */
import type { BackendBuffer } from '../backend.js';
import type { TypedArray } from '../../core/dtype.js';
import type { Block } from './pool.js';

export interface NativeBuffer extends BackendBuffer {
  readonly backend: 'native';
  /** The block's address (user-space addresses are below 2^47: exact in a double). */
  readonly ptr: number;
  /** The block (its ArrayBuffer and addon.cc's record), returned to the pool or released by free. */
  readonly mem: Block;
  readonly data: TypedArray;
  freed: boolean;
}
