/**
 * Run by test/dataset_memory.test.ts in a fresh process (so its RSS is this fit's alone): fits a tiny
 * model for two full passes over a generated dataset of `GB` GiB of float32 samples, made on the
 * fly batch by batch and never stored, and prints the RSS seen after each step as JSON.
 */
import * as hb from '../src/index.js';

const gib = Number(process.argv[2] ?? '2');
const features = 128;
const batch = 16384;
const bytesPerBatch = batch * features * 4;
const batches = Math.ceil((gib * 2 ** 30) / bytesPerBatch / 2); // two epochs: gib in all
let generated = 0;
// Batches are cut from a pattern a little longer than one batch, at a different offset each
// time: a fresh array per batch (nothing kept), filled at memcpy speed so the test stays short.
const pattern = Float32Array.from({ length: batch * features + 101 }, (_, i) => ((i * 7) % 101) / 101 - 0.5);

const ds = hb.data
  .fromGenerator(function* () {
    for (let b = 0; b < batches; b++) {
      const x = new Float32Array(batch * features);
      x.set(pattern.subarray(b % 101, (b % 101) + x.length));
      const y = new Float32Array(batch);
      for (let r = 0; r < batch; r++) y[r] = (x[r * features] as number) * 2;
      generated += x.byteLength + y.byteLength;
      yield [{ data: x, shape: [batch, features] }, { data: y, shape: [batch, 1] }] as const;
    }
  })
  .prefetch(2);

const model = hb.sequential([hb.layers.input({ shape: [features] }), hb.layers.dense({ units: 1 })]);
model.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.01 }), loss: 'mse' });
const rss: number[] = [];
const t0 = performance.now();
const history = await model.fit(ds, {
  epochs: 2,
  verbose: 0,
  callbacks: [{ onTrainBatchEnd: () => void rss.push(process.memoryUsage().rss) }],
});
process.stdout.write(`${JSON.stringify({ rss, generated, batches, seconds: (performance.now() - t0) / 1000, loss: history.history['loss'] })}\n`);
