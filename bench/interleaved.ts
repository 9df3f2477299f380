/**
 * A/B comparisons that survive a busy machine: several builds of hebb loaded into ONE Node
 * process (each build's dist/ is its own module graph with its own wasm backend and memory),
 * and their work run in alternating short slices, so a change in load hits every build alike.
 * Separate processes run minutes apart on the shared 2-core machine differ by 30-50%; slices
 * interleaved within one process agree to a few percent.
 *
 *   node dist/bench/interleaved.js steps DIR:OPT[:ARCH] ...   whole training steps (fit slices)
 *   node dist/bench/interleaved.js optimizer OPT DIR ...       the optimizer step alone
 *   node dist/bench/interleaved.js predict DIR ...             predict on SAMPLES images
 *
 * `steps`: per spec, the book's MLP (bench/mlp_workload.ts's buildModel) built by that build,
 * fit on STEPS batches of BATCH per slice, SLICES slices each (env, defaults 200, 32 and 8), in
 * alternating order; prints ms per step (median, min, max) and the ratio to the first spec.
 * `optimizer`: captures the fused calls that one training step of OPT makes in each build
 * (the optimizer's per-weight kernels: three or more inputs), rebuilds them over fresh tensors of
 * the same sizes (values in a normal range: no subnormals, a guard of 1), and times replays of
 * the whole set through the backend (host planning and kernel), ROUNDS (default 12) alternating
 * rounds of 60.
 * `predict`: per build, the MLP predicting SAMPLES (default 10,000) images at batch 1024 and
 * reading the result back (the anchors' predict), ROUNDS alternating rounds of one call each.
 * BACKEND=native (default wasm) picks the backend; HEBB_WASM_THREADS=1 / HEBB_NATIVE_THREADS=1 give one thread. DIR is a checkout with dist/ built
 * (e.g. a `git worktree` of the commit to compare with).
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { View, BackendBuffer, FusedProgram } from '../src/backends/backend.js';
import { isArch, isOptimizerCase, type Arch, type OptimizerCase } from './mlp_cases.js';

type Hb = typeof import('../src/index.js');
type Engine = typeof import('../src/core/engine.js');
type Workload = typeof import('./mlp_workload.js');
interface Build {
  hb: Hb;
  engine: Engine;
  work: Workload;
}

const builds = new Map<string, Build>();

async function load(dir: string): Promise<Build> {
  const at = resolve(dir);
  let b = builds.get(at);
  if (!b) {
    const url = (p: string): string => pathToFileURL(join(at, 'dist', p)).href;
    b = { hb: (await import(url('src/index.js'))) as Hb, engine: (await import(url('src/core/engine.js'))) as Engine, work: (await import(url('bench/mlp_workload.js'))) as Workload };
    b.hb.setBackend(process.env['BACKEND'] ?? 'wasm');
    builds.set(at, b);
  }
  return b;
}

const median = (a: readonly number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1] as number;
const fmt = (x: number): string => x.toFixed(3);
const loadText = (): string => loadavg().map((v) => v.toFixed(2)).join(' ');

function parseCase(opt: string, arch: string, what: string): [OptimizerCase, Arch] {
  if (!isOptimizerCase(opt)) throw new Error(`interleaved: ${what}: unknown optimizer case "${opt}" (bench/mlp_cases.ts)`);
  if (!isArch(arch)) throw new Error(`interleaved: ${what}: unknown arch "${arch}" (plain, bn, dropout)`);
  return [opt, arch];
}

/** Alternating rounds: forward in even rounds, backward in odd ones. */
async function alternate<T extends { t: number[] }>(items: readonly T[], rounds: number, run: (item: T) => Promise<number> | number): Promise<void> {
  for (let r = 0; r < rounds; r++) for (const it of r % 2 ? [...items].reverse() : items) it.t.push(await run(it));
}

async function steps(specs: readonly string[]): Promise<void> {
  const slices = Number(process.env['SLICES'] ?? 8);
  const nSteps = Number(process.env['STEPS'] ?? 200);
  const batch = Number(process.env['BATCH'] ?? 32);
  const items = [];
  for (const spec of specs) {
    const [dir = '', opt = '', arch = 'plain'] = spec.split(':');
    const [o, a] = parseCase(opt, arch, spec);
    const { hb, work } = await load(dir);
    const n = nSteps * batch;
    const x = hb.keep(hb.tensor(work.uniformData(n * 784, 1), [n, 28, 28], 'float32'));
    const y = hb.keep(hb.tensor(work.labelData(n, 2), [n], 'int32'));
    const model = work.buildModel(o, false, a);
    await model.fit(x, y, { epochs: 2, batchSize: batch, verbose: 0 });
    items.push({ spec, model, x, y, t: [] as number[] });
  }
  await alternate(items, slices, async (it) => {
    const t0 = performance.now();
    await it.model.fit(it.x, it.y, { epochs: 1, batchSize: batch, verbose: 0 });
    return (performance.now() - t0) / nSteps;
  });
  const ref = median(items[0]?.t ?? [1]);
  for (const it of items) {
    console.log(`${it.spec}: ms/step median ${fmt(median(it.t))} (min ${fmt(Math.min(...it.t))}, max ${fmt(Math.max(...it.t))}), ratio to the first ${fmt(median(it.t) / ref)}; load ${loadText()}`);
  }
}

