/**
 * End-to-end: the book's Fashion-MNIST MLP (784-300-100-10) trained with fit and run with
 * predict, the same workload as the anchors in ../shared/anchors (see mlp_workload.ts).
 *
 * In `npm run bench` (name `mlp`): a short run per backend — SGD at batch 32 and 256 and Adam
 * at batch 32 on 5,500 samples per epoch (2 timed epochs, extrapolated to 55,000), and predict.
 * Standalone, the full measurement (what bench/anchors.sh runs):
 *   node dist/bench/mlp.js --backend wasm --mode train --opt sgd --batch 32 --epochs 3
 *   node dist/bench/mlp.js --backend wasm --mode predict
 *   node dist/bench/mlp.js --backend wasm --mode train --opt nadam --arch bn --epochs 3
 * Options: --backend NAME, --mode train|predict, --opt NAME (sgd, adam or any other case of
 * mlp_cases.ts: sgd_momentum, rmsprop_centered, nadam, ...), --arch plain|bn|dropout (what
 * follows each hidden layer; default plain), --batch N, --epochs N,
 * --samples N (per timed epoch; default 55000, fewer are extrapolated), --warmup-batches N
 * (default 100), --reps N (predict, default 7), --no-accuracy (compile without the metric),
 * --capture on|off (captured steps, docs/CAPTURE.md; default on).
 * Prints a readable line, then one JSON line per result (fields named like the anchors').
 */
import { pathToFileURL } from 'node:url';
import * as hb from '../src/index.js';
import { type Benchmark, type BenchOptions, printJson, printTable } from './harness.js';
import { ARCHS, OPTIMIZER_NAMES, isArch, isOptimizerCase } from './mlp_cases.js';
import { type TrainConfig, measurePredict, measureTrain, median, peakRssMb, rssMb } from './mlp_workload.js';

/** Samples per epoch in the book (Fashion-MNIST's training split less 5,000 for validation). */
export const FULL = 55000;
const r = (v: number, d = 3): number => Number(v.toFixed(d));

function backendInfo(): Record<string, unknown> {
  return { system: 'hebb', backend: hb.getBackend().name, node: process.version, HEBB_WASM_THREADS: process.env['HEBB_WASM_THREADS'] ?? null, HEBB_NATIVE_THREADS: process.env['HEBB_NATIVE_THREADS'] ?? null, capture: process.env['HEBB_CAPTURE'] !== '0' };
}

/** One timed training run as the JSON record both the CLI and the short benchmarks print. */
export async function trainRecord(cfg: TrainConfig): Promise<Record<string, unknown>> {
  const res = await measureTrain(cfg);
  const ep = res.epochSecondsFull;
  const med = median(ep);
  const first = res.perEpoch[0];
  const last = res.perEpoch[res.perEpoch.length - 1];
  return {
    ...backendInfo(),
    mode: 'train',
    opt: cfg.opt,
    arch: cfg.arch ?? 'plain',
    batch: cfg.batch,
    params: res.params,
    accuracy_metric: cfg.accuracy,
    timed_samples_per_epoch: cfg.samples,
    extrapolated: cfg.samples !== cfg.fullSamples,
    epochs_timed: ep.length,
    epoch_s_median: r(med),
    epoch_s_min: r(Math.min(...ep)),
    epoch_s_max: r(Math.max(...ep)),
    samples_per_s_median: Math.round(cfg.fullSamples / med),
    gflops_median: r((6 * res.params * cfg.fullSamples) / med / 1e9, 2),
    final_loss: r(res.finalLoss, 4),
    tensors_before: res.tensorsBefore,
    tensors_after: res.tensorsAfter,
    buffers_before: res.buffersBefore,
    buffers_after: res.buffersAfter,
    // Growth between the first and the last epoch's end (the first epoch may still allocate caches).
    tensors_growth: last && first ? last.tensors - first.tensors : 0,
    buffers_growth: last && first ? last.buffers - first.buffers : 0,
    rss_mb_first_epoch: first ? Math.round(first.rssMb) : null,
    rss_mb_last_epoch: last ? Math.round(last.rssMb) : null,
    heap_mb_first_epoch: first ? r(first.heapUsedMb, 1) : null,
    heap_mb_last_epoch: last ? r(last.heapUsedMb, 1) : null,
    rss_mb_end: Math.round(rssMb()),
    peak_rss_mb: Math.round(peakRssMb()),
    rss_mb_per_epoch: res.perEpoch.map((e) => Math.round(e.rssMb)),
  };
}

async function predictRecord(reps: number): Promise<Record<string, unknown>> {
  const { seconds } = await measurePredict(reps);
  const med = median(seconds);
  return {
    ...backendInfo(),
    mode: 'predict',
    samples: 10000,
    batch: 1024,
    s_median: r(med, 4),
    s_min: r(Math.min(...seconds), 4),
    s_max: r(Math.max(...seconds), 4),
    samples_per_s_median: Math.round(10000 / med),
    peak_rss_mb: Math.round(peakRssMb()),
  };
}

