/**
 * Reads a results folder written by bench/optimizers.sh and prints markdown: per optimizer,
 * hebb's epoch time, its ratio to hebb's plain SGD (issue 11 target ≤ 1.10), PyTorch's epoch
 * time and hebb / PyTorch (target ≤ 1); per architecture change (BN, dropout), each system's
 * extra seconds per epoch over its plain MLP (target: hebb's ≤ PyTorch's); then every run.
 * A case's time is the median over rounds of each run's median epoch.
 * Usage: node dist/bench/optimizers_report.js RESULTS
 */
import { pathToFileURL } from 'node:url';
import { ARCHS, OPTIMIZER_NAMES } from './mlp_cases.js';
import { median } from './mlp_workload.js';
import { type Run, fmt, machineText, num, readRuns } from './results.js';

export const SGD_RATIO_TARGET = 1.1;
export const TORCH_RATIO_TARGET = 1.0;

/** Epoch medians of one case (optimizer, arch), one per run, by system. */
export interface CaseTimes {
  hebb: number[];
  torch: number[];
}

export type Cases = Map<string, CaseTimes>;

export const caseKey = (opt: string, arch: string): string => `${opt}/${arch}`;

/** Groups the training runs by case from their records' `system`, `opt` and `arch` fields. */
export function collect(runs: readonly Run[]): Cases {
  const cases: Cases = new Map();
  for (const r of runs) {
    const rec = r.rec;
    const s = num(rec, 'epoch_s_median');
    if (!rec || rec['mode'] !== 'train' || s === null) continue;
    const key = caseKey(String(rec['opt']), typeof rec['arch'] === 'string' ? rec['arch'] : 'plain');
    const c = cases.get(key) ?? { hebb: [], torch: [] };
    if (rec['system'] === 'hebb') c.hebb.push(s);
    else if (rec['system'] === 'pytorch-cpu') c.torch.push(s);
    cases.set(key, c);
  }
  return cases;
}

function caseMedian(cases: Cases, opt: string, arch: string, system: keyof CaseTimes): number | null {
  const xs = cases.get(caseKey(opt, arch))?.[system] ?? [];
  return xs.length > 0 ? median(xs) : null;
}

/** "1.05 (yes)" / "1.32 (NO)" / "–": a ratio against its target (at most `target`). */
function verdict(x: number | null, target: number): string {
  return x === null ? '–' : `${fmt(x, 2)} (${x <= target ? 'yes' : 'NO'})`;
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a / b);

/** Known cases in mlp_cases.ts order, then any others the folder holds. */
function optimizerOrder(cases: Cases): string[] {
  const seen = [...cases.keys()].map((k) => k.slice(0, k.indexOf('/')));
  return [...OPTIMIZER_NAMES.filter((o) => seen.includes(o)), ...new Set(seen.filter((o) => !OPTIMIZER_NAMES.includes(o)))];
}

export function optimizerTable(cases: Cases): string[] {
  const sgd = caseMedian(cases, 'sgd', 'plain', 'hebb');
  const out = [
    `| optimizer | hebb s/epoch | hebb / hebb SGD (≤ ${SGD_RATIO_TARGET.toFixed(2)}) | PyTorch s/epoch | hebb / PyTorch (≤ ${TORCH_RATIO_TARGET.toFixed(1)}) | runs (hebb, PyTorch) |`,
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const opt of optimizerOrder(cases)) {
    const c = cases.get(caseKey(opt, 'plain'));
    if (!c) continue;
    const h = caseMedian(cases, opt, 'plain', 'hebb');
    const t = caseMedian(cases, opt, 'plain', 'torch');
    const vsSgd = opt === 'sgd' ? '1 (reference)' : verdict(ratio(h, sgd), SGD_RATIO_TARGET);
    out.push(`| ${opt} | ${fmt(h)} | ${vsSgd} | ${fmt(t)} | ${verdict(ratio(h, t), TORCH_RATIO_TARGET)} | ${c.hebb.map((v) => fmt(v)).join(', ') || '–'}; ${c.torch.map((v) => fmt(v)).join(', ') || '–'} |`);
  }
  return out;
}

