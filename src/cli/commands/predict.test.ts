import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadModel } from '../../io/model_io/load.js';
import { Tensor } from '../../core/tensor.js';
import { hebb, tempDir } from '../../../testing/cli.js';

interface Recipe {
  scaling: { mean: number[]; scale: number[] };
}

describe('hebb predict', () => {
  let tmp: { dir: string; cleanup: () => void };
  let model = '';
  before(async () => {
    tmp = tempDir('hebb-predict-test-');
    const r = await hebb('train', '--dataset', 'blobs', '--samples', '150', '--epochs', '2', '--verbose', '0', '--out', join(tmp.dir, 'run'));
    assert.equal(r.code, 0, r.err);
    model = join(tmp.dir, 'run', 'model');
  });
  after(() => tmp.cleanup());

  it('CSV in, CSV or JSON out: the model applied to the rows standardized with the saved statistics', async () => {
    const csv = join(tmp.dir, 'rows.csv');
    // columns in another order, plus a column the model does not use
    writeFileSync(csv, 'note,x1,x0\na,1.5,-2\nb,-7,3\n');
    const r = await hebb('predict', model, '--csv', csv, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as Record<string, number | string>[];
    assert.equal(rows.length, 2);
    // reference: the same model, loaded directly, on (x − mean) / scale computed here from the recipe
    const recipe = JSON.parse(readFileSync(join(model, 'hebb-data.json'), 'utf8')) as Recipe;
    const [m0, m1] = recipe.scaling.mean as [number, number];
    const [s0, s1] = recipe.scaling.scale as [number, number];
    const x = Float32Array.from([(-2 - m0) / s0, (1.5 - m1) / s1, (3 - m0) / s0, (-7 - m1) / s1]);
    const m = await loadModel(model, { compile: false });
    const y = await m.predict({ data: x, shape: [2, 2] });
    assert.ok(y instanceof Tensor);
    const p = await y.data();
    m.dispose();
    y.dispose();
    rows.forEach((row, i) => {
      const probs = [0, 1, 2].map((c) => row[`p_${c}`] as number);
      probs.forEach((v, c) => assert.ok(Math.abs(v - (p[i * 3 + c] as number)) < 1e-6, `row ${i} class ${c}: ${v} vs ${p[i * 3 + c]}`));
      assert.equal(row['class'], probs.indexOf(Math.max(...probs)));
      assert.equal(row['name'], String(row['class']));
    });
    const text = await hebb('predict', model, '--csv', csv);
    const lines = text.out.trim().split('\n');
    assert.equal(lines[0], 'class,name,p_0,p_1,p_2');
    assert.equal(lines.length, 3);
    const out = join(tmp.dir, 'pred.json');
    const file = await hebb('predict', model, '--csv', csv, '--output', out);
    assert.equal(file.out, `wrote 2 predictions to ${out}\n`);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), rows);
  });

  it('errors: a CSV lacking a feature column (1), an IDX file of the wrong shape (1), no input (2)', async () => {
    const csv = join(tmp.dir, 'short.csv');
    writeFileSync(csv, 'x0\n1\n');
    const r = await hebb('predict', model, '--csv', csv);
    assert.equal(r.code, 1);
    assert.equal(r.err, `hebb predict: error: ${csv}: feature column "x1" is not a column; the columns are x0\n`);
    // an IDX image file where the model wants rows of 2 features: named with its header field's offset
    const idx = new Uint8Array(16 + 4);
    const v = new DataView(idx.buffer);
    v.setUint32(0, 0x803);
    v.setUint32(4, 1);
    v.setUint32(8, 2);
    v.setUint32(12, 2);
    const file = join(tmp.dir, 'imgs.idx.gz');
    writeFileSync(file, gzipSync(idx));
    const bad = await hebb('predict', model, '--idx', file);
    assert.equal(bad.code, 1);
    assert.equal(bad.err, `hebb predict: error: ${file}: bad IDX magic number 0x00000803, expected 0x00000802 (unsigned bytes, 2 dimensions) at offset 0\n`);
    const none = await hebb('predict', model);
    assert.equal(none.code, 2);
    assert.match(none.err, /needs one input: --csv <file> or --idx <file>/);
  });
});
