/**
 * Worker threads for big float32 GEMMs: each worker (a worker_threads Worker in Node, a module
 * Web Worker in a cross-origin isolated page) instantiates the kernel module over the main
 * thread's shared memory and helps with products posted to it: one worker on a 2-core machine,
 * one per further core up to MAX_THREADS in all. The main thread posts the job, and every
 * thread then claims chunks until none are left: chunks of C's columns over an A the main
 * thread packed first, chunks of C's rows, each packing its own rows of A, the two halves of a
 * short deep product's k, or rows of a fused call (JOB below). Chunks write disjoint parts of
 * C, and every element is summed in the same order as on one thread: results are bit-identical,
 * whatever the number of threads.
 *
 * Rows stay with a thread. Row chunks and fused rows are claimed from one part of rows per
 * thread (partStart), own part first, and a short deep product's halves of k split at the same
 * boundary, so through a training step each thread multiplies, differentiates and updates the
 * same rows of a weight: with the whole update on the main thread, the passes after the weight
 * gradient read half of it from the other core's cache (the 784x300 SGD update 99 µs on two
 * threads against 35 on one; docs/BENCHMARKS.md, 2026-12-04).
 *
 * Claiming chunks (rather than handing each worker a fixed share) keeps a busy machine from
 * stalling the main thread: workers that are descheduled or still asleep leave their share to
 * the others. When its claims run out, the main thread closes the job (`open` = 0) and waits
 * only for the workers inside it (`active`); a worker checks `open` after counting itself in,
 * so a late one leaves without touching the job. A page's main thread may not block in
 * Atomics.wait (it throws there), so it waits for them with an Atomics.load spin.
 *
 * Wake-ups: workers spin briefly on a job counter before sleeping in Atomics.wait, since
 * consecutive GEMMs of a training step come microseconds apart and a futex wake-up costs more.
 *
 * A busy machine: when the 1-minute load average is at or above the number of cores (another
 * process computes too), two threads were measured slower than one (a worker's time slices
 * are taken from the main thread, and a preempted worker holds its chunk), so products stay on
 * one thread until the load drops. Checked at most once a second.
 */
import { BackendError } from '../../core/errors.js';

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
/** Threads in all (the main one included) at most. */
export const MAX_THREADS = 8;
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
/** Spins (Atomics.load calls) before sleeping: ~10-30 microseconds. */
export const SPIN = 10000;
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

/** Seconds the main thread waits for the worker's running chunk before declaring it dead. */
const CHUNK_TIMEOUT_S = 10;

/**
 * A job's arguments. cols: gemm_cols's pa, b, sbk, sbn, c, m, k, n; rows: gemm_rows's a, sam,
 * sak, b, sbk, sbn, c, m, k, n. Each thread adds its chunk's range and its own work block.
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
function initParts(ctrl: Int32Array, rows: number, parts: number): void {
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
 * A fused program's offset entry (fused_jit.ts's g) and the memory it runs over, by module id:
 * null when this thread does not have the module (it then leaves the job to the others).
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
 * chunks left, so a worker that is asleep or descheduled leaves its rows to the others.
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

/**
 * Whether this thread may block in Atomics.wait: Node's main thread and any worker may, a page's
 * main thread may not (Atomics.wait throws a TypeError there, whatever the arguments).
 */
function canBlock(ctrl: Int32Array): boolean {
  try {
    // stop is 0 or 1, never -1: returns 'not-equal' at once where blocking is allowed.
    Atomics.wait(ctrl, CTRL.stop, -1, 0);
    return true;
  } catch {
    return false;
  }
}

