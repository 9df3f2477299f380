/**
 * Reading a results folder written by bench/anchors.sh or bench/optimizers.sh (through
 * bench/bench_lib.sh's `run`): NAME.json holds the run's JSON lines (the last one is its
 * result), NAME.err its stderr, NAME.time `/usr/bin/time -v`'s report.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Rec = Record<string, unknown>;

export interface Run {
  name: string;
  rec: Rec | null;
  /** Peak RSS of the whole process (MB), from NAME.time. */
  peakMb: number | null;
  /** The last line of NAME.err when the run printed no JSON. */
  error: string | null;
}

export function num(rec: Rec | null, key: string): number | null {
  const v = rec?.[key];
  return typeof v === 'number' ? v : null;
}

export const fmt = (v: number | null, d = 3): string => (v === null ? '–' : String(Number(v.toFixed(d))));

export function readRun(dir: string, name: string): Run {
  const lines = fs.readFileSync(path.join(dir, `${name}.json`), 'utf8').split('\n').filter((l) => l.startsWith('{'));
  const last = lines[lines.length - 1];
  let rec: Rec | null = null;
  let error: string | null = null;
  if (last !== undefined) {
    const parsed: unknown = JSON.parse(last);
    if (typeof parsed === 'object' && parsed !== null) rec = parsed as Rec;
  } else {
    const err = path.join(dir, `${name}.err`);
    const text = fs.existsSync(err) ? fs.readFileSync(err, 'utf8').trim().split('\n') : [];
    error = text[text.length - 1] ?? 'no output';
  }
  let peakMb: number | null = null;
  const timeFile = path.join(dir, `${name}.time`);
  if (fs.existsSync(timeFile)) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(fs.readFileSync(timeFile, 'utf8'));
    if (m?.[1]) peakMb = Math.round(Number(m[1]) / 1024);
  }
  return { name, rec, peakMb, error };
}

/** Every run of the folder, sorted by name. */
export function readRuns(dir: string): Run[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort()
    .map((n) => readRun(dir, n));
}

/** machine.txt (the machine, the load before and after), or '' when absent. */
export function machineText(dir: string): string {
  const f = path.join(dir, 'machine.txt');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim() : '';
}
