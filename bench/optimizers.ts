/**
 * `npm run bench -- optimizers`: the book's MLP (bench/mlp_workload.ts) trained with every
 * optimizer case of mlp_cases.ts, then plain SGD with batch normalization and with dropout(0.2)
 * after each hidden layer — the issue 11 "Speed" cases, short and hebb only: 5,500-sample
 * epochs (1,100 on cpu) extrapolated to 55,000, 2 timed epochs, all in one process.
 *
 * It reports each case's epoch time over plain SGD's (target ≤ 1.10) and the extra seconds per
 * epoch that BN and dropout cost. The comparison with PyTorch on one thread, full epochs, one
 * process per case, hebb and PyTorch interleaved, is bench/optimizers.sh.
 */
import { type Benchmark, type BenchOptions, forEachBackend, printJson, printTable } from './harness.js';
import { FULL, trainRecord } from './mlp.js';
import { type Arch, type OptimizerCase, OPTIMIZER_NAMES, isOptimizerCase } from './mlp_cases.js';

export interface Case {
  opt: OptimizerCase;
  arch: Arch;
}

/** Every optimizer on the plain MLP, then SGD with BN and with dropout (the list). */
export function speedCases(): Case[] {
  const opts = OPTIMIZER_NAMES.filter(isOptimizerCase);
  return [...opts.map((opt): Case => ({ opt, arch: 'plain' })), { opt: 'sgd', arch: 'bn' }, { opt: 'sgd', arch: 'dropout' }];
}

const fmt = (v: number, d = 2): string => v.toFixed(d);

async function run(options: BenchOptions): Promise<void> {
  const rows: (string | number)[][] = [];
  const records: Record<string, unknown>[] = [];
  await forEachBackend(options, async (backend) => {
    const samples = backend === 'cpu' ? 1100 : 5500;
    let sgd = NaN;
    for (const c of speedCases()) {
      const rec = await trainRecord({ ...c, batch: 32, epochs: 2, samples, fullSamples: FULL, warmupBatches: 20, accuracy: true });
      records.push(rec);
      const s = Number(rec['epoch_s_median']);
      if (c.opt === 'sgd' && c.arch === 'plain') sgd = s;
      const vsSgd = c.arch === 'plain' ? fmt(s / sgd) : '';
      const extra = c.arch === 'plain' ? '' : fmt(s - sgd, 3);
      rows.push([backend, c.arch === 'plain' ? c.opt : `${c.opt} + ${c.arch}`, String(rec['epoch_s_median']), vsSgd, extra]);
    }
  });
  printTable(['backend', 'case (batch 32)', 's/epoch', '/ plain SGD', 'extra s/epoch'], rows);
  console.log('(short run: 5,500-sample epochs (1,100 on cpu) extrapolated to 55,000; targets: ratio <= 1.10; the PyTorch comparison is bench/optimizers.sh)');
  for (const rec of records) printJson({ bench: 'optimizers', ...rec });
}

export const optimizers: Benchmark = {
  name: 'optimizers',
  description: 'MLP epoch time per optimizer (SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam, AdaMax, Nadam, AdamW) and with BN / dropout, short',
  run,
};
