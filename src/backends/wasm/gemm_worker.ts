/**
 * The GEMM worker thread (see gemm_thread.ts): instantiates the kernels over the main thread's
 * shared memory, then helps with each posted product until told to stop. `index` picks its
 * own scratch block among the workers'.
 *
 * One script for both hosts: in Node (a worker_threads Worker) the memory arrives as workerData;
 * in a browser (a module Web Worker, bundled as dist/browser/gemm_worker.js) it arrives by the
 * first postMessage. Nothing here imports a Node built-in, so the browser bundle can hold it.
 */
import { CONTROL_BYTES, CTRL, runChunks, type FusedPartFn, type FusedSource } from './gemm_jobs.js';
import { SPIN } from './gemm_thread.js';
import { instantiateKernels } from './module.js';

/**
 * Node: fused programs' modules arrive on `port` ({id, module}, posted before the first job
 * that runs them) and are read synchronously when a job needs one; instantiated over the same
 * memory, their offset entries (fused_jit.ts's g) run this worker's rows.
 */
function fusedSource(memory: WebAssembly.Memory, port: unknown): FusedSource | null {
  const wt = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:worker_threads') : undefined;
  if (!wt || !(port instanceof wt.MessagePort)) return null;
  const fns = new Map<number, FusedPartFn>();
  return {
    fn(id) {
      for (let got = fns.get(id); ; got = fns.get(id)) {
        if (got) return got;
        const m = wt.receiveMessageOnPort(port)?.message as { id?: unknown; module?: unknown } | undefined;
        if (!m) return null;
        if (typeof m.id !== 'number' || !(m.module instanceof WebAssembly.Module)) continue;
        const g = new WebAssembly.Instance(m.module, { env: { memory } }).exports['g'];
        if (typeof g === 'function') fns.set(m.id, g as FusedPartFn);
      }
    },
  };
}

function start(data: unknown): void {
  if (typeof data !== 'object' || data === null || !('memory' in data) || !('ctrlPtr' in data) || !('index' in data)) return;
  const { memory, ctrlPtr, index } = data;
  if (!(memory instanceof WebAssembly.Memory) || typeof ctrlPtr !== 'number' || typeof index !== 'number') return;
  const k = instantiateKernels(memory);
  const fused = fusedSource(memory, 'port' in data ? data.port : undefined);
  const ctrl = new Int32Array(memory.buffer, ctrlPtr, CONTROL_BYTES / 4);
  let seen = Atomics.load(ctrl, CTRL.seq);
  Atomics.add(ctrl, CTRL.ready, 1);
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctrl, CTRL.seq) === seen && spins < SPIN) spins++;
    if (Atomics.load(ctrl, CTRL.seq) === seen) Atomics.wait(ctrl, CTRL.seq, seen);
    seen = Atomics.load(ctrl, CTRL.seq);
    if (Atomics.load(ctrl, CTRL.stop) === 1) return;
    // Count ourselves in, then take part only if the job is still open: the main thread closes
    // it before waiting for `active` to drop to 0, so a late worker never touches a closed job.
    Atomics.add(ctrl, CTRL.active, 1);
    if (Atomics.load(ctrl, CTRL.open) === 1) {
      const ran = runChunks(ctrl, k, (ctrl[CTRL.work] as number) + index * (ctrl[CTRL.workStride] as number), index + 1, fused);
      Atomics.add(ctrl, CTRL.workerChunks, ran);
    }
    if (Atomics.sub(ctrl, CTRL.active, 1) === 1) Atomics.notify(ctrl, CTRL.active);
  }
}

const wt = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:worker_threads') : undefined;
if (wt) start(wt.workerData);
// A Web Worker: the loop never returns to the event loop, so only the first message matters.
else globalThis.addEventListener('message', (e: MessageEvent<unknown>) => start(e.data), { once: true });
