/**
 * A second thread for big float32 GEMMs: a worker (a worker_threads Worker in Node, a module Web
 * Worker in a cross-origin isolated page) instantiates the kernel module over the main thread's
 * shared memory and helps with products posted to it. The main thread posts the job, and both
 * threads then claim chunks from a shared counter (Atomics.add) until none are left: chunks of
 * C's columns over an A the main thread packed first, or chunks of C's rows, each packing its
 * own rows of A (JOB below). Chunks write disjoint parts of C, and every element is summed in
 * the same order as on one thread: results are bit-identical.
 *
 * Claiming chunks (rather than handing the worker a fixed half) keeps a busy machine from
 * stalling the main thread: if the worker is descheduled or still asleep, the main thread takes
 * every chunk itself, then closes the job with a compare-and-swap so a late worker skips it. It
 * only waits when the worker is running a chunk at that moment. A page's main thread may not
 * block in Atomics.wait (it throws there), so it waits for that chunk with an Atomics.load spin.
 *
 * Wake-ups: the worker spins briefly on a job counter before sleeping in Atomics.wait, since
 * consecutive GEMMs of a training step come microseconds apart and a futex wake-up costs more.
 *
 * A busy machine: when the 1-minute load average is at or above the number of cores (another
 * process computes too), two threads were measured slower than one (the worker's time slices
 * are taken from the main thread, and a preempted worker holds its chunk), so products stay on
 * one thread until the load drops. Checked at most once a second.
 */
import { BackendError } from '../../core/errors.js';

/**
 * int32 slots of the control block: the job's kind, the worker's work block and up to 10
 * arguments (8..17); workerChunks counts chunks the worker ran.
 */
export const CTRL = { seq: 0, state: 1, next: 2, ready: 3, stop: 4, kind: 5, workerChunks: 6, work: 7, args: 8 } as const;
/** Job states: no job, posted (nobody took it yet), the worker is in it, closed by the main thread. */
export const STATE = { idle: 0, posted: 1, running: 2 } as const;
/**
 * Job kinds: chunks of C's columns over one packed A (the main thread packed it before posting;
 * a training step's short, wide products), or chunks of C's rows, each thread packing its own
 * rows of A (tall products such as predict's batch of 1024, where packing A is ~8% of the work
 * and would otherwise run on one thread before the split).
 */
export const JOB = { cols: 0, rows: 1 } as const;
/** The control block: 18 slots, rounded up to cache lines. */
export const CONTROL_BYTES = 128;
/** Spins (Atomics.load calls) before sleeping: ~10-30 microseconds. */
export const SPIN = 10000;
/**
 * Chunk sizes are guided: each claim takes a quarter of what is left, in whole register panels,
 * between a minimum and a maximum. Early chunks are big (few claims), the last ones small, so
 * the thread that finishes first waits at most a small chunk for the other: with fixed 32-column
 * chunks the main thread spent ~10% of a batch-32 training run waiting for the worker's last one.
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
  gemm_cols(pa: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, j0: number, j1: number, work: number): void;
  gemm_rows(a: number, sam: number, sak: number, b: number, sbk: number, sbn: number, c: number, m: number, k: number, n: number, i0: number, i1: number, work: number): void;
}

/** The chunk a claim took: [start, end). One per thread (module state: one per worker and main). */
const span = [0, 0];

/** Claims the next chunk of [0, total) (see CHUNK_COLS) into `span`; false when nothing is left. */
function claim(ctrl: Int32Array, total: number, c: typeof CHUNK_COLS | typeof CHUNK_ROWS): boolean {
  for (;;) {
    const start = Atomics.load(ctrl, CTRL.next);
    if (start >= total) return false;
    const size = Math.min(c.max, Math.max(c.min, Math.ceil((total - start) / 4 / c.unit) * c.unit));
    const end = Math.min(total, start + size);
    if (Atomics.compareExchange(ctrl, CTRL.next, start, end) === start) {
      span[0] = start;
      span[1] = end;
      return true;
    }
  }
}

