/**
 * A second thread for big float32 GEMMs (Node): a worker instantiates the kernel module over the
 * main thread's shared memory, and each big product is split by columns of C between the two
 * threads: the main thread packs A, posts the worker the right half of the columns, computes the
 * left half itself, then waits. Both halves read the same packed A and write disjoint columns,
 * and each element is summed in the same order as on one thread, so results are bit-identical.
 *
 * Signalling is through a control block of int32s in the shared memory: a job counter the
 * worker waits on and a done counter the main thread waits on. Each side spins briefly before
 * sleeping in Atomics.wait: consecutive GEMMs of a training step come microseconds apart, and
 * a futex wake-up costs more than that.
 */
import { BackendError } from '../../core/errors.js';

/** int32 slots of the control block. */
export const CTRL = { seq: 0, done: 1, ready: 2, stop: 3, args: 4 } as const;
/** The control block: 4 flags and 11 gemm_cols arguments, rounded up to a cache line. */
export const CONTROL_BYTES = 64;
/** Spins (Atomics.load calls) before sleeping: a few tens of microseconds. */
export const SPIN = 20000;

interface WorkerHandle {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** Arguments of gemm_cols: pa, b, sbk, sbn, c, m, k, n, j0, j1, work. */
export type ColsArgs = readonly [number, number, number, number, number, number, number, number, number, number, number];

export class GemmThread {
  private readonly ctrl: Int32Array;
  private worker: WorkerHandle | null = null;
  /** Set when the worker could not start, died, or was stopped: one thread from then on. */
  private failed = false;
  private seq = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly ctrlPtr: number,
  ) {
    // Shared buffers are never detached by memory.grow, so this view stays valid.
    this.ctrl = new Int32Array(memory.buffer, ctrlPtr, CONTROL_BYTES / 4);
  }

  /** True once the worker has started and instantiated its kernels; starts it on first call. */
  ready(): boolean {
    if (Atomics.load(this.ctrl, CTRL.ready) === 1) return true;
    if (!this.worker && !this.failed) this.start();
    return false;
  }

  private start(): void {
    const wt = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:worker_threads') : undefined;
    if (!wt) {
      this.failed = true;
      return;
    }
    const worker = new wt.Worker(new URL('./gemm_worker.js', import.meta.url), {
      workerData: { memory: this.memory, ctrlPtr: this.ctrlPtr },
    });
    // Never keeps the process alive: a program that is done exits with the worker asleep.
    worker.unref();
    worker.on('error', () => {
      this.failed = true;
      Atomics.store(this.ctrl, CTRL.ready, 0);
    });
    this.worker = worker;
  }

  /** Hands the worker columns [j0, j1) of a product; `wait` must follow before memory is reused. */
  post(args: ColsArgs): void {
    for (let i = 0; i < args.length; i++) this.ctrl[CTRL.args + i] = args[i] as number;
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.ctrl, CTRL.seq, this.seq);
    Atomics.notify(this.ctrl, CTRL.seq);
  }

  wait(): void {
    for (let i = 0; i < SPIN; i++) if (Atomics.load(this.ctrl, CTRL.done) === this.seq) return;
    while (Atomics.load(this.ctrl, CTRL.done) !== this.seq) {
      const r = Atomics.wait(this.ctrl, CTRL.done, Atomics.load(this.ctrl, CTRL.done), 5000);
      if (r === 'timed-out' && this.failed) throw new BackendError('wasm backend: the GEMM worker thread died during a product');
    }
  }

  /** Stops the worker for good (a finished program needs no call: the worker is unref'd). */
  async stop(): Promise<void> {
    if (!this.worker) return;
    Atomics.store(this.ctrl, CTRL.stop, 1);
    Atomics.store(this.ctrl, CTRL.seq, (this.seq + 1) | 0);
    Atomics.notify(this.ctrl, CTRL.seq);
    this.failed = true;
    await this.worker.terminate();
    this.worker = null;
    Atomics.store(this.ctrl, CTRL.ready, 0);
  }
}
