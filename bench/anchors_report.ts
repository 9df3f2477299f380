/**
 * Reads a results folder written by bench/anchors.sh and prints markdown: every run (seconds per
 * epoch, samples/s, peak RSS from /usr/bin/time -v) and the targets as ratios.
 * Usage: node dist/bench/anchors_report.js RESULTS
 */
import { type Run, fmt, machineText, num, readRuns } from './results.js';

function system(r: Run): string {
  const rec = r.rec;
  if (!rec) return '?';
  const s = String(rec['system']);
  if (s === 'hebb') return `hebb ${String(rec['backend'])}${rec['HEBB_WASM_THREADS'] === '1' ? ' (1 thread)' : ''}`;
  if (s === 'pytorch-cpu') return `PyTorch ${String(rec['torch'])} (${String(rec['threads'])} thread)`;
  if (s === 'numpy-hand-mlp') return `NumPy ${String(rec['numpy'])} loop (${String(rec['threads'])} thread)`;
  if (s.startsWith('tfjs')) return `tfjs ${String(rec['tfjs'])} ${String(rec['backend'])}`;
  return s;
}

function trainRows(runs: Run[]): string[] {
  const out = ['| run | system | opt | batch | s/epoch median (min–max) | epochs timed | samples/s | peak RSS MB |', '|---|---|---|---:|---:|---:|---:|---:|'];
  for (const r of runs) {
    if (r.error) {
      out.push(`| ${r.name} | failed: ${r.error} | | | | | | |`);
      continue;
    }
    if (r.rec?.['mode'] !== 'train') continue;
    const ex = r.rec['extrapolated'] === true ? ` (${String(r.rec['timed_samples_per_epoch'])} samples, extrapolated)` : '';
    out.push(
      `| ${r.name} | ${system(r)} | ${String(r.rec['opt'])} | ${String(r.rec['batch'])} | ${fmt(num(r.rec, 'epoch_s_median'))} (${fmt(num(r.rec, 'epoch_s_min'))}–${fmt(num(r.rec, 'epoch_s_max'))})${ex} | ${String(r.rec['epochs_timed'])} | ${String(r.rec['samples_per_s_median'])} | ${fmt(r.peakMb, 0)} |`,
    );
  }
  return out;
}

function predictRows(runs: Run[]): string[] {
  const out = ['| run | system | s median (min–max), 10,000 images @1024 | samples/s | peak RSS MB |', '|---|---|---:|---:|---:|'];
  for (const r of runs) {
    if (r.rec?.['mode'] !== 'predict') continue;
    out.push(`| ${r.name} | ${system(r)} | ${fmt(num(r.rec, 's_median'), 4)} (${fmt(num(r.rec, 's_min'), 4)}–${fmt(num(r.rec, 's_max'), 4)}) | ${String(r.rec['samples_per_s_median'])} | ${fmt(r.peakMb, 0)} |`);
  }
  return out;
}

function targetRows(by: Map<string, Run>): string[] {
  const med = (n: string, k = 'epoch_s_median'): number | null => num(by.get(n)?.rec ?? null, k);
  const out = ['| target | hebb | anchor | ratio | met? |', '|---|---:|---:|---:|---|'];
  const row = (what: string, h: number | null, a: number | null, ratio: (h: number, a: number) => number, ok: (x: number) => boolean, unit: string): void => {
    if (h === null || a === null) {
      out.push(`| ${what} | ${fmt(h)} | ${fmt(a)} | – | not measured |`);
      return;
    }
    const x = ratio(h, a);
    out.push(`| ${what} | ${fmt(h)} ${unit} | ${fmt(a)} ${unit} | ${fmt(x, 2)} | ${ok(x) ? 'yes' : 'NO'} |`);
  };
  row('SGD b32 epoch: tfjs wasm / hebb wasm >= 12', med('hebb_wasm_sgd_b32'), med('tfjs_wasm_sgd_b32'), (h, a) => a / h, (x) => x >= 12, 's');
  row('SGD b32 epoch: hebb wasm / PyTorch 1 thread <= 1', med('hebb_wasm_sgd_b32'), med('torch_t1_sgd_b32'), (h, a) => h / a, (x) => x <= 1, 's');
  row('SGD b32 epoch, hebb 1 thread / PyTorch 1 thread <= 1', med('hebb_wasm_t1_sgd_b32'), med('torch_t1_sgd_b32'), (h, a) => h / a, (x) => x <= 1, 's');
  row('Adam b32 epoch: hebb wasm / PyTorch 1 thread <= 1', med('hebb_wasm_adam_b32'), med('torch_t1_adam_b32'), (h, a) => h / a, (x) => x <= 1, 's');
  row('predict 10k @1024: hebb wasm / PyTorch 1 thread <= 1', med('hebb_wasm_predict', 's_median'), med('torch_t1_predict', 's_median'), (h, a) => h / a, (x) => x <= 1, 's');
  row('peak RSS, SGD b32 training: hebb wasm / PyTorch <= 1', by.get('hebb_wasm_sgd_b32')?.peakMb ?? null, by.get('torch_t1_sgd_b32')?.peakMb ?? null, (h, a) => h / a, (x) => x <= 1, 'MB');
  const g = by.get('hebb_wasm_sgd_b32_e30')?.rec ?? null;
  if (g) {
    const rss = g['rss_mb_per_epoch'];
    const list = Array.isArray(rss) ? rss.filter((v): v is number => typeof v === 'number') : [];
    const tg = num(g, 'tensors_growth');
    const bg = num(g, 'buffers_growth');
    const ok = tg === 0 && bg === 0;
    out.push(
      `| no memory growth over ${String(g['epochs_timed'])} epochs (hebb wasm SGD b32) | tensors ${String(g['tensors_before'])} → ${String(g['tensors_after'])}, buffers ${String(g['buffers_before'])} → ${String(g['buffers_after'])}; RSS at epoch ends ${String(list[0])} → ${String(list[list.length - 1])} MB (max ${String(Math.max(...list))}) | – | tensor growth ${String(tg)}, buffer growth ${String(bg)} | ${ok ? 'yes (counts flat)' : 'NO'} |`,
    );
  } else {
    out.push('| no memory growth over 30 epochs | – | – | – | not measured |');
  }
  return out;
}

function main(dir: string): void {
  const runs = readRuns(dir);
  const by = new Map(runs.map((r) => [r.name, r]));
  const machine = machineText(dir);
  console.log(['### Targets', '', ...targetRows(by), '', '### Training', '', ...trainRows(runs), '', '### Predict', '', ...predictRows(runs), '', '### Machine (start, end)', '', '```', machine, '```'].join('\n'));
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node dist/bench/anchors_report.js RESULTS');
  process.exitCode = 2;
} else {
  main(dir);
}
