/**
 * The bytes of a Keras file, from a path (Node), a URL (fetch, in a page or in Node) or bytes
 * already in memory. Each way is capped at the largest archive the loader accepts, checked
 * before the bytes are read (a file's size) or while they arrive (a response body).
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import { nodeModules } from '../model_io/files.js';
import { isHttpUrl, readCapped } from '../model_io/http.js';
import { MAX_ARCHIVE_BYTES } from './zip.js';

export type KerasSource = string | Uint8Array | ArrayBuffer;

export interface SourceBytes {
  bytes: Uint8Array;
  /** The file's name in errors. */
  name: string;
}

export async function readKerasSource(source: KerasSource, op: string, fetchImpl?: typeof fetch, max = MAX_ARCHIVE_BYTES): Promise<SourceBytes> {
  if (source instanceof Uint8Array) return { bytes: source, name: 'the given bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: 'the given bytes' };
  if (typeof source !== 'string') throw new ValueError(`${op}: the source must be a path, a URL, a Uint8Array or an ArrayBuffer, received ${fmtReceived(source)}`);
  if (isHttpUrl(source)) {
    const f = fetchImpl ?? globalThis.fetch;
    if (typeof f !== 'function') throw new ValueError(`${op}: no fetch in this environment; pass options.fetch`);
    const bytes = await readCapped(await f(source), max, source, op);
    if (bytes.byteLength > max) throw new ValueError(`${op}: ${source} has more than ${max} bytes; refused`);
    return { bytes, name: source };
  }
  const m = nodeModules(op);
  const path = m.path.resolve(source);
  if (!m.fs.existsSync(path)) throw new ValueError(`${op}: ${path} does not exist`);
  const st = m.fs.statSync(path);
  if (!st.isFile()) throw new ValueError(`${op}: ${path} is not a file (a .keras or .h5 model file is one file)`);
  if (st.size > max) throw new ValueError(`${op}: ${path} has ${st.size} bytes (at most ${max}); refused`);
  return { bytes: m.fs.readFileSync(path), name: path };
}
