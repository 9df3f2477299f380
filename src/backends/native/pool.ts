/**
 * Reuse of small native blocks. Creating an external ArrayBuffer through N-API costs ~5 µs
 * (the allocation, the ArrayBuffer and its GC finalizer), more than most kernels on the small
 * tensors of a training step, so blocks of up to POOL_MAX_BYTES are rounded up to a power of two
 * and, when freed, kept (up to POOL_CAP_BYTES in all) for the next allocation of their class.
 * Bigger blocks, and small ones past the cap, are released at once; `trim` releases the kept
 * ones. A freed buffer object is dead either way (freed = true: every method refuses it).
 */
/**
 * 8 MiB: a predict batch's activations (1024 x 300 float32 = 1.2 MB) are pooled too. Unpooled,
 * each such block was fresh mapped pages every call (addon.cc maps blocks of 1 MiB and more),
 * and their first-touch page faults made the bias + relu pass after the first product 3 ms of
 * predict's 8 per batch (2026-12-02, 17:05 UTC).
 */
export const POOL_MAX_BYTES = 8 << 20;
export const POOL_CAP_BYTES = 128 << 20;

export interface Block {
  readonly ab: ArrayBuffer;
  readonly ptr: number;
  readonly block: number;
  /** Bytes the block holds (its class for pooled blocks). */
  readonly bytes: number;
}

/** The bytes to allocate for a request: a power-of-two class (>= 64) when pooled, else the request. */
export function classBytes(bytes: number): number {
  if (bytes > POOL_MAX_BYTES) return bytes;
  let c = 64;
  while (c < bytes) c *= 2;
  return c;
}

export class BlockPool {
  private readonly lists = new Map<number, Block[]>();
  private keptBytes = 0;

  /** A kept block of exactly `bytes` (a class), or undefined. */
  take(bytes: number): Block | undefined {
    const b = this.lists.get(bytes)?.pop();
    if (b) this.keptBytes -= b.bytes;
    return b;
  }

  /** Keeps a freed block when it is small and the pool has room; false: the caller releases it. */
  keep(b: Block): boolean {
    if (b.bytes > POOL_MAX_BYTES || this.keptBytes + b.bytes > POOL_CAP_BYTES) return false;
    let list = this.lists.get(b.bytes);
    if (!list) this.lists.set(b.bytes, (list = []));
    list.push(b);
    this.keptBytes += b.bytes;
    return true;
  }

  /** Empties the pool, handing every kept block to `release`. */
  drain(release: (b: Block) => void): void {
    for (const list of this.lists.values()) for (const b of list.splice(0)) release(b);
    this.keptBytes = 0;
  }

  get bytes(): number {
    return this.keptBytes;
  }
}
