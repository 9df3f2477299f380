/**
 * chromium.ts's choice of browser: the order of the candidates, the reasons collected when none
 * launches (with real failing binaries), the skip-or-fail rule, and the npm registry's Chromium
 * decompressing to a binary that runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LAUNCH_TRIES, SYSTEM_CHROMIUMS, candidates, launchFirst, noBrowser, npmChromium, type Candidate } from './chromium.js';

const fixed = (label: string, path: string): Candidate => ({ label, executable: () => Promise.resolve(path) });

describe('chromium.ts: which browser the browser tests launch', () => {
  it('HEBB_CHROMIUM, when set, is the only candidate; otherwise npm first, then the system browsers', () => {
    assert.deepEqual(
      candidates({ HEBB_CHROMIUM: '/opt/x/chrome' }).map((c) => c.label),
      ['HEBB_CHROMIUM=/opt/x/chrome'],
    );
    assert.deepEqual(
      candidates({}).map((c) => c.label),
      ['npm @sparticuz/chromium', ...SYSTEM_CHROMIUMS],
    );
    if (process.platform === 'linux') assert.equal(SYSTEM_CHROMIUMS[0], '/usr/bin/chromium');
  });

  it('collects one reason per candidate that is missing or does not launch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-chromium-test-'));
    try {
      const notABrowser = join(dir, 'not-a-browser');
      writeFileSync(notABrowser, '#!/bin/sh\necho "not chromium" >&2\nexit 3\n', { mode: 0o755 });
      const outcome = await launchFirst([
        { label: 'gone', executable: () => Promise.reject(new Error('not found')) },
        fixed('script', notABrowser),
      ]);
      assert.ok('reasons' in outcome, 'nothing should have launched');
      assert.equal(outcome.reasons.length, 2);
      assert.equal(outcome.reasons[0], 'gone: not found');
      assert.match(outcome.reasons[1] ?? '', /^script: launch failed: .*stderr: not chromium, exitCode=3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`a browser killed by a signal as it starts is launched again, ${LAUNCH_TRIES} times in all; an exit status is final`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-chromium-test-'));
    try {
      // A "browser" that counts its launches, then dies of SIGSEGV (as the npm Chromium once did).
      const count = join(dir, 'launches');
      const crashing = join(dir, 'crashing');
      writeFileSync(crashing, `#!/bin/sh\necho x >> '${count}'\nkill -SEGV $$\n`, { mode: 0o755 });
      const outcome = await launchFirst([fixed('crashing', crashing)]);
      assert.ok('reasons' in outcome, 'nothing should have launched');
      assert.match(outcome.reasons[0] ?? '', new RegExp(`^crashing: launch failed \\(${LAUNCH_TRIES} launches\\): .*signal=SIGSEGV`));
      assert.equal(readFileSync(count, 'utf8').split('\n').filter(Boolean).length, LAUNCH_TRIES);
      // An exit status is not retried.
      const exiting = join(dir, 'exiting');
      const count2 = join(dir, 'exits');
      writeFileSync(exiting, `#!/bin/sh\necho x >> '${count2}'\nexit 3\n`, { mode: 0o755 });
      await launchFirst([fixed('exiting', exiting)]);
      assert.equal(readFileSync(count2, 'utf8').split('\n').filter(Boolean).length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no browser: a skip message with the reasons, a failure under HEBB_REQUIRE_BROWSER=1 or an explicit HEBB_CHROMIUM', () => {
    const reasons = ['/usr/bin/chromium: not found', 'npm @sparticuz/chromium: not installed', '/usr/bin/google-chrome: not found'];
    const message = noBrowser(reasons, {});
    assert.match(message, /\(npm @sparticuz\/chromium: not installed; not found: \/usr\/bin\/chromium, \/usr\/bin\/google-chrome\)/);
    assert.match(message, /HEBB_CHROMIUM/);
    assert.throws(() => noBrowser(reasons, { HEBB_REQUIRE_BROWSER: '1' }), /HEBB_REQUIRE_BROWSER=1: no Chromium could be launched.*not found: \/usr\/bin\/chromium/);
    assert.throws(() => noBrowser(['HEBB_CHROMIUM=/x: not found'], { HEBB_CHROMIUM: '/x' }), /not found: HEBB_CHROMIUM=\/x\)/);
    assert.equal(noBrowser(reasons, { HEBB_REQUIRE_BROWSER: '0' }), message);
  });

  it('the npm registry Chromium decompresses to an executable that reports its version', async (t) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      t.skip(`@sparticuz/chromium ships a Linux x64 binary; this is ${process.platform} ${process.arch}`);
      return;
    }
    const path = await npmChromium().executable();
    accessSync(path, constants.X_OK);
    // A second call finds the decompressed binary instead of inflating it again.
    assert.equal(await npmChromium().executable(), path);
    const head = Buffer.alloc(4);
    const fd = openSync(path, 'r');
    readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    assert.deepEqual([...head], [0x7f, 0x45, 0x4c, 0x46], 'an ELF binary');
    const run = spawnSync(path, ['--version'], { encoding: 'utf8' });
    // A system without Chromium's few shared libraries (libnss3, ...) cannot run it: then the
    // browser tests skip too, with the loader's message.
    const missing = /error while loading shared libraries: \S+/.exec(run.stderr)?.[0];
    if (missing) {
      t.skip(missing);
      return;
    }
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Chromium \d+\./);
  });
});
