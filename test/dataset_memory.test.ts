/**
 * Data bigger than memory: fit streams ~2 GiB of float32 samples from a generator through a
 * prefetching dataset, and the process's resident memory stays flat: after the first steps
 * (pools and code warm) the peak RSS grows by far less than one tenth of the data. The fit runs
 * in a child process so that the RSS is its own (testing/dataset_memory_child.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('../testing/dataset_memory_child.js', import.meta.url));

describe('fit on a dataset larger than memory would hold as one array', () => {
  it('2 GiB of generated samples, two full passes: peak RSS growth stays under 160 MiB', () => {
    const out = execFileSync(process.execPath, [child, '2'], { encoding: 'utf8', timeout: 120_000 });
    const r = JSON.parse(out) as { rss: number[]; generated: number; batches: number; seconds: number; loss: number[] };
    assert.ok(r.generated >= 2 * 2 ** 30, `generated ${r.generated} bytes`);
    assert.equal(r.rss.length, 2 * r.batches); // every batch of both epochs trained
    const base = r.rss[4] as number; // after a few steps: the backend pool holds a batch's buffers
    const peak = Math.max(...r.rss.slice(4));
    const growthMiB = (peak - base) / 2 ** 20;
    assert.ok(growthMiB < 160, `RSS grew by ${growthMiB.toFixed(1)} MiB over ${r.generated / 2 ** 30} GiB streamed`);
    assert.ok((r.loss[1] as number) < (r.loss[0] as number), `the model trained: loss ${r.loss.join(' -> ')}`);
  });
});
