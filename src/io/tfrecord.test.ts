import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tfrecordFrame } from './tfrecord.js';
import { crc32cBitwise, readRecords } from '../../testing/tfevents_reader.js';

const mask = (c: number): number => ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;

test('tfrecordFrame: uint64 length, masked CRC of the length, data, masked CRC of the data, little-endian', () => {
  const data = new TextEncoder().encode('hello, tensorboard');
  const rec = tfrecordFrame(data);
  assert.equal(rec.length, 8 + 4 + data.length + 4);
  const view = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  assert.equal(view.getBigUint64(0, true), BigInt(data.length));
  assert.deepEqual([...rec.subarray(0, 8)], [data.length, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(view.getUint32(8, true), mask(crc32cBitwise(rec.subarray(0, 8))));
  assert.deepEqual(rec.subarray(12, 12 + data.length), data);
  assert.equal(view.getUint32(12 + data.length, true), mask(crc32cBitwise(data)));
});

test('records concatenate into a file the independent reader reads back, and a flipped byte is caught', () => {
  const payloads = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(1000).map((_, i) => (i * 7) & 0xff)];
  const frames = payloads.map(tfrecordFrame);
  const file = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    file.set(f, at);
    at += f.length;
  }
  assert.deepEqual(readRecords(file), payloads);
  const bad = file.slice();
  bad[bad.length - 10] = (bad[bad.length - 10] as number) ^ 1;
  // Records of 16 and 19 bytes come first: the third starts at byte 35.
  assert.throws(() => readRecords(bad), /bad data CRC at byte 35/);
  const badLength = file.slice();
  badLength[0] = 1; // the first record's length field, under its CRC
  assert.throws(() => readRecords(badLength), /bad length CRC at byte 0/);
});
