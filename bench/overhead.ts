/**
 * Per-call overhead of a backend: 1e5 kernel calls on tiny operands, where the work is nothing
 * and the time is the call itself. Two levels: the Backend interface directly (binary add of two
 * 4-element float32 views: what a captured step would replay), and hb.add through the engine
 * (tensor objects, broadcasting, the output's allocation and its disposal by a scope).
 * docs/NATIVE.md records the numbers.
 */
import { performance } from 'node:perf_hooks';
import * as hb from '../src/index.js';
import { type Benchmark, type BenchOptions, forEachBackend, printJson, printTable } from './harness.js';

const CALLS = 100_000;

/** Median of 5 runs of `calls` calls, in microseconds per call. */
function perCall(calls: number, fn: () => void): number {
  const runs: number[] = [];
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    if (r > 0) runs.push(((performance.now() - t0) * 1000) / calls);
  }
  runs.sort((a, b) => a - b);
  return runs[2] as number;
}

async function run(options: BenchOptions): Promise<void> {
  const rows: (string | number)[][] = [];
  await forEachBackend(options, (backend) => {
    const be = hb.getBackend();
    const a = be.alloc(4, 'float32');
    const b = be.alloc(4, 'float32');
    const out = be.alloc(4, 'float32');
    be.write(a, Float32Array.of(1, 2, 3, 4));
    be.write(b, Float32Array.of(5, 6, 7, 8));
    const va = { buf: a, shape: [4], strides: [1], offset: 0 };
    const vb = { buf: b, shape: [4], strides: [1], offset: 0 };
    const kernel = perCall(CALLS, () => be.binary('add', va, vb, out));
    const x = hb.tensor([1, 2, 3, 4]);
    const y = hb.tensor([5, 6, 7, 8]);
    const op = perCall(CALLS / 10, () => hb.scope(() => void hb.add(x, y)));
    x.dispose();
    y.dispose();
    for (const buf of [a, b, out]) be.free(buf);
    rows.push([backend, kernel.toFixed(3), op.toFixed(2)]);
    printJson({ bench: 'overhead', backend, kernelMicroseconds: kernel, opMicroseconds: op });
  });
  printTable(['backend', 'Backend.binary add [4] (µs/call)', 'hb.add [4] in a scope (µs/call)'], rows);
}

export const overhead: Benchmark = {
  name: 'overhead',
  description: 'per-call overhead: 1e5 tiny binary adds, through the Backend interface and through hb.add',
  run,
};
