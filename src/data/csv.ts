/**
 * `hb.data.csv(file, {target, batchSize})`: a numeric CSV table streamed from disk as batches
 * `[x, y]` (x: [batch, features] float32, y: [batch]) or, without a target, x alone. The file
 * is read in 64 KiB chunks through the same RFC 4180 reader as loadCsv (io/tabular), and each
 * pass (each epoch) opens it again, so a table far larger than memory trains with one chunk and
 * one batch in memory. Node only (it reads files).
 *
 * Cells follow loadCsv's rules; errors name the file, the line and the column. A missing value
 * (a blank cell, NA, NaN, null) is an error at its line, or with `missing: 'drop'` the row is
 * left out.
 */
import { createReadStream } from 'node:fs';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { positiveInt } from '../core/option_values.js';
import { DatasetError } from '../io/datasets/files.js';
import { CsvRecordParser, type CsvRecord } from '../io/tabular/csv_records.js';
import { MISSING, NUMBER } from '../io/tabular/csv_table.js';
import { Dataset } from './dataset.js';
import type { HostArray } from './structure.js';

export interface CsvDatasetOptions {
  /** The target column; without it the batches are x alone. */
  target?: string;
  /** [32] rows per batch (the last batch may be shorter). */
  batchSize?: number;
  /** The feature columns, in this order [every column but the target and `exclude`]. */
  columns?: readonly string[];
  /** Columns to leave out. */
  exclude?: readonly string[];
  /** ['error'] a missing value is an error naming its line, or 'drop' leaves the row out. */
  missing?: 'error' | 'drop';
  /** [','] a single character. */
  delimiter?: string;
}

const CSV_OPTIONS: OptionKeys<CsvDatasetOptions> = { target: true, batchSize: true, columns: true, exclude: true, missing: true, delimiter: true };

/** Header → the indices of the feature columns and the target (-1: none). */
function layout(file: string, head: CsvRecord, o: CsvDatasetOptions): { fj: number[]; tj: number; width: number } {
  const header = head.fields.map((h) => h.trim());
  const col = (c: string, what: string): number => {
    const j = header.indexOf(c);
    if (j < 0) throw new DatasetError(`${file}: ${what} "${c}" is not a column; the columns are ${header.join(', ')}`);
    return j;
  };
  const tj = o.target === undefined ? -1 : col(o.target, 'target');
  for (const c of o.exclude ?? []) col(c, 'excluded column');
  const names = o.columns !== undefined ? [...o.columns] : header.filter((h, j) => j !== tj && !(o.exclude ?? []).includes(h));
  const fj = names.map((c) => col(c, 'feature column'));
  if (fj.includes(tj)) throw new DatasetError(`${file}: the target "${o.target}" is also listed as a feature column`);
  if (fj.length === 0) throw new DatasetError(`${file}: no feature columns left (columns: ${header.join(', ')})`);
  return { fj, tj, width: header.length };
}

async function* csvBatches(file: string, o: CsvDatasetOptions, batchSize: number): AsyncGenerator<HostArray | [HostArray, HostArray]> {
  const parser = new CsvRecordParser(file, o.delimiter ?? ',');
  let stream: ReturnType<typeof createReadStream>;
  try {
    stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  } catch (e) {
    throw new DatasetError(`${file}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
  }
  let cols: { fj: number[]; tj: number; width: number; header: string[] } | null = null;
  let x = new Float32Array(0);
  let y = new Float32Array(0);
  let r = 0;
  let rows = 0;
  const out = (): HostArray | [HostArray, HostArray] => {
    const d = (cols as { fj: number[] }).fj.length;
    const xb: HostArray = { data: x.slice(0, r * d), shape: [r, d] };
    const batch: HostArray | [HostArray, HostArray] = (cols as { tj: number }).tj >= 0 ? [xb, { data: y.slice(0, r), shape: [r] }] : xb;
    r = 0;
    return batch;
  };
  const take = (rec: CsvRecord): void => {
    if (!cols) {
      cols = { ...layout(file, rec, o), header: rec.fields.map((h) => h.trim()) };
      x = new Float32Array(batchSize * cols.fj.length);
      y = new Float32Array(batchSize);
      return;
    }
    const c = cols;
    if (rec.fields.length !== c.width) throw new DatasetError(`${file}: line ${rec.line} has ${rec.fields.length} fields, expected ${c.width} (as in the header)`);
    const vals: number[] = [];
    for (const j of c.tj >= 0 ? [...c.fj, c.tj] : c.fj) {
      const cell = (rec.fields[j] as string).trim();
      if (MISSING.has(cell.toLowerCase())) {
        if (o.missing === 'drop') return;
        throw new DatasetError(`${file}: line ${rec.line}, column ${c.header[j]} (${j + 1}): a missing value ("${cell}"); fill it in, or drop such rows (missing: 'drop')`);
      }
      if (!NUMBER.test(cell)) throw new DatasetError(`${file}: line ${rec.line}, column ${c.header[j]} (${j + 1}): "${cell}" is not a number; expected a decimal number such as 3.5 or -1e-3`);
      vals.push(Number(cell));
    }
    const d = c.fj.length;
    for (let k = 0; k < d; k++) x[r * d + k] = vals[k] as number;
    if (c.tj >= 0) y[r] = vals[d] as number;
    r++;
    rows++;
  };
  try {
    for await (const chunk of stream) {
      for (const rec of parser.push(chunk as string)) {
        take(rec);
        if (r === batchSize) yield out();
      }
    }
    for (const rec of parser.end()) take(rec);
    if (!cols) throw new DatasetError(`${file}: empty file; expected a header line and rows`);
    if (r > 0) yield out();
    if (rows === 0) throw new DatasetError(`${file}: no data rows`);
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`${file}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    stream.destroy();
  }
}

/** A streaming dataset of batches from a CSV file (see the file comment). */
export function csv(file: string, options: CsvDatasetOptions = {}): Dataset<HostArray | [HostArray, HostArray]> {
  checkOptions('hb.data.csv', options, CSV_OPTIONS);
  const batchSize = positiveInt('hb.data.csv', 'batchSize', options.batchSize, 32);
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DatasetError(`hb.data.csv: delimiter must be one character other than a quote or a newline, received "${delimiter}"`);
  }
  if (options.missing !== undefined && options.missing !== 'error' && options.missing !== 'drop') throw new DatasetError(`hb.data.csv: missing must be 'error' or 'drop', received "${String(options.missing)}"`);
  return new Dataset(() => csvBatches(file, options, batchSize));
}