export class GemmWorkers {
  private readonly ctrl: Int32Array;
  private readonly blocking: boolean;
  /** Ends the workers (Node's terminate or a Web Worker's); null until started. */
  private terminate: (() => Promise<unknown>) | null = null;
  /** Set when a worker could not start, died, or was stopped: one thread from then on. */
  private failed = false;
  private idle = true;
  private idleCheckedAt = -Infinity;
  /** Node only: a port per worker that carries fused programs' modules (read synchronously there). */
  private readonly ports: { postMessage(m: unknown): void }[] = [];
  /** Fused modules already posted to the workers, by module: their ids. */
  private readonly moduleIds = new WeakMap<WebAssembly.Module, number>();
  private nextModuleId = 1;
  /** The main thread's side of a fused job: this call's function (one object, reused). */
  private readonly mainFused = {
    id: 0,
    g: null as FusedPartFn | null,
    fn(id: number): FusedPartFn | null {
      return id === this.id ? this.g : null;
    },
  };

  /**
   * `count` workers (the main thread makes one more); `whenBusy`: use them even when the
   * machine is busy (an explicit request for threads).
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly ctrlPtr: number,
    readonly count: number,
    private readonly whenBusy = false,
  ) {
    // Shared buffers are never detached by memory.grow, so this view stays valid.
    this.ctrl = new Int32Array(memory.buffer, ctrlPtr, CONTROL_BYTES / 4);
    this.blocking = canBlock(this.ctrl);
  }

  /** Chunks of products the workers have run so far (a diagnostic: 0 means none took part). */
  workerChunks(): number {
    return Atomics.load(this.ctrl, CTRL.workerChunks);
  }

  /** True once every worker has started and instantiated its kernels; starts them on first call. */
  ready(): boolean {
    if (this.failed) return false;
    if (Atomics.load(this.ctrl, CTRL.ready) === this.count) return true;
    if (!this.terminate) this.start();
    return false;
  }

  /** True when the workers are ready and the machine has cores to spare for them. */
  available(): boolean {
    if (!this.ready()) return false;
    if (this.whenBusy) return true;
    const now = performance.now();
    if (now - this.idleCheckedAt > 1000) {
      this.idleCheckedAt = now;
      // A page cannot see the machine's load: there the workers are always used.
      const os = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:os') : undefined;
      // Our own threads count up to one each of the load: "idle" means no one else computes.
      this.idle = !os || (os.loadavg()[0] as number) < os.availableParallelism() + 0.5;
    }
    return this.idle;
  }

  private start(): void {
    const stops: (() => Promise<unknown>)[] = [];
    this.terminate = () => Promise.all(stops.map((s) => s()));
    try {
      const wt = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:worker_threads') : undefined;
      for (let index = 0; index < this.count; index++) {
        if (wt) {
          // The worker reads fused modules from its end of this channel with
          // receiveMessageOnPort (its loop never returns to the event loop).
          const channel = new wt.MessageChannel();
          channel.port1.unref();
          this.ports.push(channel.port1);
          const data = { memory: this.memory, ctrlPtr: this.ctrlPtr, index, port: channel.port2 };
          // The worker script: gemm_worker.js beside this file (dist/src/backends/wasm/).
          const worker = new wt.Worker(new URL('./gemm_worker.js', import.meta.url), { workerData: data, transferList: [channel.port2] });
          // Never keeps the process alive: a program that is done exits with the workers asleep.
          worker.unref();
          worker.on('error', () => {
            this.failed = true;
          });
          stops.push(() => worker.terminate());
        } else if (typeof Worker === 'function') {
          // A browser: the bundle's second entry, dist/browser/gemm_worker.js, beside hebb.js
          // (written inline so that bundlers which follow `new Worker(new URL(...))` find it).
          // The memory travels by postMessage (shared, so all sides see the same bytes); this
          // throws a DataCloneError where the page is not cross-origin isolated.
          const data = { memory: this.memory, ctrlPtr: this.ctrlPtr, index };
          const worker = new Worker(new URL('./gemm_worker.js', import.meta.url), { type: 'module', name: `hebb-gemm-${index}` });
          worker.addEventListener('error', () => {
            this.failed = true;
          });
          worker.postMessage(data);
          stops.push(() => Promise.resolve(worker.terminate()));
        } else {
          this.failed = true;
        }
      }
    } catch {
      // No worker support here (or the memory cannot be shared): one thread from now on.
      this.failed = true;
    }
  }

