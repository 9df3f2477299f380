/**
 * Captured steps on and off in one process (docs/CAPTURE.md): the book's MLP at batch 32, one
 * model, epochs of 5,500 samples alternating capture on and off (the order flips each round), so
 * both see the same load on a shared machine. Times are per 55,000 samples (×10).
 *   node dist/bench/capture_ab.js [sgd|adam|...] [backend] [rounds]
 */
import * as hb from '../src/index.js';
import { isOptimizerCase } from './mlp_cases.js';
import { buildModel, median, syntheticData } from './mlp_workload.js';

const [opt = 'sgd', backend = 'wasm', roundsArg = '5'] = process.argv.slice(2);
if (!isOptimizerCase(opt)) throw new Error(`unknown optimizer case ${opt}`);
hb.setBackend(backend);
const model = buildModel(opt, true);
const { x, y } = syntheticData(5500, 1);
await model.fit(x, y, { batchSize: 32, epochs: 1, verbose: 0 }); // warm-up: optimizer state, wasm code
const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
for (let r = 0; r < Number(roundsArg); r++) {
  for (const c of r % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
    const t0 = performance.now();
    await model.fit(x, y, { batchSize: 32, epochs: 1, verbose: 0, capture: c === 'on' });
    times[c].push(((performance.now() - t0) / 1000) * 10);
  }
}
const r2 = (v: number): number => Number(v.toFixed(2));
console.log(JSON.stringify({ opt, backend, on: times.on.map(r2), off: times.off.map(r2), medianOn: r2(median(times.on)), medianOff: r2(median(times.off)), ratio: r2(median(times.off) / median(times.on)) }));
