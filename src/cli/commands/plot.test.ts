import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hebb, tempDir } from '../../../testing/cli.js';
import { axisLabel, legendLabels, pngSize } from '../../../testing/svg.js';

describe('hebb plot', () => {
  let tmp: { dir: string; cleanup: () => void };
  let runA: string;
  let runB: string;
  before(async () => {
    tmp = tempDir('hebb-plot-test-');
    runA = join(tmp.dir, 'a');
    runB = join(tmp.dir, 'b');
    for (const [out, epochs] of [[runA, '3'], [runB, '2']] as const) {
      const t = await hebb('train', '--dataset', 'moons', '--samples', '120', '--layers', '4', '--epochs', epochs, '--verbose', '0', '--out', out);
      assert.equal(t.code, 0, t.err);
    }
  });
  after(() => tmp.cleanup());

  it('hebb train wrote curves.svg and curves.png next to history.json', async () => {
    const svg = readFileSync(join(runA, 'curves.svg'), 'utf8');
    assert.match(axisLabel(svg, 'X'), /titled 'Epoch' .* values from 1 to 3$/);
    assert.match(legendLabels(svg)[0] ?? '', /with 4 values: loss, val_loss, accuracy, val_accuracy$/);
    assert.ok(pngSize(readFileSync(join(runA, 'curves.png'))).width > 900);
    const t = await hebb('train', '--dataset', 'moons', '--samples', '60', '--layers', '2', '--epochs', '1', '--out', join(tmp.dir, 'c'));
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, new RegExp(`curves: +${join(tmp.dir, 'c', 'curves.png').replace(/[.\\/]/g, '\\$&')} \\(and .*curves\\.svg\\)\\n`));
  });

  it('one run: its learning curves, SVG and PNG beside history.json, or the one --out names', async () => {
    const r = await hebb('plot', runB);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `wrote ${join(runB, 'curves.svg')}\nwrote ${join(runB, 'curves.png')}\n`);
    const out = join(tmp.dir, 'loss.svg');
    const only = await hebb('plot', join(runA, 'history.json'), '--metric', 'loss,val_loss', '--out', out, '--title', 'Loss');
    assert.equal(only.code, 0, only.err);
    const svg = readFileSync(out, 'utf8');
    assert.match(legendLabels(svg)[0] ?? '', /with 2 values: loss, val_loss$/);
    assert.match(svg, /Title text 'Loss'/);
  });

  it('several runs: one metric side by side, one legend entry per run', async () => {
    const out = join(tmp.dir, 'cmp.png');
    const r = await hebb('plot', runA, runB, '--metric', 'val_accuracy', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.ok(pngSize(readFileSync(out)).width > 900);
    const svgOut = join(tmp.dir, 'cmp.svg');
    assert.equal((await hebb('plot', runA, join(runB, 'history.json'), '--out', svgOut)).code, 0);
    const svg = readFileSync(svgOut, 'utf8');
    assert.match(axisLabel(svg, 'Y'), /titled 'val_loss'/);
    assert.match(legendLabels(svg)[0] ?? '', new RegExp(`with 2 values: ${runA.replace(/[.\\/]/g, '\\$&')}, ${runB.replace(/[.\\/]/g, '\\$&')}$`));
  });

  it('usage errors exit 2 and name what was expected; a bad run exits 1', async () => {
    const cases: [string[], RegExp][] = [
      [[], /needs a run: hebb plot <run>\.\.\./],
      [[runA, '--metric', 'val_acc'], /--metric: "val_acc" is not in .*history\.json; it has loss, accuracy, val_loss, val_accuracy, learning_rate|--metric: "val_acc" is not in .*; it has /],
      [[runA, runB, '--metric', 'loss,val_loss'], /--metric takes one name when comparing runs/],
      [[runA, '--out', 'x.jpg'], /--out must end in \.svg or \.png .*received "x\.jpg"/],
      [[runA, '--outt', 'x.svg'], /unknown flag --outt; did you mean --out\?/],
    ];
    for (const [argv, re] of cases) {
      const r = await hebb('plot', ...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
    const bad = join(tmp.dir, 'bad.json');
    writeFileSync(bad, '{"loss": [1, 2], "val_loss": [1]}');
    for (const [argv, re] of [[[join(tmp.dir, 'none')], /no run at/], [[tmp.dir], /holds no history\.json/], [[bad], /series of different lengths/]] as const) {
      const r = await hebb('plot', ...argv);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /^hebb plot: error: /);
      assert.match(r.err, re);
    }
    assert.equal(existsSync(join(tmp.dir, 'curves.svg')), false);
  });

  it('--help', async () => {
    const r = await hebb('plot', '--help');
    assert.equal(r.code, 0);
    // [run]: optional, as --tuner takes none (a missing run is still a usage error, tested above)
    assert.match(r.out, /^Usage: hebb plot \[run\]\.\.\. \[options\]/);
    assert.match(r.out, /--tuner /);
    assert.match(r.out, /--metric <names>/);
  });
});
