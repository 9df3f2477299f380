/**
 * The backends that ship with hebb, in order of preference. The engine reads this list the
 * first time a backend is needed; nothing registers itself on import.
 *
 * wasm is the default (priority 1): SIMD kernels, ~30x the cpu backend's GEMM speed. cpu stays
 * the readable reference every backend is tested against; pick it with `setBackend('cpu')` or
 * HEBB_BACKEND=cpu.
 */
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/cpu_backend.js';
import { WasmBackend } from './wasm/wasm_backend.js';

export interface BuiltinBackend {
  name: string;
  /** Higher wins when no backend was chosen explicitly. */
  priority: number;
  factory: () => Backend;
}

export const builtinBackends: readonly BuiltinBackend[] = [
  { name: 'cpu', priority: 0, factory: () => new CpuBackend() },
  { name: 'wasm', priority: 1, factory: () => new WasmBackend() },
];
