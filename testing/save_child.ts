/**
 * The child process of the atomic-save test (src/io/model_io/atomic_save.test.ts): saves a big
 * model to argv[2] over and over, every weight of save k holding the value k, printing
 * `start k` before and `saved k` after each save, until it is killed.
 */
import * as hb from '../src/index.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('save_child: give the directory');
// 2 × 1100² float32 ≈ 9 MiB of weights: three 4 MiB shards, so a save takes a while.
const m = hb.sequential([hb.input({ shape: [1100] }), hb.layers.dense({ units: 1100 }), hb.layers.dense({ units: 1100 })]);
m.compile({ optimizer: 'adam', loss: 'mse' });
for (let k = 1; ; k++) {
  for (const w of m.weights) {
    const v = hb.full(w.shape, k);
    w.assign(v);
    v.dispose();
  }
  process.stdout.write(`start ${k}\n`);
  await m.save(dir);
  process.stdout.write(`saved ${k}\n`);
}
