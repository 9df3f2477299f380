/**
 * The GEMM worker thread (see gemm_thread.ts): instantiates the kernels over the main thread's
 * shared memory, then helps with each posted product until told to stop.
 *
 * One script for both hosts: in Node (a worker_threads Worker) the memory arrives as workerData;
 * in a browser (a module Web Worker, bundled as dist/browser/gemm_worker.js) it arrives by the
 * first postMessage. Nothing here imports a Node built-in, so the browser bundle can hold it.
 */
import { CONTROL_BYTES, CTRL, SPIN, STATE, runChunks } from './gemm_thread.js';
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
    // Take the job only if the main thread has not closed it already.
    if (Atomics.compareExchange(ctrl, CTRL.state, STATE.posted, STATE.running) !== STATE.posted) continue;
    const ran = runChunks(ctrl, k, ctrl[CTRL.work] as number);
    Atomics.add(ctrl, CTRL.workerChunks, ran);
    Atomics.store(ctrl, CTRL.state, STATE.idle);
    Atomics.notify(ctrl, CTRL.state);
  }
}

const wt = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:worker_threads') : undefined;
if (wt) start(wt.workerData);
// A Web Worker: the loop never returns to the event loop, so only the first message matters.
else globalThis.addEventListener('message', (e: MessageEvent<unknown>) => start(e.data), { once: true });
