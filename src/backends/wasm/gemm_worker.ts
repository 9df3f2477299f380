/**
 * The GEMM worker thread (see gemm_thread.ts): instantiates the kernels over the main thread's
 * shared memory, then runs gemm_cols for each job posted in the control block until told to stop.
 */
import { workerData } from 'node:worker_threads';
import { CTRL, CONTROL_BYTES, SPIN } from './gemm_thread.js';
import { instantiateKernels } from './module.js';

function start(data: unknown): void {
  if (typeof data !== 'object' || data === null || !('memory' in data) || !('ctrlPtr' in data)) return;
  const { memory, ctrlPtr } = data;
  if (!(memory instanceof WebAssembly.Memory) || typeof ctrlPtr !== 'number') return;
  const k = instantiateKernels(memory);
  const ctrl = new Int32Array(memory.buffer, ctrlPtr, CONTROL_BYTES / 4);
  let seen = Atomics.load(ctrl, CTRL.seq);
  Atomics.store(ctrl, CTRL.ready, 1);
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctrl, CTRL.seq) === seen && spins < SPIN) spins++;
    if (Atomics.load(ctrl, CTRL.seq) === seen) Atomics.wait(ctrl, CTRL.seq, seen);
    seen = Atomics.load(ctrl, CTRL.seq);
    if (Atomics.load(ctrl, CTRL.stop) === 1) return;
    const a = (i: number): number => ctrl[CTRL.args + i] as number;
    k.gemm_cols(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10));
    Atomics.store(ctrl, CTRL.done, seen);
    Atomics.notify(ctrl, CTRL.done);
  }
}

start(workerData);
