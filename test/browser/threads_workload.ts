/**
 * The page side of threads.test.ts, run in a plain page (wasm on one thread) and in a
 * cross-origin isolated one (wasm with its GEMM worker, a module Web Worker over shared memory).
 * Like workload.ts it takes hb as an argument and has no run-time imports: the server hands this
 * compiled file to the page beside the bundle.
 *
 * 1. A float32 product the size of the Fashion-MNIST MLP's first layer at batch 256,
 *    [256, 784] x [784, 300], on wasm and cpu, plus wasm's median time over 15 runs after 30.
 * 2. One model.fit step (SGD) of that MLP, 784-300-100-10, batch 256, on wasm and cpu.
 * Each reports how many chunks the GEMM worker ran during it, and an FNV-1a hash of the float32
 * bits of its results, so the test can check that two threads give exactly one thread's bits.
 */
import type * as Hebb from '../../src/browser.js';

type HebbModule = typeof Hebb;

export const M = 256;
export const K = 784;
export const N = 300;
/** The MLP: 784-300-100-10, relu hidden layers, logits out; one batch of 256. */
export const LAYERS = [784, 300, 100, 10] as const;
export const STEP_BATCH = 256;
const LEARNING_RATE = 0.05;

/** Deterministic float32-exact values in about [-scale, scale] (no RNG stream to keep in step). */
export function values(n: number, seed: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 12.9898 + (i + 1) * 78.233));
}

