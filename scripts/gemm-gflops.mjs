#!/usr/bin/env node
/**
 * Short GEMM throughput check of the wasm backend on the MLP's shapes (single thread), run on
 * the compiled dist/: `npm run build && node scripts/gemm-gflops.mjs`. About a second per
 * shape; the full benchmarks live in bench/.
 */
import { WasmBackend } from '../dist/src/backends/wasm/wasm_backend.js';

const be = new WasmBackend();
const shapes = [
  // [m, k, n, a transposed?, label]
  [32, 784, 300, false, '32x784 . 784x300'],
  [256, 784, 300, false, '256x784 . 784x300'],
  [784, 32, 300, true, '784x32 (transposed view) . 32x300'],
  [32, 300, 100, false, '32x300 . 300x100'],
  [32, 100, 300, false, '32x100 . 100x300 (transposed view)', true],
];
for (const [m, k, n, ta, label, tb = false] of shapes) {
  const a = be.alloc(m * k, 'float32');
  const b = be.alloc(k * n, 'float32');
  const c = be.alloc(m * n, 'float32');
  be.write(a, Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 13) / 13 - 0.5));
  be.write(b, Float32Array.from({ length: k * n }, (_, i) => ((i * 5) % 11) / 11 - 0.5));
  // a transposed: stored [k, m], viewed as [m, k] with row stride 1.
  const av = { buf: a, shape: [1, m, k], strides: [0, ta ? 1 : k, ta ? m : 1], offset: 0 };
  const bv = { buf: b, shape: [1, k, n], strides: [0, tb ? 1 : n, tb ? k : 1], offset: 0 };
  const flops = 2 * m * k * n;
  for (let i = 0; i < 20; i++) be.matmul(av, bv, c);
  let reps = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < 700) {
    for (let i = 0; i < 10; i++) be.matmul(av, bv, c);
    reps += 10;
    t = performance.now();
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const gflops = (flops * reps) / ((t - t0) / 1000) / 1e9;
  // Per CPU-second as well: on a shared machine wall time includes time other processes ran.
  const cpuGflops = (flops * reps) / cpuS / 1e9;
  console.log(`${label.padEnd(36)} ${gflops.toFixed(1)} GFLOP/s wall, ${cpuGflops.toFixed(1)} per CPU-second  (${((t - t0) / reps * 1000).toFixed(1)} us/call)`);
  be.free(a);
  be.free(b);
  be.free(c);
}
