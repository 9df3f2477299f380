/**
 * The RFC 4180 record reader behind csvRecords (csv_table.ts) and the streaming hb.data.csv:
 * text goes in by chunks (`push`), records come out as soon as they end, so a file of any size
 * is read with one record (and one chunk) in memory. A chunk may end anywhere: inside a quoted
 * field, between the two quotes of an escaped quote, between CR and LF.
 *
 * A field may be quoted, a quote inside one is doubled (`"a ""b"""`), and a quoted field may
 * hold the delimiter or a newline (line numbers are those of the file, counting such
 * newlines). Blank lines are skipped. Errors name the file and the line.
 */
import { DatasetError } from '../datasets/files.js';

export interface CsvRecord {
  readonly fields: string[];
  /** The line the record starts on (1-based). */
  readonly line: number;
}

export class CsvRecordParser {
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private start = 1;
  private quoted = false; // inside a quoted field
  private wasQuoted = false; // the current field had quotes
  private quoteAtEnd = false; // a chunk ended on a quote inside a quoted field: closing, or the first of ""?
  private crAtEnd = false; // a chunk ended on CR: a following LF belongs to it
  private first = true;

  constructor(private readonly name: string, private readonly delimiter = ',') {}

  /** The records that end in this chunk. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1; // a UTF-8 byte-order mark is not part of the header
    }
    if (this.crAtEnd) {
      this.crAtEnd = false;
      if (text[0] === '\n') i = Math.max(i, 1);
    }
    if (this.quoteAtEnd && text.length > i) {
      this.quoteAtEnd = false;
      if (text[i] === '"') {
        this.field += '"';
        i++;
      } else this.quoted = false;
    }
    const { delimiter } = this;
    for (; i < text.length; i++) {
      const ch = text[i] as string;
      if (this.quoted) {
        if (ch === '"') {
          if (i + 1 === text.length) this.quoteAtEnd = true;
          else if (text[i + 1] === '"') {
            this.field += '"';
            i++;
          } else this.quoted = false;
        } else {
          if (ch === '\n') this.line++;
          this.field += ch;
        }
        continue;
      }
      if (ch === '"') {
        if (this.field.trim() !== '') throw new DatasetError(`${this.name}: line ${this.line}: a quote inside an unquoted field (after "${this.field}"); quote the whole field and double the quote`);
        this.field = '';
        this.quoted = true;
        this.wasQuoted = true;
      } else if (ch === delimiter) {
        this.fields.push(this.field);
        this.field = '';
        this.wasQuoted = false;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r') {
          if (i + 1 === text.length) this.crAtEnd = true;
          else if (text[i + 1] === '\n') i++;
        }
        this.endRecord(out);
        this.line++;
        this.start = this.line;
      } else if (this.wasQuoted && ch !== ' ' && ch !== '\t') {
        throw new DatasetError(`${this.name}: line ${this.line}: "${ch}" after a closing quote; expected the delimiter "${delimiter}" or the end of the line`);
      } else this.field += ch;
    }
    return out;
  }

  /** The last record, at the end of the text. */
  end(): CsvRecord[] {
    if (this.quoteAtEnd) {
      this.quoteAtEnd = false;
      this.quoted = false;
    }
    if (this.quoted) throw new DatasetError(`${this.name}: line ${this.start}: a quoted field is not closed before the end of the file`);
    const out: CsvRecord[] = [];
    if (this.field !== '' || this.fields.length > 0 || this.wasQuoted) this.endRecord(out);
    return out;
  }

  private endRecord(out: CsvRecord[]): void {
    this.fields.push(this.field);
    if (!(this.fields.length === 1 && this.fields[0] === '' && !this.wasQuoted)) out.push({ fields: this.fields, line: this.start });
    this.fields = [];
    this.field = '';
    this.wasQuoted = false;
  }
}
