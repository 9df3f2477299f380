/**
 * Loading over HTTP (`loadModel('https://host/model/model.json')`, or `httpHandler(url)`), as
 * tfjs's browserHTTPRequest does: in a page and in Node (global fetch). Shards are fetched
 * beside model.json; every body is read as a stream and dropped as soon as it exceeds what the
 * manifest allows, so a server cannot make the loader buffer more than the specs describe.
 */
import { ValueError } from '../../core/errors.js';
import type { IOHandler } from './artifacts.js';
import { readArtifacts, type ModelSource } from './reader.js';

export interface HttpOptions {
  /** [globalThis.fetch] a fetch to use (credentials, a test server). */
  fetch?: typeof fetch;
  /** Passed to every request (headers, credentials). */
  requestInit?: RequestInit;
}

export function isHttpUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** A response body, at most `max + 1` bytes of it (more tells the caller it is too long); also used by loadKerasModel. */
export async function readCapped(res: Response, max: number, name: string, op = 'loadModel'): Promise<Uint8Array> {
  if (!res.ok) throw new ValueError(`${op}: ${name}: HTTP ${res.status} ${res.statusText}`);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max + 1) return new Uint8Array(max + 1);
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer()).subarray(0, max + 1);
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.byteLength;
    if (n > max) {
      await reader.cancel();
      break;
    }
  }
  const out = new Uint8Array(Math.min(n, max + 1));
  let at = 0;
  for (const p of parts) {
    const take = Math.min(p.byteLength, out.length - at);
    out.set(p.subarray(0, take), at);
    at += take;
  }
  return out;
}

/** An IOHandler that loads model.json at `url` and the shards beside it. */
export function httpHandler(url: string, options: HttpOptions = {}): IOHandler {
  const f = options.fetch ?? globalThis.fetch;
  if (typeof f !== 'function') throw new ValueError('loadModel: no fetch in this environment; pass options.fetch');
  const get = (u: string): Promise<Response> => f(u, options.requestInit);
  const shardUrl = (p: string): string => new URL(p, url).toString();
  const source: ModelSource = {
    name: url,
    readJson: async (max) => {
      const b = await readCapped(await get(url), max, url);
      if (b.byteLength > max) throw new ValueError(`loadModel: ${url} has more than ${max} bytes; a model.json above ${max} is refused`);
      return b;
    },
    shardName: shardUrl,
    size: async () => null,
    read: async (p, max) => readCapped(await get(shardUrl(p)), max, shardUrl(p)),
  };
  return { load: () => readArtifacts(source) };
}
