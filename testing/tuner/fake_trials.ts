/** Stored trials made up for the plot tests (src/plot/tuner_trials.test.ts, hebb plot --tuner). */
import type { HPDef } from '../../src/tuner/hyperparameters.js';
import type { TrialRecord } from '../../src/tuner/storage/store.js';

export const SPACE: HPDef[] = [
  { type: 'float', name: 'learning_rate', min: 1e-4, max: 1e-1, sampling: 'log', default: 1e-3 },
  { type: 'int', name: 'units', min: 8, max: 64, step: 8, sampling: 'linear', default: 8 },
  { type: 'choice', name: 'optimizer', values: ['adam', 'sgd'], ordered: false, default: 'adam' },
  { type: 'boolean', name: 'batch_norm', default: false },
  { type: 'fixed', name: 'epochs', value: 5, default: 5 },
];

/** A search of n trials whose score is a formula of its values (best near lr 1e-2, 32 units, adam), plus one failed and one running. */
export function fakeTrials(n: number): TrialRecord[] {
  const base = { space: SPACE, epochs: 5, bestEpoch: 4, checkpoint: null, worker: 'test:1', attempts: 1, createdAt: 0, startedAt: 0, endedAt: 1, heartbeatAt: 1, error: null };
  const out: TrialRecord[] = [];
  for (let i = 0; i < n; i++) {
    const lr = 1e-4 * Math.pow(1e3, ((i * 7) % n) / (n - 1));
    const units = 8 + 8 * ((i * 3) % 8);
    const optimizer = i % 3 === 0 ? 'sgd' : 'adam';
    const score = 0.2 + 0.1 * Math.abs(Math.log10(lr) + 2) + Math.abs(units - 32) / 200 + (optimizer === 'sgd' ? 0.15 : 0);
    out.push({ ...base, id: i + 1, status: 'completed', values: { learning_rate: lr, units, optimizer, batch_norm: i % 2 === 0, epochs: 5 }, score, metrics: [{ epoch: 0, logs: { loss: score + 0.1, val_loss: score } }] });
  }
  out.push({ ...base, id: n + 1, status: 'failed', values: { learning_rate: 0.1, units: 8, optimizer: 'sgd', batch_norm: true, epochs: 5 }, score: null, metrics: [], error: 'NaN loss' });
  out.push({ ...base, id: n + 2, status: 'running', values: { learning_rate: 0.01, units: 16, optimizer: 'adam', batch_norm: false, epochs: 5 }, score: null, metrics: [], endedAt: null });
  return out;
}
