/** Trials as a plain-text table (resultsSummary, `hebb tune --status`). */
import type { TrialRecord } from './storage/store.js';

function fmtValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toPrecision(4) : v.toExponential(3);
  return String(v);
}

export function trialsTable(trials: readonly TrialRecord[]): string {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.values)))];
  const head = ['trial', 'status', 'score', 'epochs', 'worker', 'attempts', ...names];
  const rows = trials.map((t) => [
    String(t.id),
    t.status,
    t.score === null ? '-' : fmtValue(t.score),
    t.metrics.length === 0 ? '-' : `${t.initialEpoch ?? 0}..${t.metrics[t.metrics.length - 1]!.epoch + 1}`,
    t.worker,
    String(t.attempts),
    ...names.map((n) => (t.values[n] === undefined ? '' : fmtValue(t.values[n]))),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
