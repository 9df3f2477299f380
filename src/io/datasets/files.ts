/**
 * Where dataset files come from. Each file is looked up, in order, in:
 *   1. `dir` (an explicit folder holding the dataset's files),
 *   2. `$HEBB_DATASETS/<folder>`,
 *   3. `<package root>/../shared/datasets/<folder>` (the repository layout, where the
 *      checkout and the shared data folder are siblings),
 *   4. the cache, `<cacheDir>/<folder>` (default `~/.hebb/datasets`).
 * When it is in none of them it is downloaded into the cache from the dataset's canonical
 * URL, as Keras's `get_file` does, and its sha256 is checked before it is kept. A download
 * is written to a temporary file in the cache folder and renamed into place only after the
 * hash matched, so an interrupted or corrupted download never leaves a file that a later
 * call would mistake for a good one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HebbError } from '../../core/errors.js';
import { checkOptions, type OptionKeys } from '../../core/options.js';

/** A dataset file is missing, could not be downloaded, or its contents are not valid. */
export class DatasetError extends HebbError {}

/** Options every loader takes. */
export interface DatasetOptions {
  /** A folder holding the dataset's files; searched first. */
  dir?: string;
  /** Where downloads go; default `~/.hebb/datasets`. The dataset's folder is made inside. */
  cacheDir?: string;
  /** Download files found nowhere (default true). When false, a missing file is an error. */
  download?: boolean;
  /** Overrides the dataset's canonical base URL (a mirror); the file name is appended. */
  baseUrl?: string;
}

/** The names in DatasetOptions: each loader checks its options against them. */
export const DATASET_OPTIONS: OptionKeys<DatasetOptions> = { dir: true, cacheDir: true, download: true, baseUrl: true };

/** One file of a dataset: its name, and the sha256 a download must have. */
export interface RemoteFile {
  readonly name: string;
  readonly sha256: string;
  /** Full download URL when it is not the dataset's base URL + name (e.g. a figshare id). */
  readonly url?: string;
}

/** The folder (under a datasets root) a dataset lives in, and where to download it from. */
export interface DatasetSource {
  readonly folder: string;
  readonly baseUrl: string;
}

let cachedRoot: string | null | undefined;

/** The directory holding hebb's package.json, found by walking up from this module. */
export function packageRoot(): string | null {
  if (cachedRoot !== undefined) return cachedRoot;
  let d = dirname(fileURLToPath(import.meta.url));
  cachedRoot = null;
  for (;;) {
    const pj = join(d, 'package.json');
    if (existsSync(pj)) {
      try {
        const meta: unknown = JSON.parse(readFileSync(pj, 'utf8'));
        if (typeof meta === 'object' && meta !== null && 'name' in meta && meta.name === 'hebb') {
          cachedRoot = d;
          break;
        }
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return cachedRoot;
}

export function defaultCacheDir(): string {
  return join(homedir(), '.hebb', 'datasets');
}

/** The folders searched for a dataset's files, in order (the cache last). */
export function searchDirs(source: DatasetSource, opts: DatasetOptions = {}): string[] {
  checkOptions('searchDirs', opts, DATASET_OPTIONS);
  const dirs: string[] = [];
  if (opts.dir !== undefined) dirs.push(resolve(opts.dir));
  const env = process.env['HEBB_DATASETS'];
  if (env) dirs.push(join(resolve(env), source.folder));
  const root = packageRoot();
  if (root !== null) dirs.push(join(root, '..', 'shared', 'datasets', source.folder));
  dirs.push(join(resolve(opts.cacheDir ?? defaultCacheDir()), source.folder));
  return dirs;
}

/**
 * The first of `files` found, folder by folder in search order (within one folder, earlier
 * entries of `files` win), or null. No download.
 */
export function findLocal(source: DatasetSource, files: readonly RemoteFile[], opts: DatasetOptions = {}): { path: string; file: RemoteFile } | null {
  checkOptions('findLocal', opts, DATASET_OPTIONS);
  for (const d of searchDirs(source, opts)) {
    for (const file of files) {
      const p = join(d, file.name);
      if (existsSync(p)) return { path: p, file };
    }
  }
  return null;
}

/**
 * The path of one dataset file: the first folder that has it, else a fresh download into
 * the cache (unless `download: false`).
 */
export async function resolveFile(source: DatasetSource, file: RemoteFile, opts: DatasetOptions = {}): Promise<string> {
  checkOptions('resolveFile', opts, DATASET_OPTIONS);
  const found = findLocal(source, [file], opts);
  if (found !== null) return found.path;
  const dirs = searchDirs(source, opts);
  if (opts.download === false) {
    throw new DatasetError(`${source.folder}: ${file.name} not found (download: false); looked in ${dirs.join(', ')}`);
  }
  const base = opts.baseUrl ?? (file.url !== undefined ? '' : source.baseUrl);
  if (base === '' && file.url === undefined) {
    throw new DatasetError(
      `${source.folder}: ${file.name} not found in ${dirs.join(', ')}, and this dataset has no canonical download URL; pass {dir} or the {baseUrl} of a mirror`,
    );
  }
  const dest = join(dirs[dirs.length - 1] as string, file.name);
  const url = base === '' && file.url !== undefined ? file.url : base.replace(/\/?$/, '/') + file.name;
  await downloadFile(url, dest, { sha256: file.sha256 });
  return dest;
}

/**
 * Downloads `url` to `dest`, checking the sha256 (hex) when given. The bytes go to a
 * temporary file beside `dest`, which is renamed over `dest` only when the download finished
 * and the hash matched; on any failure the temporary file is removed and `dest` is untouched.
 */
export interface DownloadOptions {
  /** The expected sha256 (hex); a download that differs is not kept. */
  sha256?: string;
}

const DOWNLOAD_OPTIONS: OptionKeys<DownloadOptions> = { sha256: true };

export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<void> {
  checkOptions('downloadFile', opts, DOWNLOAD_OPTIONS);
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${randomBytes(6).toString('hex')}.part`;
  try {
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new DatasetError(`download: could not fetch ${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok || res.body === null) {
      throw new DatasetError(`download: ${url} answered HTTP ${res.status} ${res.statusText}`);
    }
    const hash = createHash('sha256');
    // Read the body chunk by chunk (no whole-file buffer), hashing and writing each chunk.
    const fh = await open(tmp, 'w');
    try {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        await fh.write(value);
      }
    } catch (e) {
      throw new DatasetError(`download: transfer of ${url} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await fh.close();
    }
    const got = hash.digest('hex');
    if (opts.sha256 !== undefined && got !== opts.sha256.toLowerCase()) {
      throw new DatasetError(`download: sha256 of ${url} is ${got}, expected ${opts.sha256}; the file was not kept`);
    }
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** sha256 (hex) of bytes, for checks on loaded files. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
