/** Metric lines as the commands print them: `loss 0.3012, accuracy 0.8841`, names sorted as Keras logs them. */
import type { Logs } from '../callbacks/callback.js';

export function formatLogs(logs: Logs): string {
  return Object.keys(logs)
    .map((k) => ` ${k} ${fmt(logs[k] as number)}`)
    .join(',');
}

export function fmt(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}
