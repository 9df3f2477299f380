/**
 * The GEMM workers' jobs (gemm_thread.ts runs them): the control block's layout in shared
 * memory, the job kinds, and how a thread claims its share of a posted job. Column jobs take
 * guided chunks of all columns; row jobs and fused ones one part of rows per thread, own part
 * first (partStart), so a thread keeps the same rows of a weight through a training step; a
 * short deep product's two halves of k split at the same boundary (kSplitAt).
 */

/**
 * int32 slots of the control block: the job counter, whether the posted job is open, how many
 * workers are inside it, the chunk counter, workers ready, the stop flag, the job's kind, the
 * chunks workers ran, the workers' work blocks (the first and the stride between them), how
 * many threads take part, and up to 12 arguments (11..22); from slot 32 on, the parts' row
 * counters (one cache line each).
 */
export const CTRL = { seq: 0, open: 1, active: 2, next: 3, ready: 4, stop: 5, kind: 6, workerChunks: 7, work: 8, workStride: 9, parts: 10, args: 11, part: 32 } as const;
/** Slots between the parts' row counters (from CTRL.part on): one cache line each, so claims in different parts do not contend. */
const PART_STRIDE = 16;
/**
 * Job kinds: chunks of C's columns over one packed A (the main thread packed it before posting;
 * short, wide products), chunks of C's rows, each thread packing its own rows of A (tall
 * products such as predict's batch of 1024, where packing A is ~8% of the work and would
 * otherwise run on one thread before the split, and the weight gradient), the fused kernel's
 * rows (fused_host.ts), or the two halves of k of a short deep product (gemm_host.ts's kSplit).
 */
export const JOB = { cols: 0, rows: 1, fused: 2, ksplit: 3 } as const;
/** The control block: 23 slots in two cache lines, then a line per part's row counter. */
export const CONTROL_BYTES = 128 + 64 * 8;
/** Elements in a chunk of a fused job (whole rows, a multiple of 4). */
const FUSED_CHUNK = 8192;
/**
 * Chunk sizes are guided: each claim takes what is left divided by twice the number of threads
 * (a quarter with two), in whole register panels, between a minimum and a maximum. Early chunks
 * are big (few claims), the last ones small, so the thread that finishes first waits at most a
 * small chunk for the others: with fixed 32-column chunks the main thread spent ~10% of a
 * batch-32 training run waiting for the worker's last one.
 * Columns: multiples of 8 (B's panels), at least 8. Rows: multiples of 4 (A's panels), 16 to
 * 64 (a thread packs its rows into a block sized for 64: 200 KB at k = 784, in L2).
 */
export const CHUNK_COLS = { unit: 8, min: 8, max: Infinity } as const;
export const CHUNK_ROWS = { unit: 4, min: 16, max: 64 } as const;

/**
 * A job's arguments. cols: gemm_cols's pa, b, sbk, sbn, c, m, k, n; rows: gemm_rows's a, sam,
 * sak, b, sbk, sbn, c, m, k, n; ksplit: gemm_f32's a, sam, sak, b, sbk, sbn, c, m, k, n and the
 * second half's output; fused: the module's id, the operand addresses' address, the table, rows
 * and elements a row. Each thread adds its chunk's range and its own work block.
 */
export type JobArgs = readonly number[];

/** The kernels the threads run per chunk (asm/gemm.ts). */
export interface ChunkKernels {
  gemm_f32(a: number, sam: number, sak: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, scratch: number): void;
  gemm_cols(pa: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, j0: number, j1: number, work: number): void;
  gemm_rows(a: number, sam: number, sak: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, i0: number, i1: number, work: number): void;
}

/** The chunk a claim took: [start, end). One per thread (module state: one per worker and main). */
const span = [0, 0];

/** Claims the next chunk of [0, total) (see CHUNK_COLS) into `span`; false when nothing is left. */
function claim(ctrl: Int32Array, total: number, c: typeof CHUNK_COLS): boolean {
  const share = 2 * (ctrl[CTRL.parts] as number) * c.unit;
  for (;;) {
    const start = Atomics.load(ctrl, CTRL.next);
    if (start >= total) return false;
    const size = Math.min(c.max, Math.max(c.min, Math.ceil((total - start) / share) * c.unit));
    const end = Math.min(total, start + size);
    if (Atomics.compareExchange(ctrl, CTRL.next, start, end) === start) {
      span[0] = start;
      span[1] = end;
      return true;
    }
  }
}

/**
 * Where part t of `rows` rows starts when `parts` threads share them: at a multiple of 4 (A's
 * panels), the same for the weight gradient's product and the update of a weight with `rows`
 * rows, so each thread updates the gradient rows it computed.
 */
export function partStart(rows: number, t: number, parts: number): number {
  return t >= parts ? rows : Math.min(rows, Math.ceil((rows * t) / parts / CHUNK_ROWS.unit) * CHUNK_ROWS.unit);
}

/** Takes part t of the posted job (a bit of CTRL.next); true if this thread got it. */
function claimPart(ctrl: Int32Array, t: number): boolean {
  const bit = 1 << t;
  return (Atomics.or(ctrl, CTRL.next, bit) & bit) === 0;
}

