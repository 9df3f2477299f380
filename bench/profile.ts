/**
 * Where a training step's time goes, per backend call: the book's MLP (bench/mlp_workload.ts's
 * buildModel) fit with captured steps as `fit` runs them, every method of the active backend
 * instance wrapped in a timer (the capture recorder wraps and restores them around its traces,
 * so the replays call these wrappers), keyed by the method and its operands' shapes.
 *
 *   node dist/bench/profile.js OPT[:ARCH]    e.g. sgd, adam:bn
 *
 * BACKEND (default wasm), BATCH (32), STEPS (1,719: one 55,000-sample epoch at batch 32) and
 * TOP (16) from the environment; HEBB_WASM_THREADS / HEBB_NATIVE_THREADS choose the threads.
 * One warm-up fit (tracing, JIT), then one timed fit of STEPS steps; prints the step's wall
 * time and, per key, the total ms, the calls, µs a call and the share of the wall time. Each
 * call's key is built after its timer stops, but that work still lands in the step's wall time,
 * so the wall time is a little above an uninstrumented epoch's.
 * Why it exists: the 2026-12-04 run showed the wasm SGD update of the 784x300 kernel at 35 µs on
 * one thread and 99 µs with the GEMM worker (docs/BENCHMARKS.md), which no whole-step timing shows.
 */
import * as hb from '../src/index.js';
import { getBackend, getBackendName } from '../src/core/engine.js';
import { isArch, isOptimizerCase } from './mlp_cases.js';
import { buildModel, labelData, uniformData } from './mlp_workload.js';

/** One operand's description: a view's or buffer's shape (`32x784`), a list's in brackets. */
function describe(v: unknown): string | null {
  if (Array.isArray(v)) {
    const inner = v.map(describe).filter((s): s is string => s !== null);
    return inner.length > 0 ? `[${inner.join(',')}]` : null;
  }
  if (typeof v === 'object' && v !== null && 'shape' in v && Array.isArray(v.shape)) return v.shape.length === 0 ? 'scalar' : v.shape.join('x');
  return null;
}

interface ProfileRow {
  key: string;
  ms: number;
  calls: number;
}

/** Wraps every method of `target` (own and inherited); returns the rows and an undo. */
function instrument(target: object): { rows: Map<string, ProfileRow>; restore: () => void } {
  const rows = new Map<string, ProfileRow>();
  const names = new Set<string>();
  for (let p: object | null = Object.getPrototypeOf(target) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  }
  const t = target as Record<string, unknown>;
  const wrapped: string[] = [];
  for (const name of names) {
    const f = t[name];
    if (name === 'constructor' || typeof f !== 'function' || Object.prototype.hasOwnProperty.call(target, name)) continue;
    const fn = f as (...a: unknown[]) => unknown;
    t[name] = function (this: unknown, ...args: unknown[]): unknown {
      const t0 = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        const dt = performance.now() - t0;
        const shapes = args.map(describe).filter((s): s is string => s !== null).slice(0, 3);
        const key = shapes.length > 0 ? `${name} ${shapes.join(' ')}` : name;
        const row = rows.get(key) ?? { key, ms: 0, calls: 0 };
        row.ms += dt;
        row.calls++;
        rows.set(key, row);
      }
    };
    wrapped.push(name);
  }
  return { rows, restore: () => wrapped.forEach((n) => delete t[n]) };
}

async function main(): Promise<void> {
  const [spec = ''] = process.argv.slice(2);
  const [opt = '', arch = 'plain'] = spec.split(':');
  if (!isOptimizerCase(opt) || !isArch(arch)) {
    console.error('usage: node dist/bench/profile.js OPT[:ARCH]   (bench/mlp_cases.ts: e.g. sgd, adam:bn)');
    process.exit(2);
  }
  hb.setBackend(process.env['BACKEND'] ?? 'wasm');
  const batch = Number(process.env['BATCH'] ?? 32);
  const steps = Number(process.env['STEPS'] ?? 1719);
  const top = Number(process.env['TOP'] ?? 16);
  const n = steps * batch;
  const x = hb.keep(hb.tensor(uniformData(n * 784, 1), [n, 28, 28], 'float32'));
  const y = hb.keep(hb.tensor(labelData(n, 2), [n], 'int32'));
  const model = buildModel(opt, false, arch);
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
  const { rows, restore } = instrument(getBackend());
  const t0 = performance.now();
  try {
    await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
  } finally {
    restore();
  }
  const wall = performance.now() - t0;
  console.log(`${getBackendName()} ${spec} batch ${batch}: ${steps} steps in ${(wall / 1000).toFixed(3)} s, ${((1000 * wall) / steps).toFixed(1)} µs a step`);
  for (const r of [...rows.values()].sort((a, b) => b.ms - a.ms).slice(0, top)) {
    console.log(`${r.key.padEnd(58)} ${r.ms.toFixed(1).padStart(9)} ms ${String(r.calls).padStart(7)} calls ${((1000 * r.ms) / r.calls).toFixed(1).padStart(8)} µs ${((100 * r.ms) / wall).toFixed(1).padStart(5)}%`);
  }
}

await main();
