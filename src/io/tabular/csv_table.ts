/**
 * A user's own numeric table from CSV (`hb.datasets.loadCsv(path, {target: 'price'})`): one
 * header line, then one record per row. Fields follow RFC 4180: a field may be quoted, a quote
 * inside one is doubled (`"a ""b"""`), and a quoted field may hold the delimiter or a newline
 * (line numbers in errors are those of the file, counting such newlines).
 *
 * Every cell of a used column must be a decimal number. A blank cell, or one of the usual
 * spellings of "missing" (NA, N/A, NaN, nan, null), is a missing value: by default an error
 * listing the lines that have one; with `missing: 'drop'` those rows are left out and their
 * line numbers returned. Any other non-number is an error naming the file, line and column.
 */
import { readFile } from 'node:fs/promises';
import { checkOptions, type OptionKeys } from '../../core/options.js';
import type { HostArray } from '../datasets/arrays.js';
import { DatasetError } from '../datasets/files.js';
import { CsvRecordParser, type CsvRecord } from './csv_records.js';

export interface CsvTableOptions {
  /** The target column's name; without it every used column is a feature and `target` is null. */
  target?: string;
  /** The feature columns, in this order [every column but the target and `exclude`]. */
  columns?: readonly string[];
  /** Columns to leave out (e.g. a text column such as `ocean_proximity`). */
  exclude?: readonly string[];
  /** ['error'] what a missing value does: an error listing the lines, or 'drop' the row. */
  missing?: 'error' | 'drop';
  /** [','] a single character. */
  delimiter?: string;
}

const CSV_TABLE_OPTIONS: OptionKeys<CsvTableOptions> = { target: true, columns: true, exclude: true, missing: true, delimiter: true };

export interface CsvTable {
  /** [rows, features], float64. */
  readonly data: HostArray<Float64Array>;
  /** [rows], or null when no target was named. */
  readonly target: HostArray<Float64Array> | null;
  readonly featureNames: readonly string[];
  readonly targetName: string | null;
  /** The file line of each kept row (1-based; the header is line 1). */
  readonly lines: Int32Array;
  /** Lines of the rows left out for a missing value (`missing: 'drop'`). */
  readonly droppedLines: readonly number[];
}

export type { CsvRecord } from './csv_records.js';

/** The records of a CSV text (RFC 4180 quoting, csv_records.ts); blank lines are skipped. */
export function csvRecords(text: string, name: string, delimiter = ','): CsvRecord[] {
  const parser = new CsvRecordParser(name, delimiter);
  const out = parser.push(text);
  for (const r of parser.end()) out.push(r);
  return out;
}

/** Spellings of a missing cell (lowercased), and a decimal number (shared with the streaming hb.data.csv). */
export const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null']);
export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a numeric table from CSV text; `name` (the file) is named in every error. */
export function parseCsvTable(text: string, name: string, options: CsvTableOptions = {}): CsvTable {
  checkOptions('parseCsvTable', options, CSV_TABLE_OPTIONS);
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DatasetError(`${name}: delimiter must be one character other than a quote or a newline, received "${delimiter}"`);
  }
  const missingMode = options.missing ?? 'error';
  if (missingMode !== 'error' && missingMode !== 'drop') throw new DatasetError(`${name}: missing must be 'error' or 'drop', received "${String(missingMode)}"`);
  const records = csvRecords(text, name, delimiter);
  const head = records[0];
  if (head === undefined) throw new DatasetError(`${name}: empty file; expected a header line and rows`);
  const header = head.fields.map((h) => h.trim());
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (seen.has(h)) throw new DatasetError(`${name}: line ${head.line}: column name "${h}" appears twice (columns ${(seen.get(h) as number) + 1} and ${j + 1})`);
    seen.set(h, j);
  });
  const col = (c: string, what: string): number => {
    const j = seen.get(c);
    if (j === undefined) throw new DatasetError(`${name}: ${what} "${c}" is not a column; the columns are ${header.join(', ')}`);
    return j;
  };
  const targetName = options.target ?? null;
  const tj = targetName === null ? -1 : col(targetName, 'target');
  for (const c of options.exclude ?? []) col(c, 'excluded column');
  const excluded = new Set(options.exclude ?? []);
  const featureNames = options.columns !== undefined ? [...options.columns] : header.filter((h, j) => j !== tj && !excluded.has(h));
  const fj = featureNames.map((c) => col(c, 'feature column'));
  if (fj.includes(tj)) throw new DatasetError(`${name}: the target "${targetName}" is also listed as a feature column`);
  if (fj.length === 0) throw new DatasetError(`${name}: no feature columns left (columns: ${header.join(', ')})`);
  const used = tj >= 0 ? [...fj, tj] : fj;

  const rows = records.length - 1;
  const d = fj.length;
  const x = new Float64Array(rows * d);
  const y = new Float64Array(tj >= 0 ? rows : 0);
  const lines: number[] = [];
  const dropped: number[] = [];
  const missingAt: string[] = [];
  let missingCount = 0;
  let r = 0;
  for (let k = 1; k < records.length; k++) {
    const rec = records[k] as CsvRecord;
    if (rec.fields.length !== header.length) {
      throw new DatasetError(`${name}: line ${rec.line} has ${rec.fields.length} fields, expected ${header.length} (as in the header)`);
    }
    let missingHere = false;
    const vals = new Float64Array(used.length);
    used.forEach((j, u) => {
      const cell = (rec.fields[j] as string).trim();
      if (MISSING.has(cell.toLowerCase())) {
        missingHere = true;
        missingCount++;
        if (missingAt.length < 5) missingAt.push(`line ${rec.line} column ${header[j]}`);
        return;
      }
      if (!NUMBER.test(cell)) {
        throw new DatasetError(`${name}: line ${rec.line}, column ${header[j]} (${j + 1}): "${cell}" is not a number; expected a decimal number such as 3.5 or -1e-3`);
      }
      vals[u] = Number(cell);
    });
    if (missingHere) {
      dropped.push(rec.line);
      continue;
    }
    x.set(vals.subarray(0, d), r * d);
    if (tj >= 0) y[r] = vals[d] as number;
    lines.push(rec.line);
    r++;
  }
  if (missingCount > 0 && missingMode === 'error') {
    throw new DatasetError(
      `${name}: ${missingCount} missing value${missingCount === 1 ? '' : 's'} in ${dropped.length} row${dropped.length === 1 ? '' : 's'} (${missingAt.join('; ')}${missingCount > missingAt.length ? '; ...' : ''}); fill them in, or drop those rows (missing: 'drop')`,
    );
  }
  if (r === 0) throw new DatasetError(`${name}: no data rows${dropped.length > 0 ? ` (all ${dropped.length} had missing values)` : ''}`);
  return {
    data: { data: r === rows ? x : x.slice(0, r * d), shape: [r, d] },
    target: tj >= 0 ? { data: r === rows ? y : y.slice(0, r), shape: [r] } : null,
    featureNames,
    targetName,
    lines: Int32Array.from(lines),
    droppedLines: dropped,
  };
}

/** Reads and parses a CSV file (see parseCsvTable). */
export async function loadCsv(path: string, options: CsvTableOptions = {}): Promise<CsvTable> {
  checkOptions('loadCsv', options, CSV_TABLE_OPTIONS);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DatasetError(`${path}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseCsvTable(text, path, options);
}
