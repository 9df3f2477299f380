/** Running `hebb` commands in-process for tests: main() with captured stdout, stderr and progress. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  progress: string;
}

export async function hebb(...argv: string[]): Promise<CliRun> {
  const r: CliRun = { code: -1, out: '', err: '', progress: '' };
  r.code = await main(argv, { out: (s) => (r.out += s), err: (s) => (r.err += s), progress: { write: (s: string) => (r.progress += s), isTTY: false } });
  return r;
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
