/**
 * The two file handlers of a page, as TensorFlow.js's browserDownloads and browserFiles:
 *
 * - `downloads://name` (or `browserDownloads('name')`) saves by triggering the browser's
 *   downloads of `name.json` and `name.weights.bin` (tfjs's names; its model.json names the
 *   weights `./name.weights.bin`), plus `name.optimizer.bin` when the model has optimizer state;
 * - `browserFiles([jsonFile, ...binFiles])` loads the File objects of an `<input type=file
 *   multiple>` (or a drop): model.json first, its shards matched by file name. Everything goes
 *   through reader.ts, file sizes compared with the manifest before any shard is read.
 */
import { ValueError, fmtReceived } from '../../core/errors.js';
import type { IOHandler } from './artifacts.js';
import { modelJson } from './browser_source.js';
import { readArtifacts, type ModelSource } from './reader.js';

export const DOWNLOADS_SCHEME = 'downloads://';

/** The three names a download of `prefix` uses. */
export function downloadNames(prefix: string): { json: string; weights: string; optimizer: string } {
  return { json: `${prefix}.json`, weights: `${prefix}.weights.bin`, optimizer: `${prefix}.optimizer.bin` };
}

/** One download, through a detached anchor as tfjs does; each on its own task (Firefox keeps only the last of several started at once). */
async function download(name: string, blob: Blob): Promise<void> {
  const url = URL.createObjectURL(blob);
  await new Promise((resolve) => setTimeout(resolve, 0));
  const a = document.createElement('a');
  a.download = name;
  a.href = url;
  a.dispatchEvent(new MouseEvent('click'));
  // The download reads the blob after the click returns; freeing it at once can cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** tfjs's `tf.io.browserDownloads(prefix)`: saving triggers the downloads. */
export function browserDownloads(fileNamePrefix = 'model'): IOHandler {
  if (typeof fileNamePrefix !== 'string') throw new ValueError(`browserDownloads: the file name prefix must be a string, received ${fmtReceived(fileNamePrefix)}`);
  const prefix = fileNamePrefix.startsWith(DOWNLOADS_SCHEME) ? fileNamePrefix.slice(DOWNLOADS_SCHEME.length) || 'model' : fileNamePrefix || 'model';
  if (/[/\\]/.test(prefix)) throw new ValueError(`browserDownloads: the file name prefix ${JSON.stringify(prefix)} must be a plain name (a browser chooses the folder)`);
  const names = downloadNames(prefix);
  return {
    save: async (a) => {
      if (typeof document === 'undefined') throw new ValueError(`save: ${DOWNLOADS_SCHEME}${prefix} needs a page (document), which this environment lacks`);
      const json = await modelJson(a, names.weights, names.optimizer, './');
      // Blobs first, downloads after: a failure here starts none of them.
      const files: [string, Blob][] = [
        [names.json, new Blob([JSON.stringify(json)], { type: 'application/json' })],
        [names.weights, new Blob([a.weightData.slice()], { type: 'application/octet-stream' })],
      ];
      if (a.optimizerSpecs.length > 0) files.push([names.optimizer, new Blob([a.optimizerData.slice()], { type: 'application/octet-stream' })]);
      for (const [name, blob] of files) await download(name, blob);
    },
  };
}

function isBlob(v: unknown): v is File {
  return typeof Blob !== 'undefined' && v instanceof Blob && typeof (v as Partial<File>).name === 'string';
}

/** tfjs's `tf.io.browserFiles(files)`: `files[0]` is model.json, the others its weight files. */
export function browserFiles(files: readonly File[]): IOHandler {
  if (!Array.isArray(files) || files.length === 0 || !files.every(isBlob)) {
    throw new ValueError(`browserFiles: expected a list of File objects, model.json first and then its .bin files, received ${fmtReceived(files)}`);
  }
  const [json, ...bins] = files as [File, ...File[]];
  if (!json.name.toLowerCase().endsWith('.json')) throw new ValueError(`browserFiles: the first file must be the model's JSON file (model.json), received "${json.name}"`);
  const byName = new Map<string, File>();
  for (const f of bins) {
    if (byName.has(f.name)) throw new ValueError(`browserFiles: two files are named "${f.name}"`);
    byName.set(f.name, f);
  }
  const file = (p: string): File => {
    const f = byName.get(p);
    if (!f) throw new ValueError(`loadModel: ${json.name} names the weights file "${p}", which is not among the selected files (${[...byName.keys()].join(', ') || 'none'}): select it too`);
    return f;
  };
  return {
    load: async () => {
      const used = new Set<string>();
      const source: ModelSource = {
        name: json.name,
        readJson: async (max) => {
          if (json.size > max) throw new ValueError(`loadModel: ${json.name} has ${json.size} bytes; a model.json above ${max} is refused`);
          return new Uint8Array(await json.arrayBuffer());
        },
        shardName: (p) => p,
        size: async (p) => (used.add(p), file(p).size),
        read: async (p, max) => new Uint8Array(await file(p).slice(0, max + 1).arrayBuffer()),
      };
      const artifacts = await readArtifacts(source);
      const extra = [...byName.keys()].filter((n) => !used.has(n));
      if (extra.length > 0) throw new ValueError(`loadModel: ${json.name} does not name the selected file(s) ${extra.join(', ')} (files of another model?)`);
      return artifacts;
    },
  };
}