/**
 * Where half s (0, 1; 2 is the end) of a short product's depth k starts: the product is
 * always summed as A[:, :h] B[:h] + A[:, h:] B[h:], on one thread or two, and h is the row part
 * boundary of B's (a weight's) rows, so with two threads each multiplies the weight rows it
 * updates.
 */
export function kSplitAt(k: number, s: number): number {
  return s === 0 ? 0 : s >= 2 ? k : partStart(k, 1, 2);
}

/** Sets every part's counter to its first row (before a row or fused job is posted). */
export function initParts(ctrl: Int32Array, rows: number, parts: number): void {
  for (let t = 0; t < parts; t++) Atomics.store(ctrl, CTRL.part + t * PART_STRIDE, partStart(rows, t, parts));
}

/**
 * Claims the next chunk of part t (at most `max` rows, guided: half of what is left in whole
 * units) into `span`; false when the part is done.
 */
function claimIn(ctrl: Int32Array, t: number, rows: number, max: number): boolean {
  const parts = ctrl[CTRL.parts] as number;
  const end = partStart(rows, t + 1, parts);
  const at = CTRL.part + t * PART_STRIDE;
  const u = CHUNK_ROWS.unit;
  for (;;) {
    const start = Atomics.load(ctrl, at);
    if (start >= end) return false;
    const size = Math.min(max, Math.max(CHUNK_ROWS.min, Math.ceil((end - start) / (2 * u)) * u));
    const stop = Math.min(end, start + size);
    if (Atomics.compareExchange(ctrl, at, start, stop) === start) {
      span[0] = start;
      span[1] = stop;
      return true;
    }
  }
}

/**
 * A fused program's offset entry (fused_jit.ts's g) by module id: null when this thread does
 * not have the module (it then leaves the job to the others).
 */
export interface FusedSource {
  fn(id: number): FusedPartFn | null;
}

/** fused_jit.ts's g: (operand addresses' address, table, offset in bytes, elements). */
export type FusedPartFn = (args: number, table: number, offsetBytes: number, n4: number) => void;

/**
 * Claims and runs chunks of a posted job until none are left (main thread and worker alike);
 * returns how many it ran. Column jobs take guided chunks of all columns. Row jobs and fused
 * ones are split into one part of rows per thread (partStart): a thread takes chunks of its own
 * part first (`own`: 0 for the main thread, 1 + index for a worker), then of any part with
 * chunks left, so a worker that is asleep or descheduled leaves its rows to the others. A
 * short deep product's two halves of k are parts 0 and 1, taken the same way.
 */
export function runChunks(ctrl: Int32Array, k: ChunkKernels, work: number, own: number, fused: FusedSource | null): number {
  const a = (i: number): number => ctrl[CTRL.args + i] as number;
  let ran = 0;
  const kind = ctrl[CTRL.kind];
  if (kind === JOB.cols) {
    const n = a(7);
    for (; claim(ctrl, n, CHUNK_COLS); ran++) k.gemm_cols(a(0), a(1), a(2), a(3), a(4), a(5), a(6), n, span[0] as number, span[1] as number, work);
    return ran;
  }
  const parts = ctrl[CTRL.parts] as number;
  if (kind === JOB.ksplit) {
    // Two halves of k (kSplitAt), the first into C, the second into a temporary (args 7..10: m, k, n, temp).
    const [m, kk, n] = [a(7), a(8), a(9)];
    for (let i = 0; i < parts; i++) {
      const t = (own + i) % parts;
      if (t > 1 || !claimPart(ctrl, t)) continue;
      const k0 = kSplitAt(kk, t);
      k.gemm_f32(a(0) + 4 * k0 * a(2), a(1), a(2), a(3) + 4 * k0 * a(4), a(4), a(5), t === 0 ? a(6) : a(10), m, kSplitAt(kk, t + 1) - k0, n, work);
      ran++;
    }
    return ran;
  }
  if (kind === JOB.rows) {
    const m = a(7);
    for (let i = 0; i < parts; i++) {
      const t = (own + i) % parts;
      for (; claimIn(ctrl, t, m, CHUNK_ROWS.max); ran++) k.gemm_rows(a(0), a(1), a(2), a(3), a(4), a(5), a(6), m, a(8), a(9), span[0] as number, span[1] as number, work);
    }
    return ran;
  }
  // JOB.fused: id, the operand addresses' address, table, rows, elements a row.
  const g = fused?.fn(a(0));
  if (!g) return 0;
  const [args, table, rows, per] = [a(1), a(2), a(3), a(4)];
  const max = Math.ceil(FUSED_CHUNK / per / CHUNK_ROWS.unit) * CHUNK_ROWS.unit;
  for (let i = 0; i < parts; i++) {
    const t = (own + i) % parts;
    for (; claimIn(ctrl, t, rows, max); ran++) g(args, table, 4 * per * (span[0] as number), per * ((span[1] as number) - (span[0] as number)));
  }
  return ran;
}

