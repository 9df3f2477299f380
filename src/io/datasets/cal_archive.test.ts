/**
 * The California housing archive path: scikit-learn's raw cal_housing.tgz form, built here
 * with the system's GNU tar from the shared raw StatLib data (cal_housing.csv without its
 * header, CRLF line endings as in the original), must convert to exactly the values of the
 * shared scikit-learn-form CSV (made independently from the same raw data).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DatasetError, fromCalHousingArchive, loadCaliforniaHousing, resolveFile, searchDirs, tarMember, CALIFORNIA_SOURCE } from './index.js';

const rawCsv = searchDirs(CALIFORNIA_SOURCE).map((d) => join(d, 'cal_housing.csv'));
let hasTar = true;
try {
  execFileSync('tar', ['--version'], { stdio: 'ignore' });
} catch {
  hasTar = false;
}

let work = '';
let tgz: Buffer = Buffer.alloc(0);

before(() => {
  if (!hasTar) return;
  work = mkdtempSync(join(tmpdir(), 'hebb-cal-'));
  const src = rawCsv.map((p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  }).find((t) => t !== null);
  assert.ok(src, `cal_housing.csv not found in ${rawCsv.join(', ')}`);
  const body = src.split('\n').slice(1).filter((l) => l !== '').join('\r\n') + '\r\n';
  mkdirSync(join(work, 'src', 'CaliforniaHousing'), { recursive: true });
  writeFileSync(join(work, 'src', 'CaliforniaHousing', 'cal_housing.data'), body);
  writeFileSync(join(work, 'src', 'CaliforniaHousing', 'cal_housing.domain'), 'longitude: continuous.\n');
  mkdirSync(join(work, 'dir'));
  execFileSync('tar', ['czf', join(work, 'dir', 'cal_housing.tgz'), '-C', join(work, 'src'), 'CaliforniaHousing']);
  tgz = readFileSync(join(work, 'dir', 'cal_housing.tgz'));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('California housing from scikit-learn\'s raw archive', { skip: hasTar ? false : 'no tar on this system' }, () => {
  it('converts to exactly the shared scikit-learn-form CSV', async () => {
    const fromCsv = await loadCaliforniaHousing();
    const fromTgz = await loadCaliforniaHousing({ dir: join(work, 'dir') });
    assert.deepEqual(fromTgz.data.shape, [20640, 8]);
    assert.ok(Buffer.from(fromTgz.data.data.buffer).equals(Buffer.from(fromCsv.data.data.buffer)), 'features differ');
    assert.ok(Buffer.from(fromTgz.target.data.buffer).equals(Buffer.from(fromCsv.target.data.buffer)), 'targets differ');
  });

  it('downloads the archive from its full URL (figshare-style id, not base + name)', async () => {
    const server: Server = createServer((req, res) => {
      if (req.url === '/files/5976036') res.end(tgz);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const addr = server.address();
      assert.ok(addr !== null && typeof addr === 'object');
      const cache = join(work, 'cache');
      const file = { name: 'cal_housing.tgz', sha256: createHash('sha256').update(tgz).digest('hex'), url: `http://127.0.0.1:${addr.port}/files/5976036` };
      const p = await resolveFile({ folder: 'hebb-test-cal', baseUrl: '' }, file, { cacheDir: cache });
      assert.equal(p, join(cache, 'hebb-test-cal', 'cal_housing.tgz'));
      const d = fromCalHousingArchive(readFileSync(p), p);
      assert.deepEqual([...d.data.data.subarray(0, 8)], [8.3252, 41.0, 6.984126984126984, 1.0238095238095237, 322.0, 2.5555555555555554, 37.88, -122.23]);
      assert.equal(d.target.data[0], 4.526);
    } finally {
      server.close();
    }
  });

  it('names a missing member and a truncated archive', () => {
    const tar = gunzipSync(tgz);
    assert.throws(() => tarMember(tar, 'CaliforniaHousing/nope.data', 'a.tgz'), /a\.tgz: member CaliforniaHousing\/nope\.data not found \(entries: CaliforniaHousing\/.*cal_housing\.data/);
    assert.throws(() => tarMember(tar.subarray(0, 5000), 'CaliforniaHousing/cal_housing.data', 'cut.tgz'), (e: unknown) => e instanceof DatasetError && /runs past the end/.test(e.message));
    assert.throws(() => fromCalHousingArchive(gzipSync(Buffer.from('x'.repeat(600))), 'junk.tgz'), /junk\.tgz: corrupt tar header/);
  });
});
