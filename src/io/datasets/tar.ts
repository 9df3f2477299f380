/**
 * Reads one member out of a tar archive (POSIX ustar, with GNU long names), enough for
 * scikit-learn's `cal_housing.tgz`. Each entry is a 512-byte header (name at 0-99, size in
 * octal at 124-135, type flag at 156, ustar name prefix at 345-499) followed by the data,
 * padded to a multiple of 512; two zero blocks end the archive.
 */
import { DatasetError } from './files.js';

const BLOCK = 512;

function cString(b: Uint8Array, from: number, len: number): string {
  let end = from;
  while (end < from + len && b[end] !== 0) end++;
  return new TextDecoder().decode(b.subarray(from, end));
}

/** The bytes of the regular file `member` in the tar archive `tar` (names compared exactly). */
export function tarMember(tar: Uint8Array, member: string, archiveName: string): Uint8Array {
  let off = 0;
  let longName: string | null = null;
  const seen: string[] = [];
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((v) => v === 0)) break;
    const sizeField = cString(h, 124, 12).trim();
    if (!/^[0-7]+$/.test(sizeField)) throw new DatasetError(`${archiveName}: corrupt tar header at byte ${off} (size field "${sizeField}")`);
    const size = parseInt(sizeField, 8);
    const type = String.fromCharCode(h[156] as number);
    const dataStart = off + BLOCK;
    if (dataStart + size > tar.length) throw new DatasetError(`${archiveName}: tar entry at byte ${off} runs past the end of the archive (truncated?)`);
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    const prefix = cString(h, 257, 6).startsWith('ustar') ? cString(h, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100));
    longName = null;
    if ((type === '0' || type === '\0') && name === member) return data;
    seen.push(name);
  }
  throw new DatasetError(`${archiveName}: member ${member} not found (entries: ${seen.join(', ') || 'none'})`);
}
