/**
 * bench/optimizers_report.ts on a made-up results folder: cases are grouped from the records,
 * a case's time is the median over its runs, and the ratios and extra seconds are the
 * arithmetic of those medians (values chosen so each verdict is known by hand).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { archTable, collect, optimizerTable, report } from './optimizers_report.js';
import { readRuns } from './results.js';

function folder(records: Record<string, Record<string, unknown>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hebb-opt-report-'));
  for (const [name, rec] of Object.entries(records)) fs.writeFileSync(path.join(dir, `${name}.json`), `some log line\n${JSON.stringify(rec)}\n`);
  fs.writeFileSync(path.join(dir, 'broken.json'), '');
  fs.writeFileSync(path.join(dir, 'broken.err'), 'Error: boom\n');
  return dir;
}

const hebb = (opt: string, arch: string, s: number): Record<string, unknown> => ({ system: 'hebb', backend: 'wasm', mode: 'train', opt, arch, batch: 32, epoch_s_median: s, epochs_timed: 3, extrapolated: false });
const torch = (opt: string, arch: string, s: number): Record<string, unknown> => ({ system: 'pytorch-cpu', torch: '1.13', threads: 1, impl: 'default', mode: 'train', opt, arch, batch: 32, epoch_s_median: s, epochs_timed: 3, extrapolated: false });

describe('optimizers report', () => {
  const dir = folder({
    hebb_sgd_plain_r1: hebb('sgd', 'plain', 2.0),
    hebb_sgd_plain_r2: hebb('sgd', 'plain', 3.0),
    hebb_sgd_plain_r3: hebb('sgd', 'plain', 2.2),
    torch_sgd_plain_r1: torch('sgd', 'plain', 2.5),
    hebb_adam_plain_r1: hebb('adam', 'plain', 2.31),
    torch_adam_plain_r1: torch('adam', 'plain', 2.2),
    hebb_nadam_plain_r1: hebb('nadam', 'plain', 2.42),
    torch_nadam_plain_r1: torch('nadam', 'plain', 4.84),
    hebb_sgd_bn_r1: hebb('sgd', 'bn', 2.7),
    torch_sgd_bn_r1: torch('sgd', 'bn', 3.5),
    hebb_sgd_dropout_r1: hebb('sgd', 'dropout', 2.8),
    torch_sgd_dropout_r1: torch('sgd', 'dropout', 2.9),
  });
  const runs = readRuns(dir);
  const cases = collect(runs);

  it('groups runs by optimizer and architecture; a failed run is kept as an error', () => {
    assert.deepEqual(cases.get('sgd/plain'), { hebb: [2.0, 3.0, 2.2], torch: [2.5] });
    assert.equal(cases.size, 5);
    assert.equal(runs.find((r) => r.name === 'broken')?.error, 'Error: boom');
  });

  it('ratios against plain SGD (median 2.2 of three runs) and against PyTorch', () => {
    const rows = optimizerTable(cases);
    const row = (opt: string): string => rows.find((r) => r.startsWith(`| ${opt} |`)) ?? '';
    assert.match(row('sgd'), /^\| sgd \| 2\.2 \| 1 \(reference\) \| 2\.5 \| 0\.88 \(yes\) \|/);
    // 2.31 / 2.2 = 1.05 (within 1.10); 2.31 / 2.2 = 1.05 > 1 against PyTorch.
    assert.match(row('adam'), /^\| adam \| 2\.31 \| 1\.05 \(yes\) \| 2\.2 \| 1\.05 \(NO\) \|/);
    // 2.42 / 2.2 = 1.1 exactly at the target; 2.42 / 4.84 = 0.5.
    assert.match(row('nadam'), /^\| nadam \| 2\.42 \| 1\.1 \(yes\) \| 4\.84 \| 0\.5 \(yes\) \|/);
    // mlp_cases.ts order: sgd, then adam before nadam.
    assert.ok(rows.indexOf(row('sgd')) < rows.indexOf(row('adam')) && rows.indexOf(row('adam')) < rows.indexOf(row('nadam')));
  });

  it('extra seconds per epoch of BN and dropout, each system against its own plain run', () => {
    const rows = archTable(cases);
    // hebb BN: 2.7 − 2.2 = 0.5, PyTorch: 3.5 − 2.5 = 1.0; dropout: 0.6 against 0.4.
    assert.match(rows.find((r) => r.startsWith('| batch normalization')) ?? '', /\| sgd \| 2\.2 → 2\.7 \| 0\.5 \| 2\.5 → 3\.5 \| 1 \| yes \|$/);
    assert.match(rows.find((r) => r.startsWith('| dropout')) ?? '', /\| sgd \| 2\.2 → 2\.8 \| 0\.6 \| 2\.5 → 2\.9 \| 0\.4 \| NO \|$/);
  });

  it('the full report flags smoke-test settings only when present', () => {
    assert.doesNotMatch(report(dir), /smoke test/);
    // The heading names the batch size the runs recorded (BATCH=256 runs once read "batch 32").
    assert.match(report(dir), /### Optimizers \(batch 32, s per 55,000-sample epoch\)/);
    fs.writeFileSync(path.join(dir, 'hebb_adamw_plain_r1.json'), JSON.stringify({ ...hebb('adamw', 'plain', 9), extrapolated: true, timed_samples_per_epoch: 640 }));
    assert.match(report(dir), /smoke test, not a measurement/);
    fs.rmSync(dir, { recursive: true });
  });
});
