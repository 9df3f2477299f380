/**
 * `npm run bench [-- name ...] [-- --backends=cpu,wasm]`: runs the named benchmarks (all by
 * default). Each benchmark is one file exporting a `Benchmark`; add it to BENCHMARKS below.
 * Output: a readable table per benchmark, then one JSON line per result.
 */
import * as hb from '../src/index.js';
import { type Benchmark, environment, printJson } from './harness.js';
import { gemm } from './gemm.js';
import { mlp } from './mlp.js';
import { optimizers } from './optimizers.js';
import { overhead } from './overhead.js';
import { reduce } from './reduce.js';

const BENCHMARKS: readonly Benchmark[] = [gemm, mlp, optimizers, overhead, reduce];

function usage(): string {
  return [
    'usage: npm run bench [-- [name ...] [--backends=a,b]]',
    'benchmarks:',
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(11)} ${b.description}`),
    `backends: ${hb.listBackends().join(', ')}`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  let backends: string[] | null = null;
  const names: string[] = [];
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h' || arg === '--list') {
      console.log(usage());
      return 0;
    }
    if (arg.startsWith('--backends=')) backends = arg.slice('--backends='.length).split(',').filter((s) => s);
    else if (arg.startsWith('-')) {
      console.error(`unknown option ${arg}\n${usage()}`);
      return 2;
    } else names.push(arg);
  }
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  const missing = (backends ?? []).filter((b) => !hb.listBackends().includes(b));
  if (missing.length > 0) {
    console.error(`unknown backend ${missing.join(', ')}\n${usage()}`);
    return 2;
  }
  const selected = names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const env = environment();
  console.log(`hebb benchmarks — ${env['date']} — node ${env['node']} — ${env['cpu']} x${env['cores']} — load ${env['loadavg1m']}`);
  printJson({ bench: 'environment', ...env, backends: backends ?? hb.listBackends() });
  for (const b of selected) {
    console.log(`\n== ${b.name}: ${b.description}`);
    const t0 = performance.now();
    await b.run({ backends });
    console.log(`(${b.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
