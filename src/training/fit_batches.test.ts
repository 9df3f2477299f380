/**
 * What fit feeds each step: with shuffling, batch b of an epoch is the rows perm[b·bs, ...) of
 * that epoch's permutation (one `permutation(n)` per epoch from the global generator, as Keras
 * reshuffles per epoch), with x (every input), y and the sample weights aligned; and fit never
 * holds a second copy of the whole data set (it gathers batch by batch).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import type { Backend, BackendBuffer } from '../backends/backend.js';
import type { DType } from '../core/dtype.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { globalGenerator } from '../core/random.js';
import { sgd } from '../optimizers/sgd.js';
import { Compiled, type OutputInfo } from './compile.js';
import { fitLoop, type LoopModel } from './trainer.js';

/** out = a·wa + b·wb + c, two inputs; records the inputs of every training step. */
class TwoInput implements LoopModel {
  readonly name = 'two_input';
  stopTraining = false;
  readonly wa = hb.variable(hb.tensor([[0.5]]));
  readonly wb: Variable;
  readonly c = hb.variable(hb.tensor([0.25]));
  readonly seen: { a: number[][]; b: number[][] }[] = [];
  constructor(width: number, private readonly record = true) {
    this.wb = hb.variable(hb.tensor(Array.from({ length: width }, (_, i) => [0.1 * (i + 1)]), [width, 1]));
  }
  get trainableWeights(): Variable[] {
    return [this.wa, this.wb, this.c];
  }
  forward(inputs: readonly Tensor[], training: boolean): Tensor[] {
    const [a, b] = inputs as [Tensor, Tensor];
    if (training && this.record) this.seen.push({ a: a.arraySync() as number[][], b: b.arraySync() as number[][] });
    return [hb.add(hb.add(hb.matmul(a, this.wa), hb.matmul(b, this.wb)), this.c)];
  }
  regularizationLosses(): Tensor[] {
    return [];
  }
  inputNamesFor(): string[] {
    return ['a', 'b'];
  }
  outputInfo(): OutputInfo[] {
    return [{ name: 'y', shape: [null, 1] }];
  }
  getWeights(): Tensor[] {
    return this.trainableWeights.map((w) => hb.copy(w));
  }
  setWeights(ws: readonly Tensor[]): void {
    this.trainableWeights.forEach((w, i) => w.assign(ws[i] as Tensor));
  }
  dispose(): void {
    for (const w of this.trainableWeights) w.dispose();
  }
}

