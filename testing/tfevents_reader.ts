/**
 * A TensorBoard event-file reader for tests, written from the format's definitions and sharing
 * no code with hebb's writer (src/io/tfrecord.ts, src/callbacks/tensorboard_*.ts): a bit-by-bit
 * CRC-32C instead of the writer's table, and a hand-written protocol-buffer wire-format parser
 * instead of protobufjs. Checks every CRC and rejects unknown wire types and truncation.
 */
import { readFileSync } from 'node:fs';

/** CRC-32C one bit at a time (polynomial 0x82F63B78, reflected). */
export function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function masked(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 0x100000000;
}

/** The records of a TFRecord file, every length and data CRC checked. */
export function readRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 12 > file.length) throw new Error(`truncated record header at byte ${at}`);
    const len = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== masked(crc32cBitwise(file.subarray(at, at + 8)))) throw new Error(`bad length CRC at byte ${at}`);
    const start = at + 12;
    if (start + len + 4 > file.length) throw new Error(`truncated record at byte ${at}`);
    const data = file.subarray(start, start + len);
    if (view.getUint32(start + len, true) !== masked(crc32cBitwise(data))) throw new Error(`bad data CRC at byte ${at}`);
    out.push(data);
    at = start + len + 4;
  }
  return out;
}

interface Field {
  no: number;
  wire: 0 | 1 | 2 | 5;
  varint: bigint;
  bytes: Uint8Array;
}

function varint(buf: Uint8Array, pos: { at: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.at >= buf.length) throw new Error('truncated varint');
    const b = buf[pos.at++] as number;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 63n) throw new Error('varint longer than 10 bytes');
  }
}

/** Every field of one message, in order. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  const pos = { at: 0 };
  const take = (n: number): Uint8Array => {
    if (pos.at + n > buf.length) throw new Error('truncated field');
    const b = buf.subarray(pos.at, pos.at + n);
    pos.at += n;
    return b;
  };
  while (pos.at < buf.length) {
    const key = Number(varint(buf, pos));
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint(buf, pos), bytes: new Uint8Array() });
    else if (wire === 1) out.push({ no, wire, varint: 0n, bytes: take(8) });
    else if (wire === 2) out.push({ no, wire, varint: 0n, bytes: take(Number(varint(buf, pos))) });
    else if (wire === 5) out.push({ no, wire, varint: 0n, bytes: take(4) });
    else throw new Error(`unsupported wire type ${wire} (field ${no})`);
  }
  return out;
}

const f64 = (b: Uint8Array, i = 0): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(i, true);
const f32 = (b: Uint8Array, i = 0): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat32(i, true);
const text = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b);

/** A repeated double / float field, packed (one LEN field) or not (one fixed field per value). */
function repeatedFixed(fs: Field[], no: number, width: 4 | 8): number[] {
  const out: number[] = [];
  for (const f of fs) {
    if (f.no !== no) continue;
    const read = width === 8 ? f64 : f32;
    if (f.wire === 2) for (let i = 0; i < f.bytes.length; i += width) out.push(read(f.bytes, i));
    else out.push(read(f.bytes));
  }
  return out;
}

const last = (fs: Field[], no: number): Field | undefined => fs.filter((f) => f.no === no).at(-1);

export interface DecodedHistogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

export interface DecodedTensor {
  dtype: number;
  dims: number[];
  floatVal: number[];
  stringVal: Uint8Array[];
}

export interface DecodedValue {
  tag: string;
  simpleValue?: number;
  histo?: DecodedHistogram;
  tensor?: DecodedTensor;
  pluginName?: string;
  pluginContent?: Uint8Array;
  dataClass?: number;
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values?: DecodedValue[];
}

function decodeHistogram(b: Uint8Array): DecodedHistogram {
  const fs = fields(b);
  const d = (no: number): number => {
    const f = last(fs, no);
    return f ? f64(f.bytes) : 0;
  };
  return { min: d(1), max: d(2), num: d(3), sum: d(4), sumSquares: d(5), bucketLimit: repeatedFixed(fs, 6, 8), bucket: repeatedFixed(fs, 7, 8) };
}

function decodeTensor(b: Uint8Array): DecodedTensor {
  const fs = fields(b);
  const shape = last(fs, 2);
  const dims = shape ? fields(shape.bytes).filter((f) => f.no === 2).map((dim) => Number(last(fields(dim.bytes), 1)?.varint ?? 0n)) : [];
  return {
    dtype: Number(last(fs, 1)?.varint ?? 0n),
    dims,
    floatVal: repeatedFixed(fs, 5, 4),
    stringVal: fs.filter((f) => f.no === 8).map((f) => f.bytes),
  };
}

function decodeValue(b: Uint8Array): DecodedValue {
  const fs = fields(b);
  const v: DecodedValue = { tag: text(last(fs, 1)?.bytes ?? new Uint8Array()) };
  const simple = last(fs, 2);
  if (simple) v.simpleValue = f32(simple.bytes);
  const histo = last(fs, 5);
  if (histo) v.histo = decodeHistogram(histo.bytes);
  const tensor = last(fs, 8);
  if (tensor) v.tensor = decodeTensor(tensor.bytes);
  const meta = last(fs, 9);
  if (meta) {
    const mf = fields(meta.bytes);
    const plugin = last(mf, 1);
    if (plugin) {
      const pf = fields(plugin.bytes);
      v.pluginName = text(last(pf, 1)?.bytes ?? new Uint8Array());
      const content = last(pf, 2);
      if (content) v.pluginContent = content.bytes;
    }
    const dc = last(mf, 4);
    if (dc) v.dataClass = Number(dc.varint);
  }
  return v;
}

export function decodeEvent(b: Uint8Array): DecodedEvent {
  const fs = fields(b);
  const wt = last(fs, 1);
  const step = last(fs, 2);
  const e: DecodedEvent = { wallTime: wt ? f64(wt.bytes) : 0, step: Number(BigInt.asIntN(64, step?.varint ?? 0n)) };
  const fv = last(fs, 3);
  if (fv) e.fileVersion = text(fv.bytes);
  const summary = last(fs, 5);
  if (summary) e.values = fields(summary.bytes).filter((f) => f.no === 1).map((f) => decodeValue(f.bytes));
  return e;
}

export function readEventFile(path: string): DecodedEvent[] {
  return readRecords(new Uint8Array(readFileSync(path))).map(decodeEvent);
}
