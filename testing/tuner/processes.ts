/** Child tuning processes for the storage tests: start, wait for, kill. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrialRecord } from '../../src/tuner/storage/store.js';

const CHILD = fileURLToPath(new URL('./search_child.js', import.meta.url));

export interface Child {
  proc: ChildProcess;
  out: string;
  err: string;
  exited: Promise<number | null>;
}

export function startChild(args: readonly (string | number)[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [CHILD, ...args.map(String)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const c: Child = { proc, out: '', err: '', exited: Promise.resolve(null) };
  proc.stdout!.on('data', (b: Buffer) => (c.out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (c.err += b.toString()));
  c.exited = new Promise((r) => proc.on('exit', (code) => r(code)));
  return c;
}

/** Polls `list` until `ok` holds (or fails after `ms`). */
export async function until(list: () => Promise<TrialRecord[]>, ok: (t: TrialRecord[]) => boolean, ms: number, what: string): Promise<TrialRecord[]> {
  const end = Date.now() + ms;
  for (;;) {
    const t = await list();
    if (ok(t)) return t;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; trials: ${JSON.stringify(t.map((x) => [x.id, x.status, x.metrics.length, x.worker]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGKILL, and wait until the process is gone (so a store sees its pid as dead). */
export async function kill(c: Child): Promise<void> {
  c.proc.kill('SIGKILL');
  await c.exited;
}
