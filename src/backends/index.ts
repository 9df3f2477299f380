/**
 * The backends that ship with hebb, in order of preference. The engine reads this list the
 * first time a backend is needed; nothing registers itself on import.
 */
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/cpu_backend.js';

export interface BuiltinBackend {
  name: string;
  /** Higher wins when no backend was chosen explicitly. */
  priority: number;
  factory: () => Backend;
}

export const builtinBackends: readonly BuiltinBackend[] = [{ name: 'cpu', priority: 0, factory: () => new CpuBackend() }];
