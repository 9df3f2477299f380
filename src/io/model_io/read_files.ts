/**
 * model.json and its shards from a folder (Node): the ModelSource of reader.ts for a path.
 * Shard sizes come from the file system, so a wrong size is refused before any shard is read.
 */
import { ValueError } from '../../core/errors.js';
import type { ModelArtifacts } from './artifacts.js';
import { MODEL_JSON, nodeModules, type NodeModules } from './files.js';
import { readArtifacts, type ModelSource } from './reader.js';

/** The model.json to read for `path`: the file itself, `<dir>/model.json`, or the `<dir>.previous` a killed save left. */
function locate(m: NodeModules, path: string): string {
  const p = m.path.resolve(path);
  if (m.fs.existsSync(p)) return m.fs.statSync(p).isDirectory() ? m.path.join(p, MODEL_JSON) : p;
  const prev = m.path.join(`${p}.previous`, MODEL_JSON);
  if (m.fs.existsSync(prev)) return prev;
  throw new ValueError(`loadModel: ${p} does not exist`);
}

function fileSource(m: NodeModules, file: string): ModelSource {
  const dir = m.path.dirname(file);
  const shard = (p: string): string => m.path.join(dir, p);
  return {
    name: file,
    readJson: async (max) => {
      const size = m.fs.statSync(file).size;
      if (size > max) throw new ValueError(`loadModel: ${file} has ${size} bytes; a model.json above ${max} is refused`);
      return m.fs.readFileSync(file);
    },
    shardName: shard,
    size: async (p) => {
      if (!m.fs.existsSync(shard(p))) throw new ValueError(`loadModel: ${shard(p)} (named in ${file}) does not exist`);
      return m.fs.statSync(shard(p)).size;
    },
    read: async (p, max) => {
      const fd = m.fs.openSync(shard(p), 'r');
      try {
        // One byte more than allowed tells a grown file from a whole one without reading all of it.
        const buf = new Uint8Array(Math.min(m.fs.fstatSync(fd).size, max + 1));
        let n = 0;
        for (let r = 1; r > 0 && n < buf.length; n += r) r = m.fs.readSync(fd, buf, n, buf.length - n, n);
        return buf.subarray(0, n);
      } finally {
        m.fs.closeSync(fd);
      }
    },
  };
}

export async function readModelJson(path: string): Promise<ModelArtifacts> {
  const m = nodeModules('loadModel');
  return readArtifacts(fileSource(m, locate(m, path)));
}
