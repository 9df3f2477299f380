/**
 * Keras 3-style model summary: a box table of layers with their output shapes and parameter
 * counts (plus "Connected to" for functional graphs), then the totals with their size in
 * float32 bytes, e.g.
 *
 *   Model: "sequential"
 *   ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
 *   ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
 *   ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
 *   │ dense (Dense)                   │ (None, 300)            │       235,500 │
 *   └─────────────────────────────────┴────────────────────────┴───────────────┘
 *    Total params: 266,610 (1.02 MB)
 */

export interface SummaryRow {
  name: string;
  type: string;
  /** Output shapes with null for unknown (batch) dimensions; null when not known yet. */
  outputShape: readonly (readonly (number | null)[])[] | null;
  params: number;
  connectedTo?: readonly string[];
}

export interface SummaryTotals {
  trainable: number;
  nonTrainable: number;
  /** Bytes per parameter [4, float32]. */
  bytesPerParam?: number;
}

/** 266610 → "266,610". */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Keras's readable_memory_size: powers of 1024, two decimals ("1.02 MB", "0.00 B"). */
export function readableBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${units[i]}`;
}

/** Python's tuple form: (None, 784), (None, 28, 28); several outputs joined by ", ". */
export function formatShape(shapes: SummaryRow['outputShape']): string {
  if (!shapes) return '?';
  const one = (s: readonly (number | null)[]): string => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return shapes.length === 1 ? one(shapes[0] ?? []) : `[${shapes.map(one).join(', ')}]`;
}

export function summaryText(modelName: string, rows: readonly SummaryRow[], totals: SummaryTotals): string {
  const withConnections = rows.some((r) => r.connectedTo !== undefined);
  const headers = ['Layer (type)', 'Output Shape', 'Param #', ...(withConnections ? ['Connected to'] : [])];
  const cells = rows.map((r) => [
    `${r.name} (${r.type})`,
    formatShape(r.outputShape),
    withCommas(r.params),
    ...(withConnections ? [r.connectedTo && r.connectedTo.length > 0 ? r.connectedTo.join(', ') : '-'] : []),
  ]);
  const minWidths = [31, 22, 13, 21];
  const widths = headers.map((h, c) => Math.max(minWidths[c] ?? 10, h.length, ...cells.map((row) => (row[c] ?? '').length)));
  const rightAligned = (c: number): boolean => c === 2;
  const pad = (s: string, c: number): string => (rightAligned(c) ? s.padStart(widths[c] ?? 0) : s.padEnd(widths[c] ?? 0));
  const rule = (l: string, fill: string, mid: string, r: string): string => l + widths.map((w) => fill.repeat(w + 2)).join(mid) + r;
  const line = (vals: readonly string[], edge: string): string => edge + vals.map((v, c) => ` ${pad(v, c)} `).join(edge) + edge;
  const out: string[] = [`Model: "${modelName}"`, rule('┏', '━', '┳', '┓'), line(headers, '┃'), rule('┡', '━', '╇', '┩')];
  cells.forEach((row, i) => {
    if (i > 0) out.push(rule('├', '─', '┼', '┤'));
    out.push(line(row, '│'));
  });
  out.push(rule('└', '─', '┴', '┘'));
  const bpp = totals.bytesPerParam ?? 4;
  const total = totals.trainable + totals.nonTrainable;
  out.push(` Total params: ${withCommas(total)} (${readableBytes(total * bpp)})`);
  out.push(` Trainable params: ${withCommas(totals.trainable)} (${readableBytes(totals.trainable * bpp)})`);
  out.push(` Non-trainable params: ${withCommas(totals.nonTrainable)} (${readableBytes(totals.nonTrainable * bpp)})`);
  return out.join('\n');
}
