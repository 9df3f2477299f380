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
import { CONTROL_BYTES, CTRL, JOB, initParts, runChunks, type ChunkKernels, type FusedPartFn, type FusedSource, type JobArgs } from './gemm_jobs.js';

/** Threads in all (the main one included) at most. */
export const MAX_THREADS = 8;
/** Spins (Atomics.load calls) before sleeping: ~10-30 microseconds. */
export const SPIN = 10000;

/** Seconds the main thread waits for the worker's running chunk before declaring it dead. */
const CHUNK_TIMEOUT_S = 10;

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
