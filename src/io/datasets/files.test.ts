/**
 * Where files come from, and the download path, against a local HTTP server on 127.0.0.1
 * (the machine has no network). The expected sha256 is computed here with node:crypto from
 * the served bytes, independently of the code under test.
 */
import { afterEach, before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError, downloadFile, loadIris, resolveFile, searchDirs, type DatasetSource } from './index.js';

const payload = Buffer.from('hebb download test\n'.repeat(5000));
const payloadSha = createHash('sha256').update(payload).digest('hex');

let server: Server;
let base = '';
let hits = 0;

before(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/data/file.bin') {
      res.writeHead(200, { 'content-length': String(payload.length) });
      res.end(payload);
    } else if (req.url === '/data/cut.bin') {
      // Promise the whole payload, send half, then drop the connection.
      res.writeHead(200, { 'content-length': String(payload.length) });
      res.write(payload.subarray(0, payload.length >> 1), () => res.destroy());
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  assert.ok(addr !== null && typeof addr === 'object');
  base = `http://127.0.0.1:${addr.port}/data/`;
});

after(() => {
  server.close();
});

const tmps: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'hebb-ds-'));
  tmps.push(d);
  return d;
}
afterEach(() => {
  for (const d of tmps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('downloadFile', () => {
  it('downloads, checks the sha256 and leaves only the final file', async () => {
    const d = tmp();
    const dest = join(d, 'sub', 'file.bin');
    await downloadFile(base + 'file.bin', dest, { sha256: payloadSha });
    assert.ok(readFileSync(dest).equals(payload));
    assert.deepEqual(readdirSync(join(d, 'sub')), ['file.bin']);
  });

  it('keeps nothing when the sha256 differs', async () => {
    const d = tmp();
    const dest = join(d, 'file.bin');
    await assert.rejects(downloadFile(base + 'file.bin', dest, { sha256: '0'.repeat(64) }), (e: unknown) => {
      assert.ok(e instanceof DatasetError);
      assert.match(e.message, new RegExp(`sha256 of .*file\\.bin is ${payloadSha}, expected 0{64}; the file was not kept`));
      return true;
    });
    assert.deepEqual(readdirSync(d), []);
  });

  it('keeps nothing on HTTP errors or an interrupted transfer, and an existing file is untouched', async () => {
    const d = tmp();
    await assert.rejects(downloadFile(base + 'missing.bin', join(d, 'missing.bin')), /answered HTTP 404/);
    const dest = join(d, 'cut.bin');
    writeFileSync(dest, 'old');
    await assert.rejects(downloadFile(base + 'cut.bin', dest, { sha256: payloadSha }), (e: unknown) => e instanceof DatasetError);
    assert.deepEqual(readdirSync(d), ['cut.bin']);
    assert.equal(readFileSync(dest, 'utf8'), 'old');
  });

  it('reports an unreachable server', async () => {
    const d = tmp();
    await assert.rejects(downloadFile('http://127.0.0.1:1/x', join(d, 'x')), /could not fetch http:\/\/127\.0\.0\.1:1\/x/);
    assert.deepEqual(readdirSync(d), []);
  });
});

describe('resolveFile', () => {
  // A folder name that exists nowhere, so only the test's own folders are involved.
  const source: DatasetSource = { folder: 'hebb-test-nowhere', baseUrl: '' };
  const file = { name: 'file.bin', sha256: payloadSha };

  it('searches dir, then $HEBB_DATASETS/<folder>, then ../shared/datasets, then the cache', () => {
    const saved = process.env['HEBB_DATASETS'];
    process.env['HEBB_DATASETS'] = '/env/root';
    try {
      const dirs = searchDirs(source, { dir: '/explicit', cacheDir: '/cache' });
      assert.equal(dirs[0], '/explicit');
      assert.equal(dirs[1], '/env/root/hebb-test-nowhere');
      assert.match(dirs[2] as string, /\/shared\/datasets\/hebb-test-nowhere$/);
      assert.equal(dirs[3], '/cache/hebb-test-nowhere');
    } finally {
      if (saved === undefined) delete process.env['HEBB_DATASETS'];
      else process.env['HEBB_DATASETS'] = saved;
    }
  });

  it('prefers an explicit dir over HEBB_DATASETS', async () => {
    const a = tmp();
    const b = tmp();
    writeFileSync(join(a, 'file.bin'), 'a');
    mkdirSync(join(b, source.folder));
    writeFileSync(join(b, source.folder, 'file.bin'), 'b');
    const saved = process.env['HEBB_DATASETS'];
    process.env['HEBB_DATASETS'] = b;
    try {
      assert.equal(await resolveFile(source, file, { dir: a, download: false }), join(a, 'file.bin'));
      assert.equal(await resolveFile(source, file, { download: false }), join(b, source.folder, 'file.bin'));
    } finally {
      if (saved === undefined) delete process.env['HEBB_DATASETS'];
      else process.env['HEBB_DATASETS'] = saved;
    }
  });

  it('downloads a missing file into the cache once, then finds it there', async () => {
    const cache = tmp();
    const before = hits;
    const p = await resolveFile(source, file, { cacheDir: cache, baseUrl: base });
    assert.equal(p, join(cache, source.folder, 'file.bin'));
    assert.ok(readFileSync(p).equals(payload));
    assert.equal(await resolveFile(source, file, { cacheDir: cache, baseUrl: base }), p);
    assert.equal(hits - before, 1);
  });

  it('explains a missing file when download is off or there is no URL', async () => {
    const cache = tmp();
    await assert.rejects(resolveFile(source, file, { cacheDir: cache, download: false }), /file\.bin not found \(download: false\)/);
    await assert.rejects(resolveFile(source, file, { cacheDir: cache }), /no canonical download URL; pass \{dir\} or the \{baseUrl\} of a mirror/);
    assert.equal(existsSync(join(cache, source.folder)), false);
  });

  it('a loader validates what it reads: a corrupted iris.csv in dir is a clear error', async () => {
    const d = tmp();
    writeFileSync(join(d, 'iris.csv'), 'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,target\n5.1,3.5,,0.2,0\n');
    await assert.rejects(loadIris({ dir: d }), /iris\.csv: line 2, column petal_length_cm: "" is not a finite number/);
  });
});
