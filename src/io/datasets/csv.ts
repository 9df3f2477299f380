/**
 * A strict reader for numeric CSV files with one header line (the form of the shared
 * scikit-learn sets). Every cell must parse as a finite number: a blank or malformed cell is
 * an error naming the file, line and column, never a silent NaN.
 */
import { DatasetError } from './files.js';

export interface NumericCsv {
  readonly header: readonly string[];
  /** Row-major values, rows × header.length, parsed exactly as float64. */
  readonly values: Float64Array;
  readonly rows: number;
}

export function parseNumericCsv(text: string, name: string, expectHeader?: readonly string[]): NumericCsv {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new DatasetError(`${name}: empty file`);
  const header = (lines[0] as string).split(',').map((h) => h.trim());
  if (expectHeader !== undefined && header.join(',') !== expectHeader.join(',')) {
    throw new DatasetError(`${name}: header is "${header.join(',')}", expected "${expectHeader.join(',')}"`);
  }
  const cols = header.length;
  const rows = lines.length - 1;
  const values = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const cells = (lines[r + 1] as string).split(',');
    if (cells.length !== cols) {
      throw new DatasetError(`${name}: line ${r + 2} has ${cells.length} fields, expected ${cols}`);
    }
    for (let c = 0; c < cols; c++) {
      const cell = (cells[c] as string).trim();
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new DatasetError(`${name}: line ${r + 2}, column ${header[c]}: "${cell}" is not a finite number`);
      }
      values[r * cols + c] = v;
    }
  }
  return { header, values, rows };
}

/** Splits parsed rows into features (all but the last column) and the last column. */
export function splitLastColumn(csv: NumericCsv): { x: Float64Array; y: Float64Array; features: number } {
  const cols = csv.header.length;
  const d = cols - 1;
  const x = new Float64Array(csv.rows * d);
  const y = new Float64Array(csv.rows);
  for (let r = 0; r < csv.rows; r++) {
    x.set(csv.values.subarray(r * cols, r * cols + d), r * d);
    y[r] = csv.values[r * cols + d] as number;
  }
  return { x, y, features: d };
}