/** Claims and runs chunks of a posted job until none are left (main thread and worker alike); returns how many it ran. */
export function runChunks(ctrl: Int32Array, k: ChunkKernels, work: number): number {
  const a = (i: number): number => ctrl[CTRL.args + i] as number;
  let ran = 0;
  if (ctrl[CTRL.kind] === JOB.rows) {
    const m = a(7);
    for (; claim(ctrl, m, CHUNK_ROWS); ran++) k.gemm_rows(a(0), a(1), a(2), a(3), a(4), a(5), a(6), m, a(8), a(9), span[0] as number, span[1] as number, work);
    return ran;
  }
  const n = a(7);
  for (; claim(ctrl, n, CHUNK_COLS); ran++) k.gemm_cols(a(0), a(1), a(2), a(3), a(4), a(5), a(6), n, span[0] as number, span[1] as number, work);
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

export class GemmThread {
  private readonly ctrl: Int32Array;
  private readonly blocking: boolean;
  /** Ends the worker (Node's terminate or a Web Worker's); null until started. */
  private terminate: (() => Promise<unknown>) | null = null;
  /** Set when the worker could not start, died, or was stopped: one thread from then on. */
  private failed = false;
  private idle = true;
  private idleCheckedAt = -Infinity;

  /** `whenBusy`: use the worker even when the machine is busy (an explicit request for two threads). */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly ctrlPtr: number,
    private readonly whenBusy = false,
  ) {
    // Shared buffers are never detached by memory.grow, so this view stays valid.
    this.ctrl = new Int32Array(memory.buffer, ctrlPtr, CONTROL_BYTES / 4);
    this.blocking = canBlock(this.ctrl);
  }

  /** Chunks of products the worker has run so far (a diagnostic: 0 means it never took part). */
  workerChunks(): number {
    return Atomics.load(this.ctrl, CTRL.workerChunks);
  }

  /** True once the worker has started and instantiated its kernels; starts it on first call. */
  ready(): boolean {
    if (this.failed) return false;
    if (Atomics.load(this.ctrl, CTRL.ready) === 1) return true;
    if (!this.terminate) this.start();
    return false;
  }

  /** True when the worker is ready and the machine has a core to spare for it. */
  available(): boolean {
    if (!this.ready()) return false;
    if (this.whenBusy) return true;
    const now = performance.now();
    if (now - this.idleCheckedAt > 1000) {
      this.idleCheckedAt = now;
      // A page cannot see the machine's load: there the worker is always used.
      const os = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:os') : undefined;
      // Our own two threads count up to ~2 of the load: "idle" means no one else computes.
      this.idle = !os || (os.loadavg()[0] as number) < os.availableParallelism() + 0.5;
    }
    return this.idle;
  }

  private start(): void {
    try {
      const wt = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:worker_threads') : undefined;
      if (wt) {
        // The worker script: gemm_worker.js beside this file (dist/src/backends/wasm/).
        const worker = new wt.Worker(new URL('./gemm_worker.js', import.meta.url), { workerData: { memory: this.memory, ctrlPtr: this.ctrlPtr } });
        // Never keeps the process alive: a program that is done exits with the worker asleep.
        worker.unref();
        worker.on('error', () => {
          this.failed = true;
        });
        this.terminate = () => worker.terminate();
      } else if (typeof Worker === 'function') {
        // A browser: the bundle's second entry, dist/browser/gemm_worker.js, beside hebb.js
        // (written inline so that bundlers which follow `new Worker(new URL(...))` find it). The
        // memory travels by postMessage (shared, so both sides see the same bytes); this throws
        // a DataCloneError where the page is not cross-origin isolated.
        const worker = new Worker(new URL('./gemm_worker.js', import.meta.url), { type: 'module', name: 'hebb-gemm' });
        worker.addEventListener('error', () => {
          this.failed = true;
        });
        worker.postMessage({ memory: this.memory, ctrlPtr: this.ctrlPtr });
        this.terminate = () => Promise.resolve(worker.terminate());
      } else {
        this.failed = true;
      }
    } catch {
      // No worker support here (or the memory cannot be shared): one thread from now on.
      this.failed = true;
    }
  }

  /**
   * Runs a product's chunks on both threads: `workerWork` is a scratch block for the worker,
   * `mainWork` the main thread's. Returns when every chunk is done and the worker is out of it.
   */
  run(kind: number, args: JobArgs, kernels: ChunkKernels, mainWork: number, workerWork: number): void {
    const ctrl = this.ctrl;
    if (args.length > 10) throw new BackendError(`wasm backend: a GEMM job takes at most 10 arguments, received ${args.length}`);
    ctrl[CTRL.kind] = kind;
    for (let i = 0; i < args.length; i++) ctrl[CTRL.args + i] = args[i] as number;
    ctrl[CTRL.work] = workerWork;
    Atomics.store(ctrl, CTRL.next, 0);
    Atomics.store(ctrl, CTRL.state, STATE.posted);
    Atomics.add(ctrl, CTRL.seq, 1);
    Atomics.notify(ctrl, CTRL.seq);
    runChunks(ctrl, kernels, mainWork);
    // Close the job if the worker never took it; otherwise wait for it to leave.
    if (Atomics.compareExchange(ctrl, CTRL.state, STATE.posted, STATE.idle) === STATE.posted) return;
    for (let i = 0; i < SPIN; i++) if (Atomics.load(ctrl, CTRL.state) === STATE.idle) return;
    if (!this.blocking) {
      // A page's main thread: keep spinning. The worker is inside one chunk (microseconds to a
      // few milliseconds); an error event cannot arrive while we spin, hence the deadline.
      const deadline = performance.now() + CHUNK_TIMEOUT_S * 1000;
      while (Atomics.load(ctrl, CTRL.state) !== STATE.idle) {
        if (performance.now() > deadline) {
          this.failed = true;
          throw new BackendError(`wasm backend: the GEMM worker did not finish its chunk within ${CHUNK_TIMEOUT_S} s`);
        }
      }
      return;
    }
    while (Atomics.load(ctrl, CTRL.state) !== STATE.idle) {
      const r = Atomics.wait(ctrl, CTRL.state, STATE.running, 5000);
      if (r === 'timed-out' && this.failed) throw new BackendError('wasm backend: the GEMM worker thread died during a product');
    }
  }

  /** Stops the worker for good (a finished program needs no call: the worker is unref'd). */
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
