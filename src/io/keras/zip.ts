/**
 * The `.keras` archive, read and written with fflate. Reading is two passes over the central
 * directory: the first only lists the entries (fflate's filter sees each name and size and
 * extracts nothing), and every check runs on that list — entry names (no `..`, no absolute or
 * drive paths, no backslashes, no duplicates: Python's zipfile lets the last of two same-named
 * entries win, so a scanner reading the first sees another file), the members a `.keras` may
 * have (config.json, metadata.json, model.weights.h5; an `.npz` or pickle weight store is
 * refused, it can hold pickled objects), compression methods, and sizes (per member and in
 * total, and the compression ratio, against zip bombs). Only then does the second pass inflate
 * the allowed members, each into a buffer of its declared size that fflate does not grow, so a
 * lying header cannot make it allocate more. Nothing is ever written to disk.
 */
import { unzipSync, zipSync } from 'fflate';
import { ValueError } from '../../core/errors.js';
import { MAX_MODEL_JSON_BYTES } from '../model_io/reader.js';

export const CONFIG = 'config.json';
export const METADATA = 'metadata.json';
export const WEIGHTS = 'model.weights.h5';

/** The most a `.keras` may hold in all (Keras's own limit is memory; this bounds a bomb). */
export const MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024;
/** A deflated entry may expand at most this much (real HDF5 weights compress ~1.1:1, JSON ~10:1). */
export const MAX_RATIO = 200;
const MAX_ENTRIES = 64;

const LIMITS: Readonly<Record<string, number>> = {
  [CONFIG]: MAX_MODEL_JSON_BYTES,
  [METADATA]: 1024 * 1024,
  [WEIGHTS]: MAX_ARCHIVE_BYTES,
};

export interface KerasArchive {
  config: Uint8Array;
  metadata: Uint8Array | null;
  weights: Uint8Array;
}

interface Entry {
  name: string;
  size: number;
  originalSize: number;
  compression: number;
}

/** Why an entry name is refused, or null. */
function badName(name: string): string | null {
  if (name.includes('\0')) return 'holds a NUL character';
  if (name.includes('\\')) return 'holds a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').some((p) => p === '..')) return 'climbs out of the archive (..)';
  return null;
}

function list(bytes: Uint8Array, where: string): Entry[] {
  const entries: Entry[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        entries.push({ name: f.name, size: f.size, originalSize: f.originalSize, compression: f.compression });
        if (entries.length > MAX_ENTRIES) throw new ValueError(`${where}: the archive has more than ${MAX_ENTRIES} entries; a .keras file has 3`);
        return false;
      },
    });
  } catch (e) {
    if (e instanceof ValueError) throw e;
    throw new ValueError(`${where}: not a readable zip archive (truncated or corrupted?): ${e instanceof Error ? e.message : String(e)}`);
  }
  return entries;
}

function check(entries: readonly Entry[], bytes: number, where: string): void {
  const seen = new Set<string>();
  let total = 0;
  for (const e of entries) {
    const bad = badName(e.name);
    if (bad !== null) throw new ValueError(`${where}: archive entry ${JSON.stringify(e.name)} ${bad}; refused before extracting anything`);
    if (seen.has(e.name)) {
      throw new ValueError(`${where}: the archive has two entries named ${JSON.stringify(e.name)} (a reader that takes the first and one that takes the last would see different files); refused`);
    }
    seen.add(e.name);
  }
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    if (/\.(npz|npy|pkl|pickle)$/i.test(e.name)) {
      throw new ValueError(`${where}: archive member "${e.name}" is a NumPy/pickle store, which can hold pickled Python objects (code); hebb reads weights only from ${WEIGHTS}`);
    }
    const limit = LIMITS[e.name];
    if (limit === undefined) {
      throw new ValueError(`${where}: unexpected archive member "${e.name}"; a .keras file holds ${CONFIG}, ${METADATA} and ${WEIGHTS} (assets are not supported)`);
    }
    if (e.compression !== 0 && e.compression !== 8) throw new ValueError(`${where}: archive member "${e.name}" uses compression method ${e.compression}; only stored (0) and deflate (8) are read`);
    if (e.compression === 0 && e.originalSize !== e.size) throw new ValueError(`${where}: archive member "${e.name}" is stored uncompressed but declares ${e.originalSize} bytes for ${e.size} (corrupted?)`);
    if (e.size > bytes) throw new ValueError(`${where}: archive member "${e.name}" claims ${e.size} compressed bytes, more than the ${bytes}-byte file (truncated?)`);
    if (e.originalSize > limit) throw new ValueError(`${where}: archive member "${e.name}" would expand to ${e.originalSize} bytes (at most ${limit}); refused`);
    if (e.compression === 8 && e.originalSize > 1024 * 1024 && e.originalSize > MAX_RATIO * Math.max(1, e.size)) {
      throw new ValueError(`${where}: archive member "${e.name}" would expand ${Math.round(e.originalSize / Math.max(1, e.size))}-fold (${e.size} → ${e.originalSize} bytes): a zip bomb? refused`);
    }
    total += e.originalSize;
    if (total > MAX_ARCHIVE_BYTES) throw new ValueError(`${where}: the archive's members add up to more than ${MAX_ARCHIVE_BYTES} bytes; refused`);
  }
  for (const need of [CONFIG, WEIGHTS]) {
    if (!seen.has(need)) throw new ValueError(`${where}: the archive has no ${need} (members: ${entries.map((e) => e.name).join(', ') || 'none'}); not a .keras file`);
  }
}

/** The members of a `.keras` archive, after every check on the listing. */
export function readKerasZip(bytes: Uint8Array, where: string): KerasArchive {
  const entries = list(bytes, where);
  check(entries, bytes.byteLength, where);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => Object.prototype.hasOwnProperty.call(LIMITS, f.name) });
  } catch (e) {
    throw new ValueError(`${where}: an archive member cannot be extracted (truncated or corrupted?): ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const e of entries) {
    const got = Object.prototype.hasOwnProperty.call(files, e.name) ? files[e.name] : undefined;
    if (got && got.byteLength !== e.originalSize) {
      throw new ValueError(`${where}: archive member "${e.name}" has ${got.byteLength} bytes, its header declares ${e.originalSize} (truncated or corrupted?)`);
    }
  }
  const config = files[CONFIG];
  const weights = files[WEIGHTS];
  if (!config || !weights) throw new ValueError(`${where}: internal: ${CONFIG} or ${WEIGHTS} vanished between the listing and the extraction`);
  return { config, metadata: files[METADATA] ?? null, weights };
}

/** A `.keras` archive: entries stored uncompressed, in Keras's order, as Keras writes them. */
export function writeKerasZip(archive: KerasArchive, date: Date): Uint8Array {
  const opts = { level: 0 as const, mtime: date };
  const files: Record<string, [Uint8Array, typeof opts]> = {};
  if (archive.metadata) files[METADATA] = [archive.metadata, opts];
  files[CONFIG] = [archive.config, opts];
  files[WEIGHTS] = [archive.weights, opts];
  return zipSync(files);
}
