import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallbackList, lazyLogs, type Callback } from './callback.js';
import { History } from './history.js';
import { ProgbarLogger, formatDuration, formatPerStep, formatValue, progressLine } from './progbar.js';

class Capture {
  out = '';
  constructor(readonly isTTY: boolean) {}
  write(s: string): boolean {
    this.out += s;
    return true;
  }
}

describe('progress formatting', () => {
  it('formats values, times and the bar like Keras', () => {
    assert.equal(formatValue(0.35712), '0.3571');
    assert.equal(formatValue(0.00012345), '1.2345e-4');
    assert.equal(formatPerStep(0.0012), '1ms/step');
    assert.equal(formatPerStep(0.00025), '250us/step');
    assert.equal(formatDuration(62), '1:02');
    const line = progressLine(1719, 1719, 2.2, { loss: 0.35712, accuracy: 0.87541, val_loss: 0.38, val_accuracy: 0.8636 }, true, false);
    assert.equal(line, '1719/1719 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - accuracy: 0.8754 - loss: 0.3571 - val_accuracy: 0.8636 - val_loss: 0.3800');
  });
  it('right-aligns the step count and shows an ETA mid-epoch', () => {
    const line = progressLine(5, 100, 1, { loss: 1 }, false, false);
    assert.match(line, /^ {2}5\/100 ━{20} 19s 200ms\/step - loss: 1\.0000$/);
  });
});

describe('ProgbarLogger', () => {
  it('writes one line per epoch when the stream is not a terminal, never reading batch logs', async () => {
    const s = new Capture(false);
    const p = new ProgbarLogger({ stream: s, now: () => 0 });
    p.setParams({ epochs: 2, steps: 3, verbose: 1 });
    let reads = 0;
    const lazy = lazyLogs(async () => {
      reads++;
      return { loss: 1 };
    });
    for (let e = 0; e < 2; e++) {
      p.onEpochBegin(e);
      for (let b = 0; b < 3; b++) await p.onTrainBatchEnd(b, lazy);
      p.onEpochEnd(e, { loss: 0.5 });
    }
    assert.equal(reads, 0);
    assert.equal(s.out, 'Epoch 1/2\n3/3 ━━━━━━━━━━━━━━━━━━━━ 0s 0us/step - loss: 0.5000\nEpoch 2/2\n3/3 ━━━━━━━━━━━━━━━━━━━━ 0s 0us/step - loss: 0.5000\n');
  });
  it('on a terminal redraws in place at most once per interval, reading logs only then', async () => {
    const s = new Capture(true);
    let t = 0;
    const p = new ProgbarLogger({ stream: s, now: () => t, intervalMs: 100 });
    p.setParams({ epochs: 1, steps: 50, verbose: 1 });
    p.onEpochBegin(0);
    let reads = 0;
    for (let b = 0; b < 50; b++) {
      t += 10; // 10 ms per batch: 500 ms in all, so about 5 redraws
      await p.onTrainBatchEnd(b, lazyLogs(async () => ({ loss: ++reads })));
    }
    p.onEpochEnd(0, { loss: 0.25 });
    assert.equal(reads, 5);
    assert.equal(s.out.split('\r').length - 1, 6); // 5 redraws + the final line
    assert.ok(s.out.endsWith('\x1b[K\n'));
  });
});

describe('History and CallbackList', () => {
  it('History collects epoch logs by key', async () => {
    const h = new History();
    const list = new CallbackList([h]);
    await list.call('onEpochEnd', 0, { loss: 2, val_loss: 3 });
    await list.call('onEpochEnd', 1, { loss: 1, val_loss: 2.5 });
    assert.deepEqual(h.history, { loss: [2, 1], val_loss: [3, 2.5] });
    assert.deepEqual(h.epoch, [0, 1]);
  });
  it('awaits async hooks in order', async () => {
    const order: string[] = [];
    const a: Callback = { onEpochBegin: async () => { await new Promise((r) => setTimeout(r, 5)); order.push('a'); } };
    const b: Callback = { onEpochBegin: () => { order.push('b'); } };
    const list = new CallbackList([a, b]);
    assert.ok(list.has('onEpochBegin'));
    assert.ok(!list.has('onTrainEnd'));
    await list.call('onEpochBegin', 0);
    assert.deepEqual(order, ['a', 'b']);
  });
});