function line(rec: Record<string, unknown>): string {
  if (rec['mode'] === 'predict') {
    return `hebb ${String(rec['backend'])} predict 10,000 @1024: ${String(rec['s_median'])} s median (${String(rec['s_min'])}-${String(rec['s_max'])}), ${String(rec['samples_per_s_median'])} samples/s`;
  }
  return (
    `hebb ${String(rec['backend'])} ${String(rec['opt'])}${rec['arch'] === 'plain' ? '' : ` ${String(rec['arch'])}`} batch ${String(rec['batch'])}: ${String(rec['epoch_s_median'])} s/epoch median ` +
    `(${String(rec['epoch_s_min'])}-${String(rec['epoch_s_max'])}, ${String(rec['epochs_timed'])} epochs${rec['extrapolated'] ? ', extrapolated' : ''}), ` +
    `${String(rec['samples_per_s_median'])} samples/s, peak RSS ${String(rec['peak_rss_mb'])} MB, tensors ${String(rec['tensors_before'])} -> ${String(rec['tensors_after'])}, ` +
    `buffers ${String(rec['buffers_before'])} -> ${String(rec['buffers_after'])}`
  );
}

/** The short run inside `npm run bench`: ~5,500 samples per epoch, 2 epochs, every backend. */
async function run(options: BenchOptions): Promise<void> {
  const backends = options.backends ?? hb.listBackends();
  const records: Record<string, unknown>[] = [];
  const rows: (string | number)[][] = [];
  const cases: { opt: 'sgd' | 'adam'; batch: number }[] = [
    { opt: 'sgd', batch: 32 },
    { opt: 'adam', batch: 32 },
    { opt: 'sgd', batch: 256 },
  ];
  for (const backend of backends) {
    try {
      hb.setBackend(backend);
    } catch (e) {
      console.log(`${backend}: skipped (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    // The cpu reference backend is ~20x slower: a tenth of the samples keeps it to seconds.
    const samples = backend === 'cpu' ? 1100 : 5500;
    for (const c of cases) {
      const rec = await trainRecord({ ...c, epochs: 2, samples, fullSamples: FULL, warmupBatches: Math.min(20, Math.floor(samples / c.batch)), accuracy: true });
      records.push(rec);
      rows.push([backend, `fit ${c.opt} b${c.batch}`, String(rec['epoch_s_median']), String(rec['samples_per_s_median']), `${String(rec['tensors_before'])} -> ${String(rec['tensors_after'])}`]);
    }
    const p = await predictRecord(backend === 'cpu' ? 1 : 3);
    records.push(p);
    rows.push([backend, 'predict 10k b1024', String(p['s_median']), String(p['samples_per_s_median']), '']);
  }
  printTable(['backend', 'case', 's/epoch (or s)', 'samples/s', 'tensors'], rows);
  console.log(`(short run: epochs of ${backends.includes('cpu') ? '1,100 (cpu) / ' : ''}5,500 samples extrapolated to 55,000; the full comparison is bench/anchors.sh)`);
  for (const rec of records) printJson({ bench: 'mlp', ...rec });
}

export const mlp: Benchmark = {
  name: 'mlp',
  description: 'Fashion-MNIST MLP 784-300-100-10: fit s/epoch (SGD/Adam, batch 32/256) and predict, short',
  run,
};

function arg(argv: readonly string[], name: string, def: string): string {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? argv[i + 1] : undefined;
  return v ?? def;
}

function intArg(argv: readonly string[], name: string, def: number): number {
  const v = Number(arg(argv, name, String(def)));
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, received ${arg(argv, name, '')}`);
  return v;
}

async function main(argv: readonly string[]): Promise<void> {
  // --capture off: every step the ordinary way (docs/CAPTURE.md), through the switch fit and predict read.
  const capture = arg(argv, 'capture', 'on');
  if (capture !== 'on' && capture !== 'off') throw new Error(`--capture must be on or off, received ${capture}`);
  if (capture === 'off') process.env['HEBB_CAPTURE'] = '0';
  const backend = arg(argv, 'backend', hb.getBackend().name);
  hb.setBackend(backend);
  const mode = arg(argv, 'mode', 'train');
  if (mode === 'predict') {
    const rec = await predictRecord(intArg(argv, 'reps', 7));
    console.log(line(rec));
    printJson(rec);
    return;
  }
  if (mode !== 'train') throw new Error(`--mode must be train or predict, received ${mode}`);
  const opt = arg(argv, 'opt', 'sgd');
  if (!isOptimizerCase(opt)) throw new Error(`--opt must be one of ${OPTIMIZER_NAMES.join(', ')}; received ${opt}`);
  const arch = arg(argv, 'arch', 'plain');
  if (!isArch(arch)) throw new Error(`--arch must be one of ${ARCHS.join(', ')}; received ${arch}`);
  const samples = intArg(argv, 'samples', FULL);
  const rec = await trainRecord({
    opt,
    arch,
    batch: intArg(argv, 'batch', 32),
    epochs: intArg(argv, 'epochs', 3),
    samples,
    fullSamples: FULL,
    warmupBatches: intArg(argv, 'warmup-batches', 100),
    accuracy: !argv.includes('--no-accuracy'),
  });
  console.log(line(rec));
  printJson(rec);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
