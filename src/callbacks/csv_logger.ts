/**
 * CSVLogger, Keras 3 semantics: one row per epoch, `epoch` then the first epoch's log keys in
 * sorted order; the header is written unless appending to a file that already has a line.
 * A key missing from a later epoch is written "NA"; a key the header lacks is an error (as
 * Python's csv.DictWriter raises). The file is opened at train begin (truncated unless
 * `append`), written and flushed at every epoch end, and closed at train end.
 *
 * Byte-for-byte what Keras writes: Python's csv "excel" dialect (fields quoted only when they
 * hold the separator, a quote or a line break; lines end in "\r\n") and numbers as Python's
 * `str(float)` prints them ("1.0", "0.001", "1e-05"), so tools reading Keras's logs read these.
 */
import type { FileHandle } from 'node:fs/promises';
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { nodeHost } from '../io/node_host.js';
import type { Callback, CallbackModel, Logs } from './callback.js';

export interface CSVLoggerOptions {
  /** The CSV file's path. */
  filename: string;
  /** [','] */
  separator?: string;
  /** [false] append to an existing file (continuing a run) instead of overwriting it. */
  append?: boolean;
}

const CSV_LOGGER_OPTIONS: OptionKeys<CSVLoggerOptions> = { filename: true, separator: true, append: true };

export class CSVLogger implements Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private model: CallbackModel | null = null;
  private file: FileHandle | null = null;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(options: CSVLoggerOptions) {
    checkOptions('CSVLogger', options, CSV_LOGGER_OPTIONS);
    const { filename, separator = ',', append = false } = options;
    if (typeof filename !== 'string' || filename === '') throw new ValueError(`CSVLogger: filename must be a non-empty string, received ${fmtReceived(filename)}`);
    if (typeof separator !== 'string' || separator.length !== 1) {
      throw new ValueError(`CSVLogger: separator must be a single character (Python's csv requires one), received ${fmtReceived(separator)}`);
    }
    if (typeof append !== 'boolean') throw new ValueError(`CSVLogger: append must be a boolean, received ${fmtReceived(append)}`);
    this.filename = filename;
    this.separator = separator;
    this.append = append;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  async onTrainBegin(): Promise<void> {
    const { fs } = nodeHost('CSVLogger');
    await this.close();
    this.writeHeader = true;
    if (this.append) {
      // Keras writes no header when the file's first line is not empty, i.e. when it has any byte.
      const existing = await fs.stat(this.filename).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)));
      this.writeHeader = existing === null || existing.size === 0;
    }
    this.file = await fs.open(this.filename, this.append ? 'a' : 'w');
    this.keys = null;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.file) return;
    let text = '';
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      if (this.writeHeader) text += this.line(['epoch', ...this.keys]);
    }
    const extra = Object.keys(logs).filter((k) => !this.keys?.includes(k));
    if (extra.length > 0) {
      throw new ValueError(`CSVLogger: epoch ${epoch} logs ${extra.map((k) => `"${k}"`).join(', ')}, which the header (from the first epoch: ${this.keys.join(', ')}) lacks`);
    }
    text += this.line([String(epoch), ...this.keys.map((k) => (k in logs ? pythonFloat(logs[k] as number) : 'NA'))]);
    await this.file.write(text);
  }

  async onTrainEnd(): Promise<void> {
    await this.close();
  }

  private line(fields: string[]): string {
    const sep = this.separator;
    const quote = (f: string): string => (f.includes(sep) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    return `${fields.map(quote).join(sep)}\r\n`;
  }

  private async close(): Promise<void> {
    const f = this.file;
    this.file = null;
    await f?.close();
  }
}

export const csvLogger = (options: CSVLoggerOptions): CSVLogger => new CSVLogger(options);

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && Reflect.get(e, 'code') === 'ENOENT';
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (JavaScript's, too), printed
 * in fixed notation for decimal exponents -4..15 (with ".0" when integral) and as
 * `d.ddde±XX` otherwise.
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intDigits = exp + 1;
  if (digits.length <= intDigits) return `${sign}${digits}${'0'.repeat(intDigits - digits.length)}.0`;
  return `${sign}${digits.slice(0, intDigits)}.${digits.slice(intDigits)}`;
}
