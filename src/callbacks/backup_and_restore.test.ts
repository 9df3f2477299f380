/**
 * The crash test: a REAL child process (testing/backup_child.ts) trains with backupAndRestore
 * and is SIGKILLed; the same command started again must end with the bytes of an uninterrupted
 * run (another child): weights, History, early stopping's verdict. The reference run is a
 * separate process, so nothing of this process's state can make the runs agree.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'testing', 'backup_child.js');
/** The child's data: 240 samples in batches of 16. */
const STEPS = 15;

interface Run {
  out: string;
  killed: boolean;
}

/** Runs the child; with `killWhen`, SIGKILLs it as soon as its output contains that line. */
function child(args: readonly string[], killWhen?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killWhen !== undefined && out.includes(`${killWhen}\n`)) p.kill('SIGKILL');
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && killWhen !== undefined) resolve({ out, killed: true });
      else if (code === 0) resolve({ out, killed: false });
      else reject(new Error(`backup_child ${args.join(' ')} failed (${code ?? signal}): ${err}`));
    });
  });
}

/** The first `begin <epoch> <batch>` line: where the process started training. */
function begin(out: string): [number, number] {
  const m = /^begin (\d+) (\d+)$/m.exec(out);
  assert.ok(m, `no begin line in ${out}`);
  return [Number(m[1]), Number(m[2])];
}

const results = (prefix: string): { bin: Buffer; json: { epoch: number[]; stoppedEpoch: number; history: Record<string, number[]> } } => ({
  bin: readFileSync(`${prefix}.bin`),
  json: JSON.parse(readFileSync(`${prefix}.json`, 'utf8')),
});

/** Kills a run as `kill` says, starts it again, and returns the second run with its results. */
async function crashAndResume(root: string, name: string, saveFreq: string, pause: string | null, killWhen: string): Promise<{ first: Run; second: Run; dir: string; prefix: string }> {
  const dir = join(root, `${name}-backup`);
  const prefix = join(root, name);
  const first = await child([dir, saveFreq, prefix, ...(pause ? [pause] : [])], killWhen);
  assert.ok(first.killed, `${name}: the first run ended before the kill`);
  assert.ok(existsSync(join(dir, 'latest', 'model.json')) || existsSync(join(dir, 'latest.previous', 'model.json')), `${name}: a backup exists after the kill`);
  const second = await child([dir, saveFreq, prefix]);
  return { first, second, dir, prefix };
}

describe('backupAndRestore: a SIGKILLed training process, started again, ends as an uninterrupted one', () => {
  it('killed after epoch backups, mid-epoch with a numeric saveFreq, and at an unplanned moment', { timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'hebb-backup-'));
    const [ref, atEpoch, midEpoch, anywhere] = await Promise.all([
      child([join(root, 'ref-backup'), 'epoch', join(root, 'ref')]),
      // Paused at the start of epoch 11: the backups of epochs 0..10 have been written; early
      // stopping's best (epoch 9), its weights and a wait of 1 must survive, or the run stops
      // elsewhere with other weights.
      crashAndResume(root, 'epoch', 'epoch', 'e11', 'pause'),
      // Paused after the 126th batch (epoch 8, batch 5): the last backup (every 4 batches) was
      // after the 124th, before the best epoch, so the weights depend on everything restored.
      crashAndResume(root, 'batch', '4', 'b126', 'pause'),
      // No pause: killed as soon as the parent reads "epoch 5", wherever the child is then (a
      // batch, a backup being written, ...).
      crashAndResume(root, 'free', '3', null, 'epoch 5'),
    ]);
    assert.equal(ref.killed, false);
    const want = results(join(root, 'ref'));
    // The run under test must exercise early stopping: it stops after the kill points, with a
    // patience count that was running when the process died.
    assert.equal(want.json.stoppedEpoch, 12, 'the reference run stops early at epoch 12 (patience 3 after the best, epoch 9)');
    assert.deepEqual(want.json.epoch, [...Array(13).keys()]);

    assert.deepEqual(begin(atEpoch.second.out), [11, 0], 'resumed at epoch 11');
    assert.deepEqual(begin(midEpoch.second.out), [Math.floor(124 / STEPS), 124 % STEPS], 'resumed at the batch after the 124th');
    const [freeEpoch] = begin(anywhere.second.out);
    assert.ok(freeEpoch >= 5, `the unplanned kill resumed at epoch ${freeEpoch}, after the epochs already reported`);

    for (const r of [atEpoch, midEpoch, anywhere]) {
      const got = results(r.prefix);
      assert.ok(got.bin.equals(want.bin), `${r.prefix}: the final weights are bit-identical to the uninterrupted run's`);
      // History of the whole run, the resumed epoch's running loss and accuracy included, exactly.
      assert.deepEqual(got.json, want.json, `${r.prefix}: History and early stopping as in the uninterrupted run`);
      assert.equal(existsSync(r.dir), false, `${r.prefix}: the backup is deleted when fit completes`);
    }
  });
});
