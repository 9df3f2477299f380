import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hb from '../../index.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'testing', 'save_child.js');

/** Runs the saving child until `saved` saves completed, waits `delayMs` more, then SIGKILLs it; returns its output. */
function killDuringSaves(dir: string, saved: number, delayMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && out.includes(`saved ${saved}\n`)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`save_child ended without being killed: ${err}`))));
  });
}

describe('atomic saves', () => {
  it('a process SIGKILLed while it saves leaves the previous save loadable (several kill points)', { timeout: 240_000 }, async () => {
    const parent = mkdtempSync(join(tmpdir(), 'hebb-atomic-'));
    const dir = join(parent, 'model');
    let midSave = 0;
    // Kill points spread over a save (they differ from run to run; each round checks the invariant).
    for (const [round, delay] of [0, 30, 80, 160].entries()) {
      const out = await killDuringSaves(dir, 1, delay);
      const lines = out.trim().split('\n');
      const last = lines[lines.length - 1] ?? '';
      const lastSaved = Math.max(...lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6))));
      if (last.startsWith('start ')) midSave++;
      const m = await hb.loadModel(dir);
      // The save is whole: every weight holds the same k, a save that completed (or the one being
      // written, if the kill came after its final rename and before it printed "saved").
      const values = new Set<number>();
      for (const w of m.weights) for (const v of await w.data()) values.add(v);
      assert.equal(values.size, 1, `round ${round}: one value in all weights, found ${[...values].slice(0, 5).join(', ')}`);
      const k = [...values][0] as number;
      assert.ok(k === lastSaved || k === lastSaved + 1, `round ${round}: loaded save ${k}, last completed ${lastSaved}`);
      m.dispose();
    }
    assert.ok(midSave >= 1, 'at least one kill landed during a save');
    // The leftovers of killed saves (\`model.tmp-*\`) are never loaded; the next save removes them.
    const m = await hb.loadModel(dir);
    await m.save(dir);
    assert.deepEqual(readdirSync(parent), ['model']);
    assert.equal(existsSync(`${dir}.previous`), false);
    m.dispose();
  });

  it('each crash state of the protocol loads the last complete save (stated by hand, without timing)', async () => {
    hb.layers.resetLayerNames();
    const parent = mkdtempSync(join(tmpdir(), 'hebb-atomic-'));
    const dir = join(parent, 'model');
    const m = hb.sequential([hb.input({ shape: [2] }), hb.layers.dense({ units: 1, kernelInitializer: 'ones' })]);
    await m.save(dir);
    // Killed while writing the new folder: a partial `.tmp-` sibling beside the intact save.
    mkdirSync(`${dir}.tmp-1-dead`);
    writeFileSync(join(`${dir}.tmp-1-dead`, 'group1-shard1of1.bin'), 'xx');
    assert.deepEqual(Array.from(await ((await hb.loadModel(dir)).weights[0] as hb.Variable).data()), [1, 1]);
    // Killed between the two renames: only `<dir>.previous` is there.
    renameSync(dir, `${dir}.previous`);
    const back = await hb.loadModel(dir);
    assert.deepEqual(Array.from(await (back.weights[0] as hb.Variable).data()), [1, 1]);
    // The next save completes the protocol and clears both leftovers.
    await back.save(dir);
    assert.deepEqual(readdirSync(parent), ['model']);
    // A folder that is not a save is never replaced.
    const notASave = join(parent, 'photos');
    mkdirSync(notASave);
    await assert.rejects(m.save(notASave), /photos exists and is not a saved model \(no model\.json in it\); refusing to replace it/);
    m.dispose();
    back.dispose();
  });
});
