/**
 * Shared pieces of the benchmarks: the machine description, a time-bounded sampler that
 * reports medians, and output as a readable table plus one JSON line per result (for scripts).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as hb from '../src/index.js';

/** One benchmark file's entry in bench/run.ts. */
export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<void>;
}

export interface BenchOptions {
  /** Backends to measure (default: every registered one). */
  backends: string[] | null;
}

export interface Samples {
  /** Seconds per call, one per timed repetition. */
  seconds: number[];
  median: number;
  min: number;
}

/**
 * Times `fn` after `warmup` calls and at least `warmupSeconds` of calls: repeats until `maxSeconds` of timed calls (at least
 * `minReps`, at most `maxReps`). Medians, not means: the machine is shared, and a neighbour's
 * burst shows up as a few slow outliers.
 */
export async function sample(fn: () => void | Promise<void>, opts: { warmup?: number; warmupSeconds?: number; minReps?: number; maxReps?: number; maxSeconds?: number } = {}): Promise<Samples> {
  const { warmup = 2, warmupSeconds = 0.3, minReps = 3, maxReps = 25, maxSeconds = 2 } = opts;
  // Warm up by count and by time: V8 optimizes a hot loop only after it has run for a while.
  const w0 = performance.now();
  await fn();
  // A call slower than the whole time budget (a software GPU on 1024^3, say): one timed call
  // after that single warm-up, so the suite stays time-bounded.
  const slow = (performance.now() - w0) / 1000 > maxSeconds;
  for (let i = 1; !slow && (i < warmup || (performance.now() - w0) / 1000 < warmupSeconds); i++) await fn();
  const seconds: number[] = [];
  let total = 0;
  while (seconds.length < (slow ? 1 : minReps) || (seconds.length < maxReps && total < maxSeconds)) {
    const t0 = performance.now();
    await fn();
    const dt = (performance.now() - t0) / 1000;
    seconds.push(dt);
    total += dt;
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { seconds, median, min: sorted[0] as number };
}

export function environment(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    loadavg1m: Number(os.loadavg()[0]?.toFixed(2)),
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Prints rows as an aligned table (numbers right-aligned). */
export function printTable(columns: string[], rows: (string | number)[][]): void {
  const cells = [columns, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], header: boolean): string =>
    r.map((c, i) => (header || !/^-?[\d.]+$/.test(c) ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(line(columns, true));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r, false));
}

/** One machine-readable result line. */
export function printJson(record: Record<string, unknown>): void {
  console.log(JSON.stringify(record));
}

/**
 * Deterministic uniform values in [lo, hi) from a 32-bit LCG: fast, and independent of hb's
 * random module, so every benchmark (and every build being compared) sees the same data.
 */
export function uniformValues(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}

/**
 * Runs `body` with each asked-for backend active (all registered ones by default). A backend
 * that cannot start here (an unbuilt native addon, no GPU) is reported, not fatal: the other
 * backends still get measured.
 */
export async function forEachBackend(options: BenchOptions, body: (backend: string) => Promise<void> | void): Promise<void> {
  for (const backend of options.backends ?? hb.listBackends()) {
    try {
      hb.setBackend(backend);
    } catch (e) {
      console.log(`${backend}: skipped (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    await body(backend);
  }
}