  /**
   * Runs a product's chunks on the main thread and the workers: `mainWork` is the main thread's
   * scratch block, worker i's is `workerWork + i * workerStride`. Returns when every chunk is
   * done and no worker is inside the job.
   */
  run(kind: number, args: JobArgs, kernels: ChunkKernels, mainWork: number, workerWork: number, workerStride: number, mainFused: FusedSource | null = null): void {
    const ctrl = this.ctrl;
    if (args.length > 12) throw new BackendError(`wasm backend: a GEMM job takes at most 12 arguments, received ${args.length}`);
    ctrl[CTRL.kind] = kind;
    for (let i = 0; i < args.length; i++) ctrl[CTRL.args + i] = args[i] as number;
    ctrl[CTRL.work] = workerWork;
    ctrl[CTRL.workStride] = workerStride;
    ctrl[CTRL.parts] = this.count + 1;
    Atomics.store(ctrl, CTRL.next, 0);
    if (kind === JOB.rows) initParts(ctrl, args[7] as number, this.count + 1);
    else if (kind === JOB.fused) initParts(ctrl, args[3] as number, this.count + 1);
    Atomics.store(ctrl, CTRL.open, 1);
    Atomics.add(ctrl, CTRL.seq, 1);
    Atomics.notify(ctrl, CTRL.seq);
    runChunks(ctrl, kernels, mainWork, 0, mainFused);
    // Close the job, then wait for the workers inside it (none, if none woke up in time).
    Atomics.store(ctrl, CTRL.open, 0);
    for (let i = 0; i < SPIN; i++) if (Atomics.load(ctrl, CTRL.active) === 0) return;
    if (!this.blocking) {
      // A page's main thread: keep spinning. Each worker is inside one chunk (microseconds to a
      // few milliseconds); an error event cannot arrive while we spin, hence the deadline.
      const deadline = performance.now() + CHUNK_TIMEOUT_S * 1000;
      while (Atomics.load(ctrl, CTRL.active) !== 0) {
        if (performance.now() > deadline) {
          this.failed = true;
          throw new BackendError(`wasm backend: a GEMM worker did not finish its chunk within ${CHUNK_TIMEOUT_S} s`);
        }
      }
      return;
    }
    for (let active = Atomics.load(ctrl, CTRL.active); active !== 0; active = Atomics.load(ctrl, CTRL.active)) {
      const r = Atomics.wait(ctrl, CTRL.active, active, 5000);
      if (r === 'timed-out' && this.failed) throw new BackendError('wasm backend: a GEMM worker thread died during a product');
    }
  }

  /**
   * Whether fused programs can run on the workers: in Node, where a worker reads their modules
   * from its port synchronously; a page's workers cannot (their loop never yields to events).
   */
  fusedReady(): boolean {
    return this.ports.length === this.count && this.available();
  }

  /**
   * Runs fused_jit.ts's offset entry `g` of `module` over `rows` rows of `per` elements, split in
   * row parts (partStart) between this thread and the workers: `argsPtr` holds the operand
   * addresses (inputs, then outputs), `table` the params.
   */
  runFused(module: WebAssembly.Module, g: FusedPartFn, argsPtr: number, table: number, rows: number, per: number, kernels: ChunkKernels): void {
    let id = this.moduleIds.get(module);
    if (id === undefined) {
      id = this.nextModuleId++;
      this.moduleIds.set(module, id);
      for (const port of this.ports) port.postMessage({ id, module });
    }
    this.mainFused.id = id;
    this.mainFused.g = g;
    this.run(JOB.fused, [id, argsPtr, table, rows, per], kernels, 0, 0, 0, this.mainFused);
  }

  /** Stops the workers for good (a finished program needs no call: the workers are unref'd). */
  async stop(): Promise<void> {
    this.failed = true;
    if (!this.terminate) return;
    Atomics.store(this.ctrl, CTRL.stop, 1);
    Atomics.add(this.ctrl, CTRL.seq, 1);
    Atomics.notify(this.ctrl, CTRL.seq);
    await this.terminate();
    this.terminate = null;
    Atomics.store(this.ctrl, CTRL.ready, 0);
  }
}
