/**
 * IDX files (the MNIST format), gzip-compressed as distributed. An IDX file starts with a
 * 4-byte big-endian magic: two zero bytes, a type code (0x08 = unsigned byte, the only type
 * MNIST and Fashion-MNIST use) and the number of dimensions; then one big-endian uint32 per
 * dimension; then the values in row-major order. Images are magic 0x00000803 with dims
 * [count, 28, 28]; labels 0x00000801 with dims [count].
 */
import { gunzipSync } from 'node:zlib';
import { fmtShape } from '../../core/errors.js';
import { type HostArray } from './arrays.js';
import { DatasetError } from './files.js';

/** What a parsed file must look like; null entries in `dims` accept any size. */
export interface IdxExpectation {
  /** Named in error messages, e.g. the file name. */
  readonly name: string;
  readonly dims: readonly (number | null)[];
}

/** Parses an uncompressed unsigned-byte IDX buffer, checking magic, dims and length. */
export function parseIdx(bytes: Uint8Array, expect: IdxExpectation): HostArray<Uint8Array> {
  const { name } = expect;
  const rank = expect.dims.length;
  const headerLen = 4 + 4 * rank;
  if (bytes.length < 4) throw new DatasetError(`${name}: file is ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const wantMagic = 0x0800 + rank;
  if (magic !== wantMagic) {
    throw new DatasetError(
      `${name}: bad IDX magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x${wantMagic.toString(16).padStart(8, '0')} (unsigned bytes, ${rank} dimension${rank === 1 ? '' : 's'}) at offset 0`,
    );
  }
  if (bytes.length < headerLen) throw new DatasetError(`${name}: file is ${bytes.length} bytes, shorter than its ${headerLen}-byte header`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    const want = expect.dims[i];
    if (want !== null && want !== undefined && d !== want) {
      throw new DatasetError(`${name}: header dimension ${i} is ${d}, expected ${want} (at offset ${4 + 4 * i})`);
    }
    shape.push(d);
  }
  let count = 1;
  for (const d of shape) count *= d;
  if (bytes.length !== headerLen + count) {
    throw new DatasetError(
      `${name}: expected ${headerLen + count} bytes (header + ${fmtShape(shape)} values), received ${bytes.length}${
        bytes.length < headerLen + count
          ? ` (truncated file?): the data stops at offset ${bytes.length}, in value ${bytes.length - headerLen} of ${count}`
          : `: ${bytes.length - headerLen - count} extra bytes from offset ${headerLen + count}`
      }`,
    );
  }
  // A copy into a plain Uint8Array (Buffer.slice would be a view), so the decompressed
  // buffer is not kept alive and callers get the type they expect.
  return { data: new Uint8Array(bytes.subarray(headerLen)), shape };
}

/** Decompresses a gzip IDX file and parses it; a bad gzip stream is a DatasetError. */
export function parseIdxGz(gz: Uint8Array, expect: IdxExpectation): HostArray<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = gunzipSync(gz);
  } catch (e) {
    throw new DatasetError(`${expect.name}: not a valid gzip file (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseIdx(raw, expect);
}
