import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../core/errors.js';
import { downloadFile, findLocal, loadCaliforniaHousing, loadFashionMnist, loadIris, loadMnist, resolveFile, searchDirs, type DatasetSource } from './index.js';

const loose = <T>(v: unknown): T => v as T;

async function rejectsExact(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof ValueError && e.message === message);
}

describe('dataset loader options', () => {
  it('every loader rejects an unknown option before touching a file or the network', async () => {
    const loaders = { loadIris, loadMnist, loadFashionMnist, loadCaliforniaHousing };
    for (const [name, load] of Object.entries(loaders)) {
      await rejectsExact(load(loose({ cache_dir: '/nonexistent' })), `${name}: unknown option "cache_dir"; did you mean "cacheDir"?`);
    }
    await rejectsExact(loadIris(loose({ downlaod: false })), 'loadIris: unknown option "downlaod"; did you mean "download"?');
    await rejectsExact(loadMnist(loose({ url: 'x' })), 'loadMnist: unknown option "url"; valid options: dir, cacheDir, download, baseUrl');
  });
  it('so do the file helpers', async () => {
    const source: DatasetSource = { folder: 'none', baseUrl: 'http://127.0.0.1:9/' };
    assert.throws(() => searchDirs(source, loose({ folder: 'x' })), (e: unknown) => e instanceof ValueError && e.message.startsWith('searchDirs: unknown option "folder"'));
    assert.throws(() => findLocal(source, [], loose({ dirs: 'x' })), (e: unknown) => e instanceof ValueError && e.message === 'findLocal: unknown option "dirs"; did you mean "dir"?');
    await rejectsExact(resolveFile(source, { name: 'f', sha256: '' }, loose({ base_url: 'x' })), 'resolveFile: unknown option "base_url"; did you mean "baseUrl"?');
    await rejectsExact(downloadFile('http://127.0.0.1:9/f', '/nonexistent/f', loose({ sha: 'x' })), 'downloadFile: unknown option "sha"; valid options: sha256');
  });
});