interface Captured {
  p: FusedProgram;
  scalar: boolean[];
  params: number[];
  n: number;
  outs: number;
}

async function optimizer(opt: string, dirs: readonly string[]): Promise<void> {
  const [o] = parseCase(opt, 'plain', opt);
  const items = [];
  for (const dir of dirs) {
    const { hb, engine, work } = await load(dir);
    const be = engine.getBackend();
    const fused = be.fused?.bind(be);
    if (!fused) throw new Error(`interleaved: ${dir}'s wasm backend has no fused kernel`);
    const model = work.buildModel(o, false, 'plain');
    const x = hb.tensor(work.uniformData(64 * 784, 1), [64, 28, 28], 'float32');
    const y = hb.tensor(work.labelData(64, 2), [64], 'int32');
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    const calls: Captured[] = [];
    be.fused = (p: FusedProgram, inputs: readonly View[], params: readonly number[], outs: readonly BackendBuffer[]): void => {
      const n = outs[0]?.size ?? 0;
      if (inputs.length >= 3 && n >= 10) calls.push({ p, scalar: inputs.map((v) => v.strides.every((s) => s === 0)), params: [...params], n, outs: outs.length });
      fused(p, inputs, params, outs);
    };
    try {
      await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
    } finally {
      delete (be as { fused?: unknown }).fused;
    }
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    const buf = (t: InstanceType<Hb['Tensor']>): BackendBuffer => hb.keep(t).storage.buf;
    const replay = calls.map((c) => {
      const inputs: View[] = c.scalar.map((s, i) => {
        const v = Float32Array.from({ length: s ? 1 : c.n }, () => (s ? 1 : i === 0 ? rnd() - 0.5 : i === 1 ? (rnd() - 0.5) * 1e-2 : 1e-4 + rnd() * 1e-3));
        return { buf: buf(hb.tensor(v, s ? [] : [c.n], 'float32')), shape: [c.n], strides: [s ? 0 : 1], offset: 0 };
      });
      // Two sets of outputs used in turn, as the heap's free list hands back last step's buffers.
      const outs = [0, 1].map(() => Array.from({ length: c.outs }, () => buf(hb.zeros([c.n], 'float32'))));
      return { ...c, inputs, outs };
    });
    let flip = 0;
    const step = (): void => {
      flip ^= 1;
      for (const r of replay) fused(r.p, r.inputs, r.params, r.outs[flip] as BackendBuffer[]);
    };
    items.push({ dir, step, calls: calls.length, t: [] as number[] });
  }
  await alternate(items, Number(process.env['ROUNDS'] ?? 12), (it) => {
    for (let i = 0; i < 10; i++) it.step();
    const t0 = performance.now();
    for (let i = 0; i < 60; i++) it.step();
    return (performance.now() - t0) / 60;
  });
  for (const it of items) {
    console.log(`${opt} ${it.dir} (${it.calls} kernels): ms/step median ${fmt(median(it.t))} (min ${fmt(Math.min(...it.t))}, max ${fmt(Math.max(...it.t))}); load ${loadText()}`);
  }
}

async function predict(dirs: readonly string[]): Promise<void> {
  const samples = Number(process.env['SAMPLES'] ?? 10000);
  const items = [];
  for (const dir of dirs) {
    const { hb, work } = await load(dir);
    const x = hb.keep(hb.tensor(work.uniformData(samples * 784, 3), [samples, 28, 28], 'float32'));
    const model = work.buildModel('sgd', false);
    const once = async (): Promise<number> => {
      const t0 = performance.now();
      const out = (await model.predict(x, { batchSize: 1024 })) as InstanceType<Hb['Tensor']>;
      await out.data();
      const dt = performance.now() - t0;
      out.dispose();
      return dt;
    };
    for (let i = 0; i < 3; i++) await once();
    items.push({ dir, once, t: [] as number[] });
  }
  await alternate(items, Number(process.env['ROUNDS'] ?? 12), (it) => it.once());
  const ref = median(items[0]?.t ?? [1]);
  for (const it of items) {
    console.log(`predict ${samples} ${it.dir}: ms median ${fmt(median(it.t))} (min ${fmt(Math.min(...it.t))}, max ${fmt(Math.max(...it.t))}), ratio to the first ${fmt(median(it.t) / ref)}; load ${loadText()}`);
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'steps' && rest.length > 0) await steps(rest);
else if (mode === 'optimizer' && rest.length > 1) await optimizer(rest[0] as string, rest.slice(1));
else if (mode === 'predict' && rest.length > 0) await predict(rest);
else {
  console.error('usage: node dist/bench/interleaved.js steps DIR:OPT[:ARCH] ... | optimizer OPT DIR ... | predict DIR ...');
  process.exit(2);
}
