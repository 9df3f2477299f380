/**
 * The backends that ship with hebb, in order of preference. The engine reads this list the
 * first time a backend is needed; nothing registers itself on import.
 *
 * native (priority 2, Node only) is the default where its addon was built on install: C++
 * kernels, AVX-512/AVX2 GEMM, threads (docs/NATIVE.md). It is added by the Node entry
 * (backends/native/register.ts, imported by src/index.ts), so the browser bundle, whose entry is
 * src/browser.ts, never reaches `node:module`. Where the addon is missing the engine skips it.
 * wasm (priority 1) is the default everywhere else: SIMD kernels, ~30x the cpu backend's GEMM
 * speed. cpu stays the readable reference every backend is tested against; pick one with
 * `setBackend('cpu')` or HEBB_BACKEND=cpu.
 */
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/cpu_backend.js';
import { WasmBackend } from './wasm/wasm_backend.js';

export interface BuiltinBackend {
  name: string;
  /** Higher wins when no backend was chosen explicitly. */
  priority: number;
  factory: () => Backend;
  /** Why the backend cannot run in this process (checked when the engine seeds its registry), or null. */
  unavailable?: () => string | null;
}

const builtins: BuiltinBackend[] = [
  { name: 'cpu', priority: 0, factory: () => new CpuBackend() },
  { name: 'wasm', priority: 1, factory: () => new WasmBackend() },
];

export const builtinBackends: readonly BuiltinBackend[] = builtins;

/** For an entry point's own backends (the Node entry's native one): call at import, before any backend is used. */
export function addBuiltinBackend(b: BuiltinBackend): void {
  if (!builtins.some((x) => x.name === b.name)) builtins.push(b);
}
