import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { DatasetError, parseIdx, parseIdxGz } from './index.js';

/** A big-endian IDX file written by hand from the format description. */
function idx(magic: number, dims: number[], values: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, magic, false);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  out.set(values, 4 + 4 * dims.length);
  return out;
}

describe('parseIdx', () => {
  it('reads a 3-D unsigned-byte file in row-major order', () => {
    const vals = Array.from({ length: 2 * 3 * 2 }, (_, i) => i * 10);
    const a = parseIdx(idx(0x803, [2, 3, 2], vals), { name: 'x', dims: [2, 3, 2] });
    assert.deepEqual(a.shape, [2, 3, 2]);
    assert.deepEqual([...a.data], vals);
    assert.ok(a.data instanceof Uint8Array);
  });

  it('accepts null dims as any size and reads through gzip', () => {
    const a = parseIdxGz(gzipSync(idx(0x801, [4], [9, 0, 0, 3])), { name: 'y', dims: [null] });
    assert.deepEqual(a.shape, [4]);
    assert.deepEqual([...a.data], [9, 0, 0, 3]);
  });

  it('rejects a wrong magic number (labels read as images)', () => {
    assert.throws(() => parseIdx(idx(0x801, [4], [1, 2, 3, 4]), { name: 'imgs.gz', dims: [null, 28, 28] }), (e: unknown) => {
      assert.ok(e instanceof DatasetError);
      assert.match(e.message, /imgs\.gz: bad IDX magic number 0x00000801, expected 0x00000803/);
      return true;
    });
    // type code other than 0x08 (here 0x0D, float)
    assert.throws(() => parseIdx(idx(0x0d01, [1], [0, 0, 0, 0]), { name: 'f', dims: [1] }), /bad IDX magic/);
  });

  it('rejects unexpected dimensions and counts', () => {
    assert.throws(() => parseIdx(idx(0x803, [1, 27, 28], new Array(27 * 28).fill(0)), { name: 'x', dims: [1, 28, 28] }), /header dimension 1 is 27, expected 28/);
    assert.throws(() => parseIdx(idx(0x801, [5], [1, 2, 3, 4, 5]), { name: 'y', dims: [6] }), /header dimension 0 is 5, expected 6/);
  });

  it('rejects truncated files and trailing bytes', () => {
    const good = idx(0x801, [4], [1, 2, 3, 4]);
    assert.throws(() => parseIdx(good.subarray(0, 10), { name: 'y', dims: [4] }), /expected 12 bytes .* received 10 \(truncated file\?\)/);
    assert.throws(() => parseIdx(good.subarray(0, 6), { name: 'y', dims: [4] }), /shorter than its 8-byte header/);
    assert.throws(() => parseIdx(good.subarray(0, 2), { name: 'y', dims: [4] }), /too short for an IDX header/);
    const long = new Uint8Array(13);
    long.set(good);
    assert.throws(() => parseIdx(long, { name: 'y', dims: [4] }), /expected 12 bytes .* received 13/);
    // the messages name the offsets: where the data stops, where the extra bytes begin, where the bad field is
    assert.throws(() => parseIdx(good.subarray(0, 10), { name: 'y', dims: [4] }), (e: unknown) => e instanceof DatasetError && e.message === 'y: expected 12 bytes (header + [4] values), received 10 (truncated file?): the data stops at offset 10, in value 2 of 4');
    assert.throws(() => parseIdx(long, { name: 'y', dims: [4] }), (e: unknown) => e instanceof DatasetError && e.message === 'y: expected 12 bytes (header + [4] values), received 13: 1 extra bytes from offset 12');
    assert.throws(() => parseIdx(idx(0x801, [5], [1, 2, 3, 4, 5]), { name: 'y', dims: [6] }), /header dimension 0 is 5, expected 6 \(at offset 4\)/);
    assert.throws(() => parseIdx(idx(0x801, [4], [1, 2, 3, 4]), { name: 'imgs', dims: [null, 28, 28] }), /0x00000803 \(unsigned bytes, 3 dimensions\) at offset 0$/);
  });

  it('rejects data that is not gzip, and a cut gzip stream', () => {
    assert.throws(() => parseIdxGz(idx(0x801, [1], [1]), { name: 'raw', dims: [1] }), /raw: not a valid gzip file/);
    const gz = gzipSync(idx(0x801, [100], new Array(100).fill(7)));
    assert.throws(() => parseIdxGz(gz.subarray(0, gz.length - 12), { name: 'cut', dims: [100] }), (e: unknown) => e instanceof DatasetError);
  });
});
