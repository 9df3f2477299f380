/**
 * The end-to-end workload of the anchors in ../shared/anchors (bench_tfjs.mjs,
 * bench_torch.py): the book's ch. 10 Fashion-MNIST MLP, Flatten 28x28 -> Dense 300 relu ->
 * Dense 100 relu -> Dense 10 softmax, sparse categorical cross-entropy, SGD (lr 0.01) or Adam
 * (lr 0.001) — or any optimizer of mlp_cases.ts, with batch normalization or dropout after each
 * hidden layer — on synthetic data (uniform [0,1) pixels, labels 0..9: the content does not change
 * the speed). Timing follows the anchors: a warm-up fit on the first `warmupBatches` batches,
 * then one fit of `epochs` epochs timed per epoch by callbacks; predict is 10,000 images at
 * batch 1024, 2 warm-up calls then `reps` timed calls, the output read back each time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as hb from '../src/index.js';
import { type Arch, type OptimizerCase, OPTIMIZER_CASES, afterHidden } from './mlp_cases.js';

export interface TrainConfig {
  opt: OptimizerCase;
  /** ['plain'] what follows each hidden layer (mlp_cases.ts). */
  arch?: Arch;
  batch: number;
  epochs: number;
  /** Samples per epoch (55,000 in the book). Fewer are timed and extrapolated to `fullSamples`. */
  samples: number;
  fullSamples: number;
  warmupBatches: number;
  /** Compile with metrics: ['accuracy'] (as the book and the tfjs anchor do); torch has none. */
  accuracy: boolean;
}

export interface EpochMemory {
  epoch: number;
  seconds: number;
  tensors: number;
  buffers: number;
  rssMb: number;
  heapUsedMb: number;
}

export interface TrainResult {
  epochSeconds: number[];
  /** Per-epoch seconds scaled to `fullSamples` (equal to epochSeconds when nothing is extrapolated). */
  epochSecondsFull: number[];
  params: number;
  tensorsBefore: number;
  buffersBefore: number;
  tensorsAfter: number;
  buffersAfter: number;
  perEpoch: EpochMemory[];
  finalLoss: number;
}

export interface PredictResult {
  seconds: number[];
}

const MB = 2 ** 20;

/** Deterministic uniform [0, 1) values (a 32-bit LCG: fast, and independent of hb's random). */
export function uniformData(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296;
  }
  return out;
}

export function labelData(n: number, seed: number): Int32Array {
  const u = uniformData(n, seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(9, Math.floor((u[i] as number) * 10));
  return out;
}

export function buildModel(opt: OptimizerCase, accuracy: boolean, arch: Arch = 'plain'): hb.Model {
  const model = hb.sequential([
    hb.layers.input({ shape: [28, 28] }),
    hb.layers.flatten(),
    hb.layers.dense({ units: 300, activation: 'relu' }),
    ...afterHidden(arch),
    hb.layers.dense({ units: 100, activation: 'relu' }),
    ...afterHidden(arch),
    hb.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: OPTIMIZER_CASES[opt](), metrics: accuracy ? ['accuracy'] : [] });
  return model;
}

export function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

/** Peak resident set size of this process so far (getrusage ru_maxrss; Node reports KiB). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * A full garbage collection, now. V8 frees a large ArrayBuffer only at its next full
 * collection, which, with nothing else allocating much during training, may not come for the
 * whole run: host arrays uploaded to the backend (the labels here) would stay resident. Node
 * exposes `gc` only behind --expose-gc, which can be set at run time and read from a fresh
 * context.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

/**
 * The synthetic data set, on the backend: n images [28, 28] of uniform [0, 1) values and n
 * labels. The images are drawn on the backend (`hb.randomUniform`, seeded: the Philox kernel
 * writes them in place), as PyTorch's anchor makes its data with `torch.rand`: drawn on the
 * host and uploaded, the 55,000 images (172 MB) were resident twice while the upload ran, and
 * the run's peak RSS counted both (425 MB against 289 MB while training, 2026-12-03).
 */
export function syntheticData(n: number, seed: number): { x: hb.Tensor; y: hb.Tensor } {
  const x = hb.randomUniform([n, 28, 28], { seed });
  const y = hb.tensor(labelData(n, seed + 1), [n], 'int32');
  collectGarbage();
  return { x, y };
}

export async function measureTrain(cfg: TrainConfig): Promise<TrainResult> {
  hb.setSeed(0);
  const model = buildModel(cfg.opt, cfg.accuracy, cfg.arch ?? 'plain');
  const n = cfg.samples;
  const { x, y } = syntheticData(n, 1);
  try {
    const nw = Math.min(n, cfg.warmupBatches * cfg.batch);
    if (nw > 0) {
      const xw = hb.slice(x, [0, 0, 0], [nw, 28, 28]);
      const yw = hb.slice(y, [0], [nw]);
      await model.fit(xw, yw, { batchSize: cfg.batch, epochs: 1, shuffle: true, verbose: 0 });
      xw.dispose();
      yw.dispose();
    }
    const tensorsBefore = hb.numTensors();
    const buffersBefore = hb.numBuffers();
    const epochSeconds: number[] = [];
    const perEpoch: EpochMemory[] = [];
    let t0 = 0;
    let finalLoss = NaN;
    await model.fit(x, y, {
      batchSize: cfg.batch,
      epochs: cfg.epochs,
      shuffle: true,
      verbose: 0,
      callbacks: [
        {
          onEpochBegin: () => {
            t0 = performance.now();
          },
          onEpochEnd: (epoch, logs) => {
            // fit has read the epoch's loss back before this hook: the epoch's work is done.
            const seconds = (performance.now() - t0) / 1000;
            epochSeconds.push(seconds);
            finalLoss = logs['loss'] ?? NaN;
            perEpoch.push({ epoch, seconds, tensors: hb.numTensors(), buffers: hb.numBuffers(), rssMb: rssMb(), heapUsedMb: process.memoryUsage().heapUsed / MB });
          },
        },
      ],
    });
    const scale = cfg.fullSamples / n;
    return {
      epochSeconds,
      epochSecondsFull: epochSeconds.map((s) => s * scale),
      params: model.countParams(),
      tensorsBefore,
      buffersBefore,
      tensorsAfter: hb.numTensors(),
      buffersAfter: hb.numBuffers(),
      perEpoch,
      finalLoss,
    };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}

export async function measurePredict(reps: number): Promise<PredictResult> {
  hb.setSeed(0);
  const model = buildModel('sgd', false);
  const { x, y } = syntheticData(10000, 3);
  y.dispose();
  const once = async (): Promise<number> => {
    const t = performance.now();
    const out = await model.predict(x, { batchSize: 1024 });
    const outs = Array.isArray(out) ? out : [out];
    for (const o of outs) await o.data();
    const dt = (performance.now() - t) / 1000;
    for (const o of outs) o.dispose();
    return dt;
  };
  try {
    for (let i = 0; i < 2; i++) await once();
    const seconds: number[] = [];
    for (let i = 0; i < reps; i++) seconds.push(await once());
    return { seconds };
  } finally {
    x.dispose();
    model.dispose();
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  if (s.length === 0) return NaN;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
