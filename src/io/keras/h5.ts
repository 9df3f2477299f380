/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly, usnistgov/h5wasm), the one
 * place hebb touches it. Its ES-module build is used in Node as in a page: that build keeps its
 * files in Emscripten's in-memory file system, so reading a weight file from bytes writes
 * nothing to disk (the Node build of h5wasm maps the real file system instead, which a loader of
 * untrusted files has no use for).
 *
 * The module (4 MB of WebAssembly) is imported on first use, not with hebb: in Node as the
 * package `h5wasm`, in a page as `h5wasm.js` beside the bundle (scripts/build-browser.mjs copies
 * it there). Both specifiers are computed, so esbuild leaves them as written instead of inlining
 * 4 MB into hebb.js. HDF5's own error printing is replaced by thrown errors
 * (`activate_throwing_error_handler`), which `h5Error` turns into one readable line.
 */
import { ValueError } from '../../core/errors.js';

export type H5 = typeof import('h5wasm');
export type H5File = InstanceType<H5['File']>;
export type H5Group = InstanceType<H5['Group']>;
export type H5Dataset = InstanceType<H5['Dataset']>;

let loading: Promise<H5> | null = null;

function specifier(): string {
  const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  // In a page: the copy the browser build puts beside hebb.js.
  return node ? ['h5', 'wasm'].join('') : new URL('./h5wasm.js', import.meta.url).href;
}

/** h5wasm, loaded once and ready. */
export function h5(): Promise<H5> {
  loading ??= (async () => {
    const mod = (await import(specifier())) as H5 & { default?: H5 };
    const lib: H5 = mod.default ?? mod;
    const module = await lib.ready;
    module.activate_throwing_error_handler();
    return lib;
  })();
  return loading;
}

/** HDF5's error stack (a dozen lines) → its most specific line, e.g. "truncated file: eof = 100, ...". */
export function h5Error(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines[lines.length - 1];
  if (last === undefined) return text.split('\n')[0] ?? text;
  const m = /in ([A-Za-z0-9_]+)\(\): (.*)$/.exec(last);
  return m ? (m[2] ?? last).trim() : last.trim();
}

let counter = 0;

/**
 * Runs `fn` on the HDF5 file whose bytes are `bytes`, kept in h5wasm's in-memory file system
 * for the duration only; `where` names the file in errors.
 */
export async function withH5<T>(bytes: Uint8Array, where: string, fn: (file: H5File, lib: H5) => T): Promise<T> {
  const lib = await h5();
  const fs = (await lib.ready).FS;
  const path = `/hebb-read-${++counter}.h5`;
  fs.writeFile(path, bytes);
  let file: H5File;
  try {
    file = new lib.File(path, 'r');
    if (file.file_id < 0n) throw new Error('H5Fopen failed');
  } catch (e) {
    fs.unlink(path);
    throw new ValueError(`${where}: not a readable HDF5 file (truncated or corrupted?): ${h5Error(e)}`);
  }
  try {
    return fn(file, lib);
  } finally {
    file.close();
    fs.unlink(path);
  }
}

/** Writes an HDF5 file with `fn` in the in-memory file system and returns its bytes. */
export async function writeH5(fn: (file: H5File, lib: H5) => void): Promise<Uint8Array> {
  const lib = await h5();
  const fs = (await lib.ready).FS;
  const path = `/hebb-write-${++counter}.h5`;
  const file = new lib.File(path, 'w');
  try {
    fn(file, lib);
  } finally {
    file.close();
  }
  try {
    return fs.readFile(path);
  } finally {
    fs.unlink(path);
  }
}

/** An attribute as a string (fixed-length bytes in old files, variable-length str in newer ones), or null. */
export function stringAttr(obj: { attrs: Record<string, { json_value: unknown }> }, name: string): string | null {
  const a = Object.prototype.hasOwnProperty.call(obj.attrs, name) ? obj.attrs[name] : undefined;
  const v = a?.json_value;
  return typeof v === 'string' ? v : null;
}

/**
 * An attribute as a list of strings: Keras's `layer_names` / `weight_names`. Weightless layers
 * carry an empty float64 array instead; a single string counts as a list of one.
 */
export function stringListAttr(obj: { attrs: Record<string, { json_value: unknown }> }, name: string, where: string): string[] | null {
  const a = Object.prototype.hasOwnProperty.call(obj.attrs, name) ? obj.attrs[name] : undefined;
  if (a === undefined) return null;
  const v = a.json_value;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  if (Array.isArray(v) && v.length === 0) return [];
  throw new ValueError(`${where}: attribute "${name}" must be a list of strings, received ${JSON.stringify(v).slice(0, 80)}`);
}