export function archTable(cases: Cases): string[] {
  const out = ['| change | optimizer | hebb plain → with (s/epoch) | hebb extra s | PyTorch plain → with | PyTorch extra s | hebb extra ≤ PyTorch extra? |', '|---|---|---:|---:|---:|---:|---|'];
  for (const arch of ARCHS.filter((a) => a !== 'plain')) {
    for (const opt of optimizerOrder(cases)) {
      if (!cases.has(caseKey(opt, arch))) continue;
      const [hp, hw, tp, tw] = [caseMedian(cases, opt, 'plain', 'hebb'), caseMedian(cases, opt, arch, 'hebb'), caseMedian(cases, opt, 'plain', 'torch'), caseMedian(cases, opt, arch, 'torch')];
      const he = hp === null || hw === null ? null : hw - hp;
      const te = tp === null || tw === null ? null : tw - tp;
      const ok = he === null || te === null ? 'not measured' : he <= te ? 'yes' : 'NO';
      out.push(`| ${arch === 'bn' ? 'batch normalization' : 'dropout(0.2)'} after each hidden layer | ${opt} | ${fmt(hp)} → ${fmt(hw)} | ${fmt(he)} | ${fmt(tp)} → ${fmt(tw)} | ${fmt(te)} | ${ok} |`);
    }
  }
  return out;
}

function runRows(runs: readonly Run[]): string[] {
  const out = ['| run | system | opt | arch | s/epoch median (min–max) | epochs | peak RSS MB |', '|---|---|---|---|---:|---:|---:|'];
  for (const r of runs) {
    const rec = r.rec;
    if (r.error || !rec) {
      out.push(`| ${r.name} | failed: ${r.error ?? 'no record'} | | | | | |`);
      continue;
    }
    const system = rec['system'] === 'hebb' ? `hebb ${String(rec['backend'])}, ${rec['backend'] === 'native' ? `HEBB_NATIVE_THREADS=${String(rec['HEBB_NATIVE_THREADS'] ?? '(unrecorded)')}` : `HEBB_WASM_THREADS=${String(rec['HEBB_WASM_THREADS'])}`}` : `PyTorch ${String(rec['torch'])}, ${String(rec['threads'])} thread, ${String(rec['impl'])}`;
    const ex = rec['extrapolated'] === true ? ` (${String(rec['timed_samples_per_epoch'])} samples, extrapolated)` : '';
    out.push(`| ${r.name} | ${system} | ${String(rec['opt'])} | ${String(rec['arch'] ?? 'plain')} | ${fmt(num(rec, 'epoch_s_median'))} (${fmt(num(rec, 'epoch_s_min'))}–${fmt(num(rec, 'epoch_s_max'))})${ex} | ${String(rec['epochs_timed'])} | ${fmt(r.peakMb, 0)} |`);
  }
  return out;
}

/** A warning when the folder holds smoke-test settings (short or extrapolated epochs). */
export function smokeWarning(runs: readonly Run[]): string | null {
  const short = runs.filter((r) => r.rec?.['extrapolated'] === true || (num(r.rec, 'epochs_timed') ?? 3) < 3);
  return short.length > 0 ? `**${short.length} of ${runs.length} runs timed fewer than 3 full epochs (QUICK or SAMPLES/EPOCHS set): a smoke test, not a measurement.**` : null;
}

export function report(dir: string): string {
  const runs = readRuns(dir);
  const cases = collect(runs);
  const warn = smokeWarning(runs);
  // The batch size the runs recorded (bench/optimizers.sh's BATCH); several only in a mixed folder.
  const batches = [...new Set(runs.map((r) => num(r.rec, 'batch')).filter((b): b is number => b !== null && b !== undefined))].sort((a, b) => a - b);
  return [
    ...(warn ? [warn, ''] : []),
    `### Optimizers (batch ${batches.length ? batches.join(', ') : 'unrecorded'}, s per 55,000-sample epoch)`,
    '',
    ...optimizerTable(cases),
    '',
    '### Batch normalization and dropout: extra time per epoch',
    '',
    ...archTable(cases),
    '',
    '### All runs',
    '',
    ...runRows(runs),
    '',
    '### Machine (start, settings, end)',
    '',
    '```',
    machineText(dir),
    '```',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node dist/bench/optimizers_report.js RESULTS');
    process.exitCode = 2;
  } else {
    console.log(report(dir));
  }
}
