/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 *
 *     uint64 length | uint32 masked CRC-32C of those 8 bytes | data | uint32 masked CRC-32C of data
 *
 * all little-endian (tensorflow/core/lib/io/record_writer.cc). Pure computation; the file
 * writing is the caller's (the TensorBoard callback's event writer).
 */
import { maskedCrc32c } from './crc32c.js';

/** The bytes of one record holding `data`. */
export function tfrecordFrame(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  // Records here are far below 2^32 bytes, but the field is 64-bit: write both halves.
  view.setUint32(0, data.length % 0x100000000, true);
  view.setUint32(4, Math.floor(data.length / 0x100000000), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}
