/** `storage` as the tuner options and `hebb tune --storage` take it: a store, 'memory', 'sqlite:FILE' or a postgresql:// URL. */
import { ValueError, fmtReceived } from '../../core/errors.js';
import { MemoryStore } from './memory.js';
import type { TrialStore } from './store.js';

export type StorageSpec = string | TrialStore;

export async function openStore(spec: StorageSpec | undefined): Promise<TrialStore> {
  if (spec === undefined || spec === 'memory') return new MemoryStore();
  if (typeof spec === 'object' && spec !== null && typeof spec.claim === 'function') return spec;
  if (typeof spec === 'string' && spec.startsWith('sqlite:')) {
    const file = spec.slice('sqlite:'.length);
    if (file === '') throw new ValueError("storage: 'sqlite:' needs a file name, e.g. 'sqlite:tuning/search.db'");
    const { SqliteStore } = await import('./sqlite.js');
    return new SqliteStore(file);
  }
  if (typeof spec === 'string' && /^postgres(ql)?:\/\//.test(spec)) {
    const { PostgresStore } = await import('./postgres.js');
    return new PostgresStore(spec);
  }
  throw new ValueError(`storage: expected 'memory', 'sqlite:FILE', a postgresql:// URL or a TrialStore, received ${fmtReceived(spec)}`);
}