describe('fit batches', () => {
  it('shuffled: batch b is rows perm[b·bs..] of each epoch\'s permutation, inputs, y and sampleWeight aligned', async () => {
    const n = 10;
    const bs = 4; // batches of 4, 4, 2
    const a = Array.from({ length: n }, (_, i) => [i]);
    const b = Array.from({ length: n }, (_, i) => [100 + i, -i]);
    const y = Array.from({ length: n }, (_, i) => [(i * 7) % 5]);
    const sw = Array.from({ length: n }, (_, i) => 1 + (i % 3));
    const m = new TwoInput(2);
    const c = new Compiled({ optimizer: sgd({ learningRate: 0 }), loss: 'mse' }); // lr 0: fixed weights
    const means: number[] = [];
    hb.setSeed(11);
    await fitLoop(m, c, [a, b], y, {
      epochs: 2,
      batchSize: bs,
      sampleWeight: sw,
      verbose: 0,
      callbacks: [{ onTrainBatchEnd: async (_b, logs) => void means.push((await logs.read())['loss'] as number) }],
    });
    // The same generator state, drawn independently: one permutation per epoch, nothing else.
    hb.setSeed(11);
    const g = globalGenerator();
    const perms = [g.permutation(n), g.permutation(n)];
    const pred = (i: number): number => 0.5 * i + 0.1 * (100 + i) + 0.2 * -i + 0.25;
    assert.equal(m.seen.length, 6);
    perms.forEach((perm, e) => {
      let count = 0;
      for (let k = 0; k < 3; k++) {
        const rows = Array.from(perm.subarray(k * bs, Math.min(n, (k + 1) * bs)));
        const step = m.seen[3 * e + k];
        assert.deepEqual(step?.a, rows.map((i) => a[i]));
        assert.deepEqual(step?.b, rows.map((i) => b[i]));
        // The running mean of batch losses (weighted by batch size) gives this batch's loss,
        // sum(w·(pred − y)²)/size: y and sampleWeight must follow the same rows.
        const loss = rows.reduce((s, i) => s + (sw[i] as number) * (pred(i) - (y[i]?.[0] as number)) ** 2, 0) / rows.length;
        const prev = k === 0 ? 0 : (means[3 * e + k - 1] as number) * count;
        count += rows.length;
        const got = ((means[3 * e + k] as number) * count - prev) / rows.length;
        assert.ok(Math.abs(got - loss) < 1e-3 * Math.max(1, loss), `epoch ${e} batch ${k}: loss ${got}, expected ${loss}`);
      }
    });
    // shuffle: false keeps the stored order.
    m.seen.length = 0;
    await fitLoop(m, c, [a, b], y, { epochs: 1, batchSize: bs, shuffle: false, verbose: 0 });
    assert.deepEqual(m.seen.map((s) => s.a.map((r) => r[0])), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    c.dispose();
    m.dispose();
  });

  it('never holds a second copy of the data set: live backend bytes stay within data + a small bound', async () => {
    // 4,000 samples of 256 + 1 floats (~4 MB); a whole-epoch shuffled copy would add all of it.
    const n = 4000;
    const width = 255;
    const xa = hb.randomUniform([n, 1], { seed: 1 });
    const xb = hb.randomUniform([n, width], { seed: 2 });
    const y = hb.randomUniform([n, 1], { seed: 3 });
    const dataBytes = 4 * (xa.size + xb.size + y.size);
    const m = new TwoInput(width, false);
    const c = new Compiled({ optimizer: sgd({ learningRate: 0.001 }), loss: 'mse' });
    // Count the bytes of every buffer allocated while fit runs, at the backend (any backend).
    const be = hb.getBackend() as Backend<BackendBuffer>;
    const alloc = be.alloc.bind(be);
    const free = be.free.bind(be);
    const sizes = new Map<BackendBuffer, number>();
    let live = 0;
    let peak = 0;
    let tracking = false;
    const bytesOf: Record<DType, number> = { float32: 4, int32: 4, bool: 1, float64: 8 };
    be.alloc = (size: number, dtype: DType): BackendBuffer => {
      const buf = alloc(size, dtype);
      if (tracking) {
        sizes.set(buf, size * bytesOf[dtype]);
        live += size * bytesOf[dtype];
        peak = Math.max(peak, live);
      }
      return buf;
    };
    be.free = (buf: BackendBuffer): void => {
      const s = sizes.get(buf);
      if (s !== undefined) {
        live -= s;
        sizes.delete(buf);
      }
      free(buf);
    };
    try {
      await fitLoop(m, c, [xa, xb], y, {
        epochs: 2,
        batchSize: 32,
        verbose: 0,
        callbacks: [{ onTrainBegin: () => void (tracking = true), onTrainEnd: () => void (tracking = false) }],
      });
    } finally {
      be.alloc = alloc;
      be.free = free;
    }
    // Per step: a batch of 32 rows (~33 KB), its activations and gradients, the epoch's order
    // (16 KB): far below the data set.
    assert.ok(peak > 0, 'fit allocated nothing while training: the probe is not counting');
    assert.ok(peak < dataBytes / 8, `fit held ${peak} bytes at once while training on ${dataBytes} bytes of data`);
    hb.dispose([xa, xb, y]);
    c.dispose();
    m.dispose();
  });
});