/** FNV-1a over the float32 bit patterns: equal hashes mean (practically) identical bits. */
export function hashBits(xs: Float32Array): string {
  const u = new Uint32Array(xs.buffer, xs.byteOffset, xs.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) {
    const w = u[i] as number;
    for (let s = 0; s < 32; s += 8) h = Math.imul(h ^ ((w >>> s) & 0xff), 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The wasm backend's thread diagnostics, read without its class (the bundle does not export it). */
interface ThreadDiagnostics {
  ready(): boolean;
  workerChunks(): number;
}

function diagnostics(be: object): ThreadDiagnostics {
  if (!('gemmThreadReady' in be) || typeof be.gemmThreadReady !== 'function' || !('gemmWorkerChunks' in be) || typeof be.gemmWorkerChunks !== 'function') {
    throw new Error('threads workload: the backend has no gemmThreadReady/gemmWorkerChunks (not the wasm backend?)');
  }
  const ready = be.gemmThreadReady;
  const chunks = be.gemmWorkerChunks;
  return { ready: () => ready.call(be) === true, workerChunks: () => Number(chunks.call(be)) };
}

export interface MatmulOutcome {
  /** C row-major, as plain numbers (float32 values). */
  c: number[];
  hash: string;
  workerChunks: number;
  /** Median milliseconds of the product (wasm only). */
  ms: number;
}

export interface StepOutcome {
  loss: number;
  /** Hash of every parameter after the step, in getWeights order. */
  hash: string;
  workerChunks: number;
  /** Parameters after the step (flattened, in getWeights order), only kept for cpu. */
  params: Float32Array[];
}

export interface ThreadsReport {
  defaultBackend: string;
  hardwareConcurrency: number;
  workerReady: boolean;
  matmul: { wasm: MatmulOutcome; cpu: MatmulOutcome };
  step: { wasm: Omit<StepOutcome, 'params'>; cpu: Omit<StepOutcome, 'params'> };
  /** Largest |wasm - cpu| over the parameters after the step, and over |cpu|: for a tolerance check. */
  stepMaxAbsDiff: number;
  stepMaxAbsParam: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function matmulOn(hb: HebbModule, backend: string, warmup: number, reps: number): MatmulOutcome {
  hb.setBackend(backend);
  const d = backend === 'wasm' ? diagnostics(hb.getBackend()) : null;
  const before = d?.workerChunks() ?? 0;
  const a = hb.tensor(values(M * K, 1, 1), [M, K]);
  const b = hb.tensor(values(K * N, 2, 0.1), [K, N]);
  let c = new Float32Array(0);
  const times: number[] = [];
  // The first runs after the worker starts are slow (V8 optimizes hot wasm code in the
  // background, per thread): untimed warm-up runs first, so the time says something.
  for (let r = 0; r < warmup + reps; r++) {
    const t0 = performance.now();
    const out = hb.matmul(a, b);
    if (r >= warmup) times.push(performance.now() - t0);
    c = Float32Array.from(out.dataSync());
    out.dispose();
  }
  hb.dispose([a, b]);
  times.sort((x, y) => x - y);
  return { c: Array.from(c), hash: hashBits(c), workerChunks: (d?.workerChunks() ?? 0) - before, ms: times[Math.floor(times.length / 2)] ?? NaN };
}

async function stepOn(hb: HebbModule, backend: string): Promise<StepOutcome> {
  hb.setBackend(backend);
  const d = backend === 'wasm' ? diagnostics(hb.getBackend()) : null;
  const before = d?.workerChunks() ?? 0;
  const model = hb.sequential([
    hb.input({ shape: [LAYERS[0]] }),
    hb.layers.dense({ units: LAYERS[1], activation: 'relu' }),
    hb.layers.dense({ units: LAYERS[2], activation: 'relu' }),
    hb.layers.dense({ units: LAYERS[3] }),
  ]);
  const weights: Hebb.Tensor[] = [];
  for (let l = 0; l + 1 < LAYERS.length; l++) {
    const fanIn = LAYERS[l] as number;
    const fanOut = LAYERS[l + 1] as number;
    weights.push(hb.tensor(values(fanIn * fanOut, 10 + l, Math.sqrt(6 / (fanIn + fanOut))), [fanIn, fanOut]));
    weights.push(hb.tensor(values(fanOut, 20 + l, 0.05), [fanOut]));
  }
  model.setWeights(weights);
  hb.dispose(weights);
  model.compile({ optimizer: hb.optimizers.sgd({ learningRate: LEARNING_RATE }), loss: hb.losses.sparseCategoricalCrossentropy({ fromLogits: true }) });
  const x = hb.tensor(values(STEP_BATCH * LAYERS[0], 30, 1).map(Math.abs), [STEP_BATCH, LAYERS[0]]);
  const y = hb.tensor(Array.from({ length: STEP_BATCH }, (_, i) => (i * 7) % 10), [STEP_BATCH], 'int32');
  const history = await model.fit(x, y, { epochs: 1, batchSize: STEP_BATCH, shuffle: false, verbose: 0 });
  hb.dispose([x, y]);
  const loss = history.history['loss']?.[0];
  if (loss === undefined) throw new Error('threads workload: fit recorded no loss');
  const params = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const all = new Float32Array(params.reduce((s, p) => s + p.length, 0));
  params.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return { loss, hash: hashBits(all), workerChunks: (d?.workerChunks() ?? 0) - before, params };
}

export async function runThreads(hb: HebbModule): Promise<ThreadsReport> {
  const defaultBackend = hb.getBackend().name;
  hb.setBackend('wasm');
  const d = diagnostics(hb.getBackend());
  // The worker starts with the first product big enough to share and is ready some ms later
  // (it compiles the kernels); until then products run on one thread. Wait for it here.
  let workerReady = d.ready();
  if (globalThis.crossOriginIsolated === true) {
    const a = hb.ones([64, 256]);
    const b = hb.ones([256, 64]);
    hb.matmul(a, b).dispose();
    hb.dispose([a, b]);
    for (let i = 0; i < 500 && !(workerReady = d.ready()); i++) await sleep(10);
  }
  const matmul = { wasm: matmulOn(hb, 'wasm', 30, 15), cpu: matmulOn(hb, 'cpu', 0, 1) };
  const wasmStep = await stepOn(hb, 'wasm');
  const cpuStep = await stepOn(hb, 'cpu');
  let stepMaxAbsDiff = 0;
  let stepMaxAbsParam = 0;
  cpuStep.params.forEach((p, i) => {
    const q = wasmStep.params[i];
    if (q === undefined || q.length !== p.length) throw new Error(`threads workload: parameter ${i} differs in size between wasm and cpu`);
    for (let j = 0; j < p.length; j++) {
      stepMaxAbsDiff = Math.max(stepMaxAbsDiff, Math.abs((q[j] as number) - (p[j] as number)));
      stepMaxAbsParam = Math.max(stepMaxAbsParam, Math.abs(p[j] as number));
    }
  });
  const strip = ({ loss, hash, workerChunks }: StepOutcome): Omit<StepOutcome, 'params'> => ({ loss, hash, workerChunks });
  return {
    defaultBackend,
    hardwareConcurrency: globalThis.navigator?.hardwareConcurrency ?? 0,
    workerReady,
    matmul,
    step: { wasm: strip(wasmStep), cpu: strip(cpuStep) },
    stepMaxAbsDiff,
    stepMaxAbsParam,
  };
}
